package dev.berth.app.images;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A JSON document as a tree of entries (key, value) for the Inspect dialog, and the search over
 * it: an entry matches when its key or its scalar value contains the text, ignoring case.
 */
public final class JsonTree {

    /** One entry: its key (an index for array items), its node, its path from the root, its children. */
    public record Entry(String key, JsonNode node, String path, List<Entry> children) {

        /** What a tree row shows: {@code key: value} for a scalar, {@code key {3}} or {@code key [3]} for containers. */
        public String label() {
            if (node.isObject()) {
                return key + "  {" + node.size() + "}";
            }
            if (node.isArray()) {
                return key + "  [" + node.size() + "]";
            }
            return key + ": " + (node.isTextual() ? "\"" + node.asText() + "\"" : node.toString());
        }

        public boolean matches(String needle) {
            String n = needle.toLowerCase(Locale.ROOT);
            return key.toLowerCase(Locale.ROOT).contains(n)
                    || (node.isValueNode() && node.asText().toLowerCase(Locale.ROOT).contains(n));
        }
    }

    private JsonTree() {}

    public static Entry of(String rootKey, JsonNode node) {
        return build(rootKey, node, rootKey);
    }

    private static Entry build(String key, JsonNode node, String path) {
        List<Entry> children = new ArrayList<>();
        if (node.isObject()) {
            node.properties().forEach(e -> children.add(build(e.getKey(), e.getValue(), path + "." + e.getKey())));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                children.add(build(Integer.toString(i), node.get(i), path + "[" + i + "]"));
            }
        }
        return new Entry(key, node, path, List.copyOf(children));
    }

    /** Every entry that matches {@code needle}, in document order (none for a blank needle). */
    public static List<Entry> search(Entry root, String needle) {
        List<Entry> hits = new ArrayList<>();
        if (needle == null || needle.isBlank()) {
            return hits;
        }
        collect(root, needle.strip(), hits);
        return hits;
    }

    private static void collect(Entry e, String needle, List<Entry> hits) {
        if (e.matches(needle)) {
            hits.add(e);
        }
        e.children().forEach(c -> collect(c, needle, hits));
    }
}
