package dev.berth.engine.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.state.Json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's {@code filters} query parameter: a JSON object from filter names to values.
 * Two shapes are on the wire and both are accepted: the current {@code {"label":["a=b"]}}
 * and the legacy {@code {"label":{"a=b":true}}} (values whose flag is false are dropped).
 *
 * @param values filter name to its values, in the order the client sent them
 */
public record Filters(Map<String, List<String>> values) {

    public static final Filters NONE = new Filters(Map.of());

    public Filters {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        values = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Parses the parameter's value; null or blank means no filters.
     *
     * @throws EngineException.InvalidArgument naming what is wrong with the JSON
     */
    public static Filters parse(String json) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new EngineException.InvalidArgument("invalid filters: not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new EngineException.InvalidArgument("invalid filters: expected a JSON object such as {\"label\":[\"a=b\"]}");
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            List<String> list = new ArrayList<>();
            JsonNode v = field.getValue();
            if (v.isArray()) {
                for (JsonNode item : v) {
                    if (!item.isTextual()) {
                        throw invalidValue(field.getKey());
                    }
                    list.add(item.asText());
                }
            } else if (v.isObject()) {
                for (Map.Entry<String, JsonNode> e : v.properties()) {
                    if (!e.getValue().isBoolean()) {
                        throw invalidValue(field.getKey());
                    }
                    if (e.getValue().booleanValue()) {
                        list.add(e.getKey());
                    }
                }
            } else {
                throw invalidValue(field.getKey());
            }
            values.put(field.getKey(), list);
        }
        return new Filters(values);
    }

    private static EngineException invalidValue(String key) {
        return new EngineException.InvalidArgument("invalid filter '" + key
                + "': values must be a list of strings such as [\"a\"] or a map such as {\"a\":true}");
    }

    /**
     * Refuses filter names outside {@code accepted}, as Docker does.
     *
     * @return this, for chaining
     * @throws EngineException.InvalidArgument {@code invalid filter 'name'}
     */
    public Filters acceptOnly(Collection<String> accepted) {
        for (String key : values.keySet()) {
            if (!accepted.contains(key)) {
                throw new EngineException.InvalidArgument("invalid filter '" + key + "'");
            }
        }
        return this;
    }

    /** The values for {@code key}; empty when the filter is absent. */
    public List<String> get(String key) {
        return values.getOrDefault(key, List.of());
    }

    /** True when {@code key} has at least one value. */
    public boolean has(String key) {
        return !get(key).isEmpty();
    }

    public boolean isEmpty() {
        return values.values().stream().allMatch(List::isEmpty);
    }

    /** Docker's exact match: true when the filter is absent, or one of its values equals {@code source}. */
    public boolean exactMatch(String key, String source) {
        List<String> v = get(key);
        return v.isEmpty() || v.contains(source);
    }

    /** Docker's fuzzy match: true when the filter is absent, or {@code source} starts with one of its values. */
    public boolean fuzzyMatch(String key, String source) {
        List<String> v = get(key);
        if (v.isEmpty()) {
            return true;
        }
        if (source == null) {
            return false;
        }
        for (String prefix : v) {
            if (source.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Docker's key/value list match (labels): true when the filter is absent, or every value
     * {@code k} names a key of {@code attributes} and every {@code k=v} names a key with that value.
     */
    public boolean matchKeyValues(String key, Map<String, String> attributes) {
        for (String want : get(key)) {
            int eq = want.indexOf('=');
            if (eq < 0) {
                if (!attributes.containsKey(want)) {
                    return false;
                }
            } else if (!want.substring(eq + 1).equals(attributes.get(want.substring(0, eq)))) {
                return false;
            }
        }
        return true;
    }
}
