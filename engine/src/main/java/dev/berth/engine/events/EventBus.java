package dev.berth.engine.events;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The engine's one event bus. Every service publishes each state change here exactly once;
 * the API's {@code /events} and the desktop app read it through {@link Subscription}s.
 *
 * <p>Publishing never blocks: each subscriber has its own bounded queue, and a subscriber
 * that falls more than {@value #QUEUE_CAPACITY} events behind is closed (and told so) rather
 * than slowing the engine down. The last {@value #HISTORY} events are kept so that a
 * subscriber can ask for events since a past time, as {@code docker events --since} does.
 */
public final class EventBus {

    static final int QUEUE_CAPACITY = 4096;
    static final int HISTORY = 1024;

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Event> history = new ArrayDeque<>(HISTORY);

    /** Publishes one event to every current subscriber whose filter accepts it. */
    public void publish(Event event) {
        synchronized (history) {
            if (history.size() == HISTORY) {
                history.removeFirst();
            }
            history.addLast(event);
            for (Subscription s : subscriptions) {
                s.offer(event);
            }
        }
    }

    /** Subscribes to events from now on that match {@code filter}. */
    public Subscription subscribe(Predicate<Event> filter) {
        return subscribe(filter, null);
    }

    /**
     * Subscribes to events matching {@code filter}, first replaying those kept in history at
     * or after {@code since} (none when {@code since} is null), then live ones, without a gap
     * or a duplicate between the two.
     */
    public Subscription subscribe(Predicate<Event> filter, Instant since) {
        Subscription s = new Subscription(filter);
        synchronized (history) {
            if (since != null) {
                for (Event e : history) {
                    if (!e.time().isBefore(since)) {
                        s.offer(e);
                    }
                }
            }
            subscriptions.add(s);
        }
        return s;
    }

    /** How many subscriptions are open right now (Docker's {@code NEventsListener}). */
    public int subscriberCount() {
        return subscriptions.size();
    }

    /** The events kept in history, oldest first. */
    public List<Event> recent() {
        synchronized (history) {
            return new ArrayList<>(history);
        }
    }

    /** A subscriber's view of the bus: a queue of matching events. Close it when done. */
    public final class Subscription implements AutoCloseable {
        private final Predicate<Event> filter;
        private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
        private volatile boolean closed;
        private volatile boolean overflowed;

        private Subscription(Predicate<Event> filter) {
            this.filter = filter == null ? e -> true : filter;
        }

        private void offer(Event e) {
            if (closed || !filter.test(e)) {
                return;
            }
            if (!queue.offer(e)) {
                overflowed = true;
                close();
            }
        }

        /**
         * The next event, waiting up to {@code timeout}; null on timeout. Returns null at once
         * once the subscription is closed and drained.
         */
        public Event poll(long timeout, TimeUnit unit) throws InterruptedException {
            Event e = queue.poll();
            if (e != null || closed) {
                return e;
            }
            return queue.poll(timeout, unit);
        }

        /** True once closed, by the subscriber or because it fell too far behind. */
        public boolean isClosed() {
            return closed;
        }

        /** True when the bus closed this subscription because its reader fell too far behind. */
        public boolean overflowed() {
            return overflowed;
        }

        @Override
        public void close() {
            closed = true;
            subscriptions.remove(this);
        }
    }
}
