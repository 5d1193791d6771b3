package dev.berth.app.backend;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * An engine as the app sees it. Calls block (view models run them on background threads)
 * and throw {@code EngineException} subclasses with plain messages. Later issues add images,
 * containers, volumes, networks and builds here.
 */
public interface Backend extends AutoCloseable {

    /** How the app reaches this engine; shown in the status bar. */
    Connection connection();

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

    /** Stops event streams and releases the engine (stopping it, when it runs in this process). */
    @Override
    void close();
}
