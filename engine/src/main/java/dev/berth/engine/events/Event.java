package dev.berth.engine.events;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One state change, published once on the {@link EventBus}. The shape follows Docker's
 * events: a type (image, container, volume, network, daemon, ...), an action (pull, create,
 * start, die, ...), the actor's id and attributes (e.g. name, image, exitCode), and a time.
 */
public record Event(String type, String action, String actorId, Map<String, String> attributes, Instant time) {

    public Event {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(action, "action");
        actorId = actorId == null ? "" : actorId;
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        time = time == null ? Instant.now() : time;
    }

    public static Event of(String type, String action, String actorId, Map<String, String> attributes) {
        return new Event(type, action, actorId, attributes, Instant.now());
    }
}
