package dev.berth.app.backend;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An engine as the app sees it: how to reach it, its facts and events, and the registry logins
 * and settings that live with the app or the engine's files rather than behind the API. Calls
 * block (view models run them on background threads) and throw {@code EngineException}
 * subclasses with plain messages.
 *
 * <p>Images, containers, networks, volumes and builds are reached through {@link #api()}: the Docker
 * Engine API, which the embedded engine also serves on its socket, so there is one client for
 * both kinds of backend. Each pane has its own small client on top of it.
 */
public interface Backend extends AutoCloseable {

    /** How the app reaches this engine; shown in the status bar. */
    Connection connection();

    /**
     * The Docker Engine API of this engine.
     *
     * @throws dev.berth.engine.errors.EngineException.Unavailable when the embedded engine could not
     *         serve its socket (the status bar says why)
     */
    ApiClient api();

    /** Checks that the engine answers; throws {@code EngineException.Unavailable} when it does not. */
    void ping();

    /** The engine's version, as {@code docker version} shows it. */
    EngineVersion version();

    /** Facts about the engine and its host, as {@code docker info} shows them. */
    EngineInfo info();

    /**
     * Streams the engine's events to {@code onEvent}, on a background thread, in the order
     * they happened: first those kept since {@code since} (none when null), then live ones.
     * {@code onEnd} is called once when the stream ends for a reason other than
     * {@link EventSubscription#close()}: with the failure, or null when the engine closed it.
     */
    EventSubscription events(Instant since, Consumer<EngineEvent> onEvent, Consumer<Throwable> onEnd);

    // ---- registries ----------------------------------------------------------------------------

    /**
     * {@code docker login}: checks the credentials against {@code registry} ({@code host[:port]},
     * or {@code docker.io}) and keeps them for later pulls and pushes. The password is never logged.
     *
     * @throws dev.berth.engine.errors.EngineException.Unauthorized when the registry refuses them
     */
    void login(String registry, String username, String password);

    /** {@code docker logout}; true when there was a login to forget. */
    boolean logout(String registry);

    /**
     * The {@code X-Registry-Auth} value to send with a pull from or push to {@code registry}
     * ({@code host[:port]}, or {@code docker.io}): the login of this session, when the app keeps it
     * itself (a client of another engine, as the docker CLI does). Empty when there is none, or when
     * the engine keeps its own logins (the embedded engine stores them at {@link #login}).
     */
    Optional<String> registryAuth(String registry);

    /** Mirrors and insecure registries as the engine has them now. */
    RegistrySettings registrySettings();

    /**
     * Changes mirrors and insecure registries; both lists are checked first.
     *
     * @return the settings as now stored
     * @throws dev.berth.engine.errors.EngineException.InvalidArgument naming the bad entry
     * @throws dev.berth.engine.errors.EngineException.FailedPrecondition when this engine's settings
     *         cannot be changed from here (an engine the app is a client of)
     */
    RegistrySettings saveRegistrySettings(List<String> mirrors, List<String> insecureRegistries);

    /** Stops event streams and releases the engine (stopping it, when it runs in this process). */
    @Override
    void close();
}
