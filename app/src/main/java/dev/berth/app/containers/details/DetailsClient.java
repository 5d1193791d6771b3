package dev.berth.app.containers.details;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.app.backend.ApiClient;
import dev.berth.app.backend.DockerHost;
import okhttp3.Request;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Docker API calls of the container Details tabs, over {@link ApiClient} (the same for an
 * embedded engine and one the app is a client of). Calls block: run them off the UI thread.
 */
public final class DetailsClient {

    private final java.util.function.Supplier<ApiClient> apis;

    public DetailsClient(ApiClient api) {
        this(() -> api);
    }

    /** A client that asks {@code apis} for the API client at each call (the backend connects lazily). */
    public DetailsClient(java.util.function.Supplier<ApiClient> apis) {
        this.apis = apis;
    }

    private ApiClient api() {
        return apis.get();
    }

    /** {@code GET /containers/{id}/json}. */
    public JsonNode inspect(String id) {
        return api().get("containers/" + id + "/json");
    }

    /** {@code GET /containers/{id}/top}: {@code Titles} and {@code Processes}. */
    public JsonNode top(String id) {
        return api().get("containers/" + id + "/top");
    }

    /** {@code GET /containers/{id}/changes}: {@code [{Path, Kind}]}, Kind 0 changed, 1 added, 2 deleted. */
    public JsonNode changes(String id) {
        return api().get("containers/" + id + "/changes");
    }

    /** {@code GET /containers/{id}/xray}: Berth's extension (namespaces, cgroup, overlay). */
    public JsonNode xray(String id) {
        return api().get("containers/" + id + "/xray");
    }

    /**
     * Streams the log ({@code follow=1}, both streams, timestamps) to {@code sink} until the
     * container stops or the calling thread is interrupted.
     *
     * @param tty  the container has a TTY: the body is raw, else multiplexed
     * @param tail the last n lines, negative for all
     */
    public void logs(String id, boolean tty, int tail, boolean follow, Consumer<LogLine> sink) throws InterruptedException {
        Request r = new Request.Builder().url(api().url("containers/" + id + "/logs")
                .addQueryParameter("follow", follow ? "1" : "0")
                .addQueryParameter("stdout", "1")
                .addQueryParameter("stderr", "1")
                .addQueryParameter("timestamps", "1")
                .addQueryParameter("tail", tail < 0 ? "all" : Integer.toString(tail)).build()).get().build();
        api().stream(r, "logs of " + id, response -> new LogDecoder(!tty, true, sink).decode(response.body().byteStream()));
    }

    /** Streams {@code /containers/{id}/stats?stream=1} until it ends or the thread is interrupted. */
    public void stats(String id, Consumer<StatsPoint> sink) throws InterruptedException {
        Request r = new Request.Builder().url(api().url("containers/" + id + "/stats")
                .addQueryParameter("stream", "1").build()).get().build();
        api().streamJsonLines(r, "stats of " + id, node -> sink.accept(StatsPoint.of(node)));
    }

    /** {@code POST /containers/{id}/exec}; returns the exec id. */
    public String execCreate(String id, List<String> cmd, boolean tty, boolean stdin) {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("AttachStdin", stdin).put("AttachStdout", true).put("AttachStderr", true).put("Tty", tty);
        cmd.forEach(body.putArray("Cmd")::add);
        if (tty) {
            body.putArray("Env").add("TERM=xterm-256color");
        }
        return api().post(api().url("containers/" + id + "/exec").build(), body).path("Id").asText();
    }

    /** Runs {@code cmd} detached in the container and returns its exit code (waits up to 10 s). */
    public int execExitCode(String id, List<String> cmd) throws InterruptedException {
        String exec = execCreate(id, cmd, false, false);
        ObjectNode start = ApiClient.JSON.createObjectNode().put("Detach", true).put("Tty", false);
        api().post(api().url("exec/" + exec + "/start").build(), start);
        for (int i = 0; i < 200; i++) {
            JsonNode info = api().get("exec/" + exec + "/json");
            if (!info.path("Running").asBoolean() && info.hasNonNull("ExitCode")) {
                return info.path("ExitCode").asInt();
            }
            Thread.sleep(50);
        }
        return -1;
    }

    /** The shell a terminal runs: {@code /bin/bash} when the image has it, else {@code /bin/sh}. */
    public String shell(String id) throws InterruptedException {
        return execExitCode(id, List.of("test", "-x", "/bin/bash")) == 0 ? "/bin/bash" : "/bin/sh";
    }

    /** Starts exec {@code execId} with a TTY of {@code rows} x {@code columns} on a hijacked connection. */
    public HijackedStream execStart(String execId, int rows, int columns) throws IOException {
        String body = "{\"Detach\":false,\"Tty\":true,\"ConsoleSize\":[" + rows + "," + columns + "]}";
        return HijackedStream.open(connect(), "POST", api().rawPath("exec/" + execId + "/start"), body);
    }

    /** Attaches to the container's stdio (for a container run with {@code -it}). */
    public HijackedStream attach(String id) throws IOException {
        return HijackedStream.open(connect(), "POST",
                api().rawPath("containers/" + id + "/attach?stream=1&stdin=1&stdout=1&stderr=1"), null);
    }

    /** A new connection to the engine, as a channel that can be read and written at the same time. */
    private SocketChannel connect() throws IOException {
        return api().openRawChannel();
    }

    public void execResize(String execId, int rows, int columns) {
        api().post(api().url("exec/" + execId + "/resize").addQueryParameter("h", Integer.toString(rows))
                .addQueryParameter("w", Integer.toString(columns)).build(), null);
    }

    public void containerResize(String id, int rows, int columns) {
        api().post(api().url("containers/" + id + "/resize").addQueryParameter("h", Integer.toString(rows))
                .addQueryParameter("w", Integer.toString(columns)).build(), null);
    }

    /** Whether the container runs now ({@code State.Running}); false when it is gone. */
    public boolean running(String id) {
        try {
            return inspect(id).path("State").path("Running").asBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
