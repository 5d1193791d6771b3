package dev.berth.app.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.app.backend.ApiClient;
import dev.berth.engine.errors.EngineException;
import okhttp3.HttpUrl;
import okhttp3.Request;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Containers pane's calls, over the Docker Engine API ({@link ApiClient}), so they work the
 * same against the embedded engine and one the app is a client of. Calls block: run them on a
 * background thread. Failures are {@code EngineException}s carrying the engine's message.
 */
public final class ContainersClient {

    /** What {@code docker container prune} removed. */
    public record PruneReport(List<String> deleted, long spaceReclaimed) {}

    private final ApiClient api;

    public ContainersClient(ApiClient api) {
        this.api = Objects.requireNonNull(api);
    }

    /** {@code docker ps [-a]}: newest first. */
    public List<ContainerSummary> list(boolean all) {
        JsonNode answer = api.get(api.url("containers/json").addQueryParameter("all", all ? "1" : "0").build());
        List<ContainerSummary> out = new ArrayList<>();
        for (JsonNode n : answer) {
            out.add(ContainerSummary.fromJson(n));
        }
        return out;
    }

    /** One container by its full id (the {@code id} filter of {@code /containers/json}); empty when it is gone. */
    public Optional<ContainerSummary> find(String id) {
        ObjectNode filters = ApiClient.JSON.createObjectNode();
        filters.putArray("id").add(id);
        JsonNode answer = api.get(api.url("containers/json").addQueryParameter("all", "1")
                .addQueryParameter("filters", filters.toString()).build());
        for (JsonNode n : answer) {
            ContainerSummary c = ContainerSummary.fromJson(n);
            if (c.id().equals(id)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code POST /containers/create} with Docker's create body ({@code Config} with {@code HostConfig}
     * inside); {@code name} may be null for a generated one.
     *
     * @return the new container's id
     */
    public String create(JsonNode body, String name) {
        HttpUrl.Builder url = api.url("containers/create");
        if (name != null && !name.isBlank()) {
            url.addQueryParameter("name", name);
        }
        JsonNode answer = api.post(url.build(), body);
        String id = ApiClient.text(answer, "Id");
        if (id.isEmpty()) {
            throw new EngineException.Unavailable("the engine created a container but did not say its id");
        }
        return id;
    }

    public void start(String id) {
        api.post(path(id, "start").build(), null);
    }

    /** {@code docker stop}: the stop signal, then SIGKILL after the container's stop timeout. */
    public void stop(String id) {
        api.post(path(id, "stop").build(), null);
    }

    public void restart(String id) {
        api.post(path(id, "restart").build(), null);
    }

    /** {@code docker kill -s signal}; null or blank sends SIGKILL. */
    public void kill(String id, String signal) {
        HttpUrl.Builder url = path(id, "kill");
        if (signal != null && !signal.isBlank()) {
            url.addQueryParameter("signal", signal);
        }
        api.post(url.build(), null);
    }

    public void pause(String id) {
        api.post(path(id, "pause").build(), null);
    }

    public void unpause(String id) {
        api.post(path(id, "unpause").build(), null);
    }

    /** {@code docker rm [-f] [-v]}: {@code force} kills a running container first; {@code removeVolumes} its anonymous volumes. */
    public void remove(String id, boolean force, boolean removeVolumes) {
        api.delete(api.url("containers/" + id).addQueryParameter("force", Boolean.toString(force))
                .addQueryParameter("v", Boolean.toString(removeVolumes)).build());
    }

    /** {@code docker container prune}: removes every stopped container. */
    public PruneReport prune() {
        JsonNode answer = api.post(api.url("containers/prune").build(), null);
        List<String> deleted = new ArrayList<>();
        for (JsonNode d : answer.path("ContainersDeleted")) {
            deleted.add(d.asText());
        }
        return new PruneReport(deleted, answer.path("SpaceReclaimed").asLong(0));
    }

    /** One stats document ({@code stream=false}: two samples a second apart, so CPU % is known). */
    public StatsSample statsOnce(String id) {
        return StatsSample.fromJson(api.get(path(id, "stats").addQueryParameter("stream", "false").build()));
    }

    /**
     * Streams the container's stats (one document a second) to {@code onSample} until the
     * container stops (the engine ends the stream) or this thread is interrupted.
     */
    public void streamStats(String id, Consumer<StatsSample> onSample) throws InterruptedException {
        Request request = new Request.Builder().url(path(id, "stats").addQueryParameter("stream", "true").build()).get().build();
        api.streamJsonLines(request, "/containers/" + id + "/stats", doc -> onSample.accept(StatsSample.fromJson(doc)));
    }

    /**
     * The names of the engine's networks ({@code GET /networks}), or empty when this engine does
     * not serve networks (it answers 404 there).
     */
    public Optional<List<String>> networks() {
        JsonNode answer;
        try {
            answer = api.get("networks");
        } catch (EngineException.NotFound e) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (JsonNode n : answer) {
            String name = ApiClient.text(n, "Name");
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return Optional.of(names);
    }

    private HttpUrl.Builder path(String id, String action) {
        return api.url("containers/" + id + "/" + action);
    }
}
