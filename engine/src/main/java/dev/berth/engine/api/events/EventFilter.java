package dev.berth.engine.api.events;

import dev.berth.engine.api.http.Filters;
import dev.berth.engine.events.Event;

import java.util.List;
import java.util.function.Predicate;

/**
 * Docker's event filters as a predicate over the engine's events. Every named filter must
 * match (AND); within one filter any value may match (OR).
 *
 * <ul>
 *   <li>{@code type}, {@code scope}: exact;</li>
 *   <li>{@code event}: the action, exact, or by prefix for {@code exec_create},
 *       {@code exec_start} and {@code health_status} whose actions carry a suffix
 *       ({@code exec_start: sh});</li>
 *   <li>{@code container}, {@code volume}, {@code network}, {@code daemon}, {@code plugin},
 *       {@code node}, {@code service}, {@code secret}, {@code config}: for events of that
 *       type, the actor's id or {@code name} attribute starts with a value; events of other
 *       types do not match;</li>
 *   <li>{@code image}: the actor's id or its image name ({@code image} attribute, or
 *       {@code name} for image events), with or without the tag;</li>
 *   <li>{@code label}: every {@code key} or {@code key=value} is among the attributes.</li>
 * </ul>
 */
final class EventFilter implements Predicate<Event> {

    /** The filter names Docker accepts for events. */
    static final List<String> ACCEPTED = List.of("config", "container", "daemon", "event", "image", "label",
            "network", "node", "plugin", "scope", "secret", "service", "type", "volume");

    private static final List<String> NAMED_TYPES = List.of("container", "volume", "network", "daemon", "plugin",
            "node", "service", "secret", "config");
    private static final List<String> SUFFIXED_ACTIONS = List.of("exec_create", "exec_start", "health_status");

    private final Filters filters;

    EventFilter(Filters filters) {
        this.filters = filters.acceptOnly(ACCEPTED);
    }

    @Override
    public boolean test(Event e) {
        if (!matchesAction(e.action())
                || !filters.exactMatch("type", e.type())
                || !filters.exactMatch("scope", "local")
                || !filters.matchKeyValues("label", e.attributes())
                || !matchesImage(e)) {
            return false;
        }
        for (String type : NAMED_TYPES) {
            if (filters.has(type) && !(e.type().equals(type)
                    && (filters.fuzzyMatch(type, e.actorId()) || filters.fuzzyMatch(type, e.attributes().get("name"))))) {
                return false;
            }
        }
        return true;
    }

    private boolean matchesAction(String action) {
        if (filters.get("event").stream().anyMatch(SUFFIXED_ACTIONS::contains)) {
            return filters.fuzzyMatch("event", action);
        }
        return filters.exactMatch("event", action);
    }

    private boolean matchesImage(Event e) {
        if (!filters.has("image")) {
            return true;
        }
        String name = e.attributes().get(e.type().equals("image") ? "name" : "image");
        return filters.exactMatch("image", e.actorId())
                || (name != null && (filters.exactMatch("image", name) || filters.exactMatch("image", stripTag(name))))
                || filters.exactMatch("image", stripTag(e.actorId()));
    }

    /** {@code repo:tag} → {@code repo}; a digest reference or a registry port is left alone. */
    static String stripTag(String ref) {
        if (ref.contains("@")) {
            return ref;
        }
        int colon = ref.lastIndexOf(':');
        return colon > ref.lastIndexOf('/') ? ref.substring(0, colon) : ref;
    }
}
