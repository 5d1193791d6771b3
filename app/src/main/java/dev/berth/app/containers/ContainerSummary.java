package dev.berth.app.containers;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.berth.app.backend.ApiClient.text;

/**
 * One container as {@code docker ps -a} lists it: an entry of {@code GET /containers/json}.
 *
 * @param name    its name without Docker's leading slash
 * @param image   the image as the container was created from it ({@code busybox:latest})
 * @param command the command line it runs
 * @param status  the engine's human status ({@code Up 3 minutes}, {@code Exited (0) 2 hours ago})
 */
public record ContainerSummary(String id, String name, String image, String imageId, String command, Instant created,
                               ContainerState state, String status, List<PublishedPort> ports, Map<String, String> labels) {

    public ContainerSummary {
        ports = List.copyOf(ports);
        labels = Map.copyOf(labels);
    }

    /** Reads one entry of {@code /containers/json}. */
    public static ContainerSummary fromJson(JsonNode n) {
        String name = "";
        for (JsonNode v : n.path("Names")) {
            String s = v.asText();
            name = s.startsWith("/") ? s.substring(1) : s;
            break;
        }
        List<PublishedPort> ports = new ArrayList<>();
        for (JsonNode p : n.path("Ports")) {
            ports.add(new PublishedPort(text(p, "IP"), p.path("PrivatePort").asInt(), p.path("PublicPort").asInt(), text(p, "Type")));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        n.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        long created = n.path("Created").asLong(0);
        return new ContainerSummary(text(n, "Id"), name, text(n, "Image"), text(n, "ImageID"), text(n, "Command"),
                created > 0 ? Instant.ofEpochSecond(created) : null, ContainerState.parse(text(n, "State")),
                text(n, "Status"), ports, labels);
    }

    /** The id as Docker shows it: 12 characters. */
    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** The ports as {@code docker ps} writes them, comma-separated. */
    public String portsText() {
        return String.join(", ", ports.stream().map(PublishedPort::toString).toList());
    }
}
