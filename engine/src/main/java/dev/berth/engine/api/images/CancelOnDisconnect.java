package dev.berth.engine.api.images;

import dev.berth.engine.api.http.Exchange;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cancels a long operation (pull, push, save, load) when its client goes away, the way the
 * engine's services are cancelled: by interrupting the handler thread that runs it. Disarmed
 * by {@link #close()}, which also clears an interrupt that arrived after the work ended.
 */
final class CancelOnDisconnect implements AutoCloseable {

    private final Thread worker = Thread.currentThread();
    private final AtomicBoolean armed = new AtomicBoolean(true);

    CancelOnDisconnect(Exchange ex) {
        ex.onDisconnect(this::cancel);
    }

    /** Interrupts the worker, once, unless the work is over. */
    void cancel() {
        if (armed.compareAndSet(true, false)) {
            worker.interrupt();
        }
    }

    @Override
    public void close() {
        if (!armed.compareAndSet(true, false)) {
            Thread.interrupted();
        }
    }
}
