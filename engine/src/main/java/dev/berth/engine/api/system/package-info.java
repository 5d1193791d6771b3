/**
 * The system routes: {@code /_ping}, {@code /version}, {@code /info}. Owns the Docker shapes of
 * version and info ({@link dev.berth.engine.api.system.VersionResponse},
 * {@link dev.berth.engine.api.system.InfoResponse}) and their mapping from the engine's
 * records; reads the engine only through {@link dev.berth.engine.api.system.SystemBackend}.
 * Also {@code /system/df} ({@link dev.berth.engine.api.system.DiskUsageRouter}), whose image rows
 * are the images router's summaries, read through {@link dev.berth.engine.api.system.DiskUsageBackend}.
 * Never computes host facts or sizes itself.
 */
package dev.berth.engine.api.system;
