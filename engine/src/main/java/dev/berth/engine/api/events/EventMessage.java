package dev.berth.engine.api.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.berth.engine.events.Event;

import java.util.Map;

/**
 * One line of {@code GET /events}: Docker's {@code events.Message}. The lower-case
 * {@code status}, {@code id} and {@code from} are Docker's deprecated fields, still filled for
 * container and image events because older clients read them.
 */
@JsonPropertyOrder({"status", "id", "from", "Type", "Action", "Actor", "scope", "time", "timeNano"})
public record EventMessage(
        @JsonProperty("status") String status,
        @JsonProperty("id") String id,
        @JsonProperty("from") String from,
        @JsonProperty("Type") String type,
        @JsonProperty("Action") String action,
        @JsonProperty("Actor") Actor actor,
        @JsonProperty("scope") String scope,
        @JsonProperty("time") long time,
        @JsonProperty("timeNano") long timeNano) {

    /** The object the event is about. */
    public record Actor(@JsonProperty("ID") String id, @JsonProperty("Attributes") Map<String, String> attributes) {}

    public static EventMessage of(Event e) {
        boolean legacy = e.type().equals("container") || e.type().equals("image");
        long nanos = e.time().getEpochSecond() * 1_000_000_000L + e.time().getNano();
        return new EventMessage(
                legacy ? e.action() : null,
                legacy ? e.actorId() : null,
                e.type().equals("container") ? e.attributes().get("image") : null,
                e.type(), e.action(),
                new Actor(e.actorId(), e.attributes()),
                "local",
                e.time().getEpochSecond(),
                nanos);
    }
}
