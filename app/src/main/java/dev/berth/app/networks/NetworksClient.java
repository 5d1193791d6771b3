package dev.berth.app.networks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.app.backend.ApiClient;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Networks pane's calls on the Docker Engine API ({@code /networks}), for Berth and for any
 * Docker-compatible engine. Calls block: run them on a background thread.
 */
public final class NetworksClient {

    /** A container attached to a network, with its addresses on it. */
    public record Attached(String id, String name, String ipv4Address, String macAddress) {}

    /** One network as the pane lists it. */
    public record Network(String id, String name, String driver, String subnet, String gateway, String ipRange,
                          boolean internal, Instant created, Map<String, String> labels, List<Attached> containers) {

        public Network {
            labels = Map.copyOf(labels);
            containers = List.copyOf(containers);
        }

        /** {@code bridge}, {@code host} and {@code none}: the engine's own, never removed. */
        public boolean builtin() {
            return List.of("bridge", "host", "none").contains(name);
        }

        public String shortId() {
            return id.length() > 12 ? id.substring(0, 12) : id;
        }
    }

    /** What the create dialog asks for; blank fields take the engine's defaults. */
    public record CreateSpec(String name, String subnet, String gateway, String ipRange, boolean internal,
                             Map<String, String> labels) {
        public CreateSpec {
            labels = Map.copyOf(labels);
        }
    }

    private final ApiClient api;

    public NetworksClient(ApiClient api) {
        this.api = api;
    }

    /**
     * Every network, by name, each with its attached containers ({@code GET /networks/{id}}:
     * Docker's list leaves them out).
     */
    public List<Network> list() {
        List<Network> out = new ArrayList<>();
        for (JsonNode n : api.get("networks")) {
            JsonNode full = n.path("Containers").isObject() && !n.path("Containers").isEmpty() ? n : inspect(n.path("Id").asText());
            out.add(parse(full));
        }
        out.sort(Comparator.comparing(Network::name));
        return out;
    }

    /** Docker's JSON for one network. */
    public JsonNode inspect(String idOrName) {
        return api.get(api.url("networks").addPathSegment(idOrName).build());
    }

    /** {@code docker network create}; returns the new network's id. */
    public String create(CreateSpec spec) {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("Name", spec.name());
        body.put("Driver", "bridge");
        body.put("CheckDuplicate", true);
        body.put("Internal", spec.internal());
        if (!blank(spec.subnet())) {
            ObjectNode pool = ApiClient.JSON.createObjectNode().put("Subnet", spec.subnet().strip());
            if (!blank(spec.gateway())) {
                pool.put("Gateway", spec.gateway().strip());
            }
            if (!blank(spec.ipRange())) {
                pool.put("IPRange", spec.ipRange().strip());
            }
            ObjectNode ipam = body.putObject("IPAM");
            ipam.put("Driver", "default");
            ipam.putArray("Config").add(pool);
        }
        ObjectNode labels = body.putObject("Labels");
        spec.labels().forEach(labels::put);
        return api.post(api.url("networks/create").build(), body).path("Id").asText();
    }

    /** {@code docker network rm}; refused by the engine while containers are attached. */
    public void remove(String id) {
        api.delete(api.url("networks").addPathSegment(id).build());
    }

    /** {@code docker network prune -f}; the names removed. */
    public List<String> prune() {
        JsonNode r = api.post(api.url("networks/prune").build(), null);
        List<String> names = new ArrayList<>();
        if (r.path("NetworksDeleted") instanceof ArrayNode a) {
            a.forEach(n -> names.add(n.asText()));
        }
        return names;
    }

    static Network parse(JsonNode n) {
        JsonNode pool = n.path("IPAM").path("Config").path(0);
        Map<String, String> labels = new LinkedHashMap<>();
        n.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<Attached> containers = new ArrayList<>();
        n.path("Containers").properties().forEach(e -> containers.add(new Attached(e.getKey(),
                ApiClient.text(e.getValue(), "Name"), ApiClient.text(e.getValue(), "IPv4Address"),
                ApiClient.text(e.getValue(), "MacAddress"))));
        containers.sort(Comparator.comparing(Attached::name));
        return new Network(ApiClient.text(n, "Id"), ApiClient.text(n, "Name"), ApiClient.text(n, "Driver"),
                ApiClient.text(pool, "Subnet"), ApiClient.text(pool, "Gateway"), ApiClient.text(pool, "IPRange"),
                n.path("Internal").asBoolean(), instant(ApiClient.text(n, "Created")), labels, containers);
    }

    static Instant instant(String text) {
        try {
            return text.isEmpty() ? null : java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
