package dev.berth.app.volumes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.app.backend.ApiClient;
import dev.berth.engine.errors.EngineException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Volumes pane's calls on the Docker Engine API ({@code /volumes}, the volume part of
 * {@code /system/df}, the mounts of {@code /containers/json}) and Berth's
 * {@code /volumes/{name}/files} for the file browser. Calls block: run them on a background thread.
 */
public final class VolumesClient {

    /**
     * One volume as the pane lists it.
     *
     * @param size     bytes of data, -1 when the engine did not say
     * @param refCount how many containers use it, -1 when the engine did not say
     * @param usedBy   names of the containers whose mounts name it
     */
    public record Volume(String name, String driver, String mountpoint, Instant created, Map<String, String> labels,
                         Map<String, String> options, long size, long refCount, List<String> usedBy) {
        public Volume {
            labels = Map.copyOf(labels);
            options = Map.copyOf(options);
            usedBy = List.copyOf(usedBy);
        }

        public boolean tmpfs() {
            return "tmpfs".equals(options.get("type"));
        }
    }

    /** One entry of a directory in a volume. */
    public record FileEntry(String name, String type, long size, int mode, Instant modified) {
        public boolean directory() {
            return "directory".equals(type);
        }
    }

    /** What {@code docker volume prune} removed. */
    public record Pruned(List<String> names, long spaceReclaimed) {}

    private final ApiClient api;

    public VolumesClient(ApiClient api) {
        this.api = api;
    }

    /** Every volume by name, with its size, reference count and the containers using it. */
    public List<Volume> list() {
        JsonNode listed = api.get("volumes");
        Map<String, JsonNode> usage = new HashMap<>();
        for (JsonNode v : api.get(api.url("system/df").addQueryParameter("type", "volume").build()).path("Volumes")) {
            usage.put(ApiClient.text(v, "Name"), v.path("UsageData"));
        }
        Map<String, List<String>> users = new HashMap<>();
        for (JsonNode c : api.get(api.url("containers/json").addQueryParameter("all", "1").build())) {
            String cname = c.path("Names").path(0).asText(c.path("Id").asText());
            for (JsonNode m : c.path("Mounts")) {
                if ("volume".equals(ApiClient.text(m, "Type"))) {
                    users.computeIfAbsent(ApiClient.text(m, "Name"), k -> new ArrayList<>())
                            .add(cname.startsWith("/") ? cname.substring(1) : cname);
                }
            }
        }
        List<Volume> out = new ArrayList<>();
        for (JsonNode v : listed.path("Volumes")) {
            String name = ApiClient.text(v, "Name");
            JsonNode u = usage.get(name);
            out.add(new Volume(name, ApiClient.text(v, "Driver"), ApiClient.text(v, "Mountpoint"),
                    instant(ApiClient.text(v, "CreatedAt")), strings(v.path("Labels")), strings(v.path("Options")),
                    u == null || !u.has("Size") ? -1 : u.path("Size").asLong(),
                    u == null || !u.has("RefCount") ? -1 : u.path("RefCount").asLong(),
                    users.getOrDefault(name, List.of())));
        }
        out.sort(Comparator.comparing(Volume::name));
        return out;
    }

    /** Docker's JSON for one volume. */
    public JsonNode inspect(String name) {
        return api.get(api.url("volumes").addPathSegment(name).build());
    }

    /**
     * {@code docker volume create}. With {@code tmpfs} the volume is a tmpfs while in use
     * ({@code -o type=tmpfs -o device=tmpfs}, and {@code o=size=...} when {@code tmpfsSize} is given).
     */
    public String create(String name, Map<String, String> labels, boolean tmpfs, String tmpfsSize) {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("Name", name == null ? "" : name.strip());
        body.put("Driver", "local");
        ObjectNode opts = body.putObject("DriverOpts");
        if (tmpfs) {
            opts.put("type", "tmpfs");
            opts.put("device", "tmpfs");
            if (tmpfsSize != null && !tmpfsSize.isBlank()) {
                opts.put("o", "size=" + tmpfsSize.strip());
            }
        }
        ObjectNode l = body.putObject("Labels");
        labels.forEach(l::put);
        return api.post(api.url("volumes/create").build(), body).path("Name").asText();
    }

    /** {@code docker volume rm [-f]}; refused by the engine while a container uses the volume. */
    public void remove(String name, boolean force) {
        api.delete(api.url("volumes").addPathSegment(name).addQueryParameter("force", force ? "1" : "0").build());
    }

    /** {@code docker volume prune -f [--all]}: unused anonymous volumes, or with {@code all} every unused one. */
    public Pruned prune(boolean all) {
        var url = api.url("volumes/prune");
        if (all) {
            url.addQueryParameter("filters", "{\"all\":[\"true\"]}");
        }
        JsonNode r = api.post(url.build(), null);
        List<String> names = new ArrayList<>();
        r.path("VolumesDeleted").forEach(n -> names.add(n.asText()));
        return new Pruned(names, r.path("SpaceReclaimed").asLong());
    }

    /**
     * The entries of {@code path} (absolute inside the volume) through Berth's
     * {@code /volumes/{name}/files}; another engine does not have it.
     *
     * @throws EngineException.NotFound when the engine does not offer the browser (or the path is gone)
     */
    public List<FileEntry> files(String volume, String path) {
        JsonNode r = api.get(api.url("volumes").addPathSegment(volume).addPathSegment("files")
                .addQueryParameter("path", path).build());
        List<FileEntry> out = new ArrayList<>();
        for (JsonNode e : r) {
            out.add(new FileEntry(ApiClient.text(e, "Name"), ApiClient.text(e, "Type"), e.path("Size").asLong(),
                    e.path("Mode").asInt(), instant(ApiClient.text(e, "Modified"))));
        }
        return out;
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    static Instant instant(String text) {
        try {
            return text.isEmpty() ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
