package dev.berth.engine.api.events;

import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;

import java.time.Instant;
import java.util.function.Predicate;

/** What the events router needs from the engine: a subscription to its event bus. */
public interface EventsBackend {

    /**
     * Events matching {@code filter}: those kept in history at or after {@code since} (none
     * when null), then live ones. The caller closes the subscription.
     */
    EventBus.Subscription subscribe(Predicate<Event> filter, Instant since);
}
