package dev.berth.engine.api.build;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.api.http.Exchange;
import dev.berth.engine.api.http.ResponseStream;
import dev.berth.engine.api.http.Route;
import dev.berth.engine.api.http.Router;
import dev.berth.engine.build.BuildRequest;
import dev.berth.engine.build.BuildResult;
import dev.berth.engine.build.Builder;
import dev.berth.engine.build.context.BuildContext;
import dev.berth.engine.build.dockerfile.DockerfileError;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /build} (moby's {@code router/build} with the classic builder) and {@code POST /build/prune}.
 * The answer to a build begins with its first line, so that what fails before any step ran (a malformed
 * Dockerfile, in Docker's {@code dockerfile parse error on line N: ...} words; a bad tag; a broken context)
 * is a plain error answer the CLI prints as {@code Error response from daemon: ...}; a failure after that is
 * the stream's last line, carrying a failed RUN's exit code, which the CLI exits with. A client that goes
 * away cancels the build.
 *
 * <p>As moby reads them: {@code rm} (absent means true) removes a RUN's container after a successful step,
 * {@code forcerm} (which implies {@code rm}) whatever happened; {@code networkmode} ({@code default}, {@code none},
 * {@code host} or a network) is the RUN containers' network. {@code /build/prune} answers with the cache records
 * that went and the bytes freed ({@code all}, {@code keep-storage} or {@code reserved-space}, filter {@code until}).
 */
public final class BuildRouter implements Router {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final BuildBackend backend;

    public BuildRouter(BuildBackend backend) {
        this.backend = backend;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.post("/build", this::build), Route.post("/build/prune", this::prune));
    }

    /** Docker's {@code BuildCachePruneReport}. */
    public record PruneReport(@JsonProperty("CachesDeleted") List<String> cachesDeleted,
                              @JsonProperty("SpaceReclaimed") long spaceReclaimed) {}

    /**
     * {@code all}; {@code keep-storage} (and its newer name {@code reserved-space}) in bytes; the {@code until}
     * filter as a Go duration ({@code 24h}) or a timestamp.
     */
    private void prune(Exchange ex) {
        for (String key : ex.filters().values().keySet()) {
            if (!key.equals("until")) {
                throw new EngineException.InvalidArgument("invalid filter '" + key + "': the classic builder's cache"
                        + " can be pruned by until only");
            }
        }
        java.time.Duration until = null;
        for (String v : ex.filters().values().getOrDefault("until", List.of())) {
            java.time.Duration d = untilAge(v.strip());
            until = until == null || d.compareTo(until) > 0 ? d : until;
        }
        long keep = Math.max(bytes(ex, "keep-storage"), bytes(ex, "reserved-space"));
        Builder.CachePruneReport report = backend.pruneCache(new Builder.CachePruneOptions(ex.queryBool("all"), until, keep));
        ex.respondJson(new PruneReport(report.cachesDeleted(), report.spaceReclaimed()));
    }

    /** An {@code until} value as an age: a Go duration, or a timestamp (RFC 3339 or Unix seconds) turned into one. */
    static java.time.Duration untilAge(String v) {
        java.time.Duration d = dev.berth.engine.build.dockerfile.GoDuration.parse(v);
        if (d != null) {
            return d;
        }
        java.time.Instant at;
        try {
            at = java.time.Instant.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            try {
                at = java.time.Instant.ofEpochSecond((long) Double.parseDouble(v));
            } catch (NumberFormatException e2) {
                throw new EngineException.InvalidArgument("invalid until filter \"" + v
                        + "\": use a duration such as 24h or a timestamp");
            }
        }
        java.time.Duration age = java.time.Duration.between(at, java.time.Instant.now());
        return age.isNegative() ? java.time.Duration.ZERO : age;
    }

    private static long bytes(Exchange ex, String name) {
        String v = ex.query(name).map(String::strip).orElse("");
        if (v.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidArgument("invalid " + name + " \"" + v + "\": a number of bytes");
        }
    }

    private void build(Exchange ex) throws Exception {
        String version = ex.query("version").map(String::strip).orElse("");
        if (version.equals("2")) {
            throw new EngineException.InvalidArgument("BuildKit builds are not supported: build with DOCKER_BUILDKIT=0"
                    + " (the classic builder)");
        }
        if (!ex.query("remote").map(String::strip).orElse("").isEmpty()) {
            throw new EngineException.InvalidArgument("building from a remote context is not supported:"
                    + " send the context as a tar body");
        }
        List<String> tags = ex.queryAll("t").stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
        Map<String, String> buildArgs = jsonMap(ex, "buildargs");
        Map<String, String> labels = jsonMap(ex, "labels");
        String dockerfile = ex.query("dockerfile").map(String::strip).orElse("");
        String target = ex.query("target").map(String::strip).orElse("");
        ClassicOutput format = new ClassicOutput(ex.queryBool("q"));
        // moby: forcerm implies rm; an absent rm means true (the CLI always sends it)
        boolean forceRm = ex.queryBool("forcerm");
        boolean rm = forceRm || ex.query("rm").map(String::strip).map(v -> v.isEmpty() || bool(v)).orElse(true);

        LineStream out = new LineStream(ex);
        try (BuildContext context = backend.context(ex.body()); Cancel cancel = new Cancel(ex)) {
            // read what follows the tar's end (its padding, the last chunk): only a request read to its end lets
            // the server notice a client that goes away while a step runs silently
            ex.body().transferTo(OutputStream.nullOutputStream());
            BuildRequest request = new BuildRequest(context, dockerfile.isEmpty() ? null : dockerfile, tags, buildArgs,
                    target.isEmpty() ? null : target, ex.queryBool("nocache"), ex.queryBool("pull"), labels, rm, forceRm,
                    ex.query("networkmode").map(String::strip).orElse(null));
            BuildResult result;
            try {
                result = backend.build(request, p -> format.translate(p).forEach(out::send));
            } catch (Exception e) {
                out.fail(e);
                out.close();
                return;
            }
            format.finished(result).forEach(out::send);
        }
        out.close();
    }

    /** moby's {@code httputils.BoolValue}: anything but 0, no, false and none. */
    private static boolean bool(String v) {
        String s = v.toLowerCase(java.util.Locale.ROOT);
        return !(s.equals("0") || s.equals("false") || s.equals("no") || s.equals("none"));
    }

    /** A JSON object query parameter ({@code buildargs}, {@code labels}); null values (an unset arg) are left out. */
    static Map<String, String> jsonMap(Exchange ex, String name) {
        String v = ex.query(name).map(String::strip).orElse("");
        if (v.isEmpty()) {
            return Map.of();
        }
        Map<String, String> parsed;
        try {
            parsed = Json.mapper().readValue(v, STRING_MAP);
        } catch (JacksonException e) {
            throw new EngineException.InvalidArgument("invalid " + name + ": not a JSON object of strings: "
                    + e.getOriginalMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (parsed != null) {
            parsed.forEach((k, val) -> {
                if (val != null) {
                    out.put(k, val);
                }
            });
        }
        return out;
    }

    /** What a failed build says: Docker's words for a Dockerfile problem and a failed RUN (with its code). */
    static BuildMessage failure(Throwable e) {
        var parse = DockerfileError.of(e);
        if (parse.isPresent()) {
            return BuildMessage.error(null, parse.get().dockerMessage());
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof Builder.StepFailure step) {
                return BuildMessage.error(step.exitCode(), step.getMessage());
            }
        }
        if (e instanceof InterruptedException) {
            return BuildMessage.error(null, "cancelled");
        }
        return BuildMessage.error(null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** Interrupts the handler thread (which runs the build) when the client goes away, until closed. */
    private static final class Cancel implements AutoCloseable {
        private final Thread worker = Thread.currentThread();
        private final AtomicBoolean armed = new AtomicBoolean(true);

        Cancel(Exchange ex) {
            ex.onDisconnect(() -> {
                if (armed.compareAndSet(true, false)) {
                    worker.interrupt();
                }
            });
        }

        @Override
        public void close() {
            if (!armed.compareAndSet(true, false)) {
                Thread.interrupted(); // an interrupt that came after the build ended
            }
        }
    }

    /** JSON lines that begin the 200 answer only with the first line; drops lines once the client is gone. */
    private static final class LineStream {
        private final Exchange ex;
        private ResponseStream out;
        private boolean gone;

        LineStream(Exchange ex) {
            this.ex = ex;
        }

        synchronized void send(BuildMessage m) {
            if (gone) {
                return;
            }
            try {
                if (out == null) {
                    out = ex.stream(200, "application/json");
                }
                byte[] json = Json.toBytes(m);
                byte[] line = Arrays.copyOf(json, json.length + 1);
                line[json.length] = '\n';
                out.write(line);
            } catch (IOException e) {
                gone = true;
            }
        }

        /** The failure as the last line once the stream began; else rethrown (Dockerfile errors in Docker's words). */
        void fail(Exception e) throws Exception {
            synchronized (this) {
                if (out == null) {
                    var parse = DockerfileError.of(e);
                    if (parse.isPresent()) {
                        throw new EngineException.InvalidArgument(parse.get().dockerMessage(), e);
                    }
                    throw e;
                }
            }
            if (ex.isOpen()) {
                send(failure(e));
            }
        }

        synchronized void close() {
            if (out == null && !gone) {
                out = ex.stream(200, "application/json");
            }
            if (out != null) {
                out.close();
            }
        }
    }
}
