/**
 * The seam between the desktop app and an engine. {@link dev.berth.app.backend.Backend} says how
 * to reach the engine ({@link dev.berth.app.backend.Backend#api()}, the Docker API client every
 * pane's own client is written on), its facts and events, and the registry logins and settings;
 * it answers in app-side records (not engine records, not Docker API DTOs). Two implementations: {@link dev.berth.app.backend.EmbeddedBackend} runs the engine
 * in this process and serves the Docker API on its socket for the {@code docker} CLI;
 * {@link dev.berth.app.backend.RemoteBackend} is a Docker Engine API client (unix socket or
 * TCP) for a Berth engine or a dockerd that is already running.
 * {@link dev.berth.app.backend.BackendLocator} picks one at startup.
 *
 * <p>Never: JavaFX types, threads that outlive {@link dev.berth.app.backend.Backend#close()},
 * or errors other than {@code EngineException} subclasses with plain messages.
 */
package dev.berth.app.backend;
