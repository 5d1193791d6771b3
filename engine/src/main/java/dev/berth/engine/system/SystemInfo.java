package dev.berth.engine.system;

import dev.berth.engine.runtime.HostTools;

import java.nio.file.Path;

/**
 * Everything {@code docker info} shows, in the engine's own terms. Counts are read from the
 * engine's state at the time of the call.
 */
public record SystemInfo(String engineId, String engineVersion, HostInfo host, HostTools tools, Path rootDir,
                         String storageDriver, int containers, int containersRunning, int containersPaused,
                         int containersStopped, int images) {}
