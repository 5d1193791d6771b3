package dev.berth.app.backend;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One change on the engine, in Docker's words: a type (container, image, volume, network,
 * daemon, ...), an action (create, start, pull, ...), the actor's id and its attributes.
 */
public record EngineEvent(Instant time, String type, String action, String actorId, Map<String, String> attributes) {

    public EngineEvent {
        Objects.requireNonNull(time, "time");
        type = type == null ? "" : type;
        action = action == null ? "" : action;
        actorId = actorId == null ? "" : actorId;
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** The actor's name when it has one, else its id shortened as Docker shows ids (12 characters). */
    public String actorLabel() {
        String name = attributes.get("name");
        if (name != null && !name.isBlank()) {
            return name;
        }
        return actorId.length() > 12 && actorId.matches("[0-9a-f]+") ? actorId.substring(0, 12) : actorId;
    }
}
