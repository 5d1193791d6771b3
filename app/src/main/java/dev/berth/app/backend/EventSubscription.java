package dev.berth.app.backend;

/** A running event stream from {@link Backend#events}; closing it stops the callbacks. */
public interface EventSubscription extends AutoCloseable {

    @Override
    void close();
}
