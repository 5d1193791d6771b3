package dev.berth.engine.api.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.api.http.Exchange;
import dev.berth.engine.api.http.Filters;
import dev.berth.engine.api.http.HijackedConnection;
import dev.berth.engine.api.http.ResponseStream;
import dev.berth.engine.api.http.Route;
import dev.berth.engine.api.http.Router;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerFilter;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ContainerService.LogOptions;
import dev.berth.engine.container.ContainerStatus;
import dev.berth.engine.container.CreateRequest;
import dev.berth.engine.container.inspect.ContainerArchive;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.LogReader;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /containers/...}: Docker's container routes (moby's {@code router/container}). Every
 * handler maps HTTP onto {@link ContainerService}, which is already the engine's narrow seam
 * for containers, so the router takes it as its backend.
 */
public final class ContainersRouter implements Router {

    private static final Pattern TIMESTAMP = Pattern.compile("^(\\d{1,12})(?:\\.(\\d{1,9}))?$");
    private static final Set<String> LIST_FILTERS = Set.of("status", "name", "label", "ancestor", "id", "exited");
    private static final AtomicInteger ATTACH_SEQ = new AtomicInteger();

    private final ContainerService containers;
    private final ContainerFilesBackend files;

    public ContainersRouter(ContainerService containers, ContainerFilesBackend files) {
        this.containers = containers;
        this.files = files;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/containers/create", this::create),
                Route.post("/commit", this::commit),
                Route.get("/containers/json", this::list),
                Route.post("/containers/prune", this::prune),
                Route.get("/containers/{id}/json", this::inspect),
                Route.post("/containers/{id}/start", this::start),
                Route.post("/containers/{id}/stop", this::stop),
                Route.post("/containers/{id}/restart", this::restart),
                Route.post("/containers/{id}/kill", this::kill),
                Route.post("/containers/{id}/pause", this::pause),
                Route.post("/containers/{id}/unpause", this::unpause),
                Route.post("/containers/{id}/wait", this::await),
                Route.post("/containers/{id}/rename", this::rename),
                Route.post("/containers/{id}/resize", this::resize),
                Route.delete("/containers/{id}", this::remove),
                Route.get("/containers/{id}/logs", this::logs),
                Route.get("/containers/{id}/top", ex -> ex.respondJson(files.top(ex.pathParam("id"), ex.query("ps_args").orElse("")))),
                Route.get("/containers/{id}/stats", this::stats),
                Route.get("/containers/{id}/archive", this::getArchive),
                Route.get("/containers/{id}/export", this::export),
                Route.put("/containers/{id}/archive", this::putArchive),
                Route.get("/containers/{id}/changes", ex -> ex.respondJson(files.changes(ex.pathParam("id")))),
                Route.hijacking("POST", "/containers/{id}/attach", this::attach),
                Route.post("/networks/{id}/connect", this::connectNetwork),
                Route.post("/networks/{id}/disconnect", this::disconnectNetwork));
    }

    // ------------------------------------------------------------------ create / list / inspect

    private void create(Exchange ex) throws IOException {
        JsonNode body = ex.readJson(JsonNode.class);
        CreateRequest request = CreateBody.parse(body, ex.query("name").orElse(null));
        Container c;
        try {
            c = containers.create(request);
        } catch (EngineException.NotFound e) {
            // the CLI pulls on a 404 and names the image it pulls from the message
            throw new EngineException.NotFound("No such image: " + withDefaultTag(request.image()));
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("Id", c.id());
        res.put("Warnings", List.of());
        ex.respondJson(201, res);
    }

    /** {@code busybox} → {@code busybox:latest}; references with a tag or digest stay as they are. */
    static String withDefaultTag(String ref) {
        if (ref.contains("@") || ref.matches("^[0-9a-f]{12,64}$") || ref.startsWith("sha256:")) {
            return ref;
        }
        int slash = ref.lastIndexOf('/');
        return ref.indexOf(':', slash + 1) >= 0 ? ref : ref + ":latest";
    }

    private void list(Exchange ex) {
        Filters f = ex.filters().acceptOnly(LIST_FILTERS);
        long limit = ex.queryLong("limit", -1);
        boolean all = ex.queryBool("all") || limit > 0;
        Set<ContainerStatus> status = EnumSet.noneOf(ContainerStatus.class);
        for (String s : f.get("status")) {
            status.add(ContainerStatus.parse(s));
        }
        List<Integer> exited = new ArrayList<>();
        for (String s : f.get("exited")) {
            try {
                exited.add(Integer.parseInt(s.strip()));
            } catch (NumberFormatException e) {
                throw new EngineException.InvalidArgument("invalid filter 'exited=" + s + "': not an exit code");
            }
        }
        ContainerFilter filter = new ContainerFilter(all || !status.isEmpty() || !exited.isEmpty(), status,
                f.get("name"), f.get("label"), f.get("ancestor"), f.get("id"), exited);
        List<Container> found = new ArrayList<>(containers.list(filter));
        found.sort((a, b) -> b.created().compareTo(a.created()));
        if (limit > 0 && found.size() > limit) {
            found = found.subList(0, (int) limit);
        }
        Instant now = Instant.now();
        ex.respondJson(found.stream().map(c -> ContainerViews.summary(c, now, containers.networkAttachment(c.id()),
                containers.mountPoints(c.id()))).toList());
    }

    private void inspect(Exchange ex) {
        Container c = containers.inspect(ex.pathParam("id"));
        ex.respondJson(ContainerViews.inspect(c, containers.execIds(c.id()), containers.networkAttachment(c.id()),
                containers.mountPoints(c.id())));
    }

    private void prune(Exchange ex) {
        Filters f = ex.filters().acceptOnly(Set.of("label"));
        ContainerService.PruneReport r = containers.prune(new ContainerFilter(true, null, null, f.get("label"), null, null, null));
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("ContainersDeleted", r.deleted());
        res.put("SpaceReclaimed", r.spaceReclaimed());
        ex.respondJson(res);
    }

    // ------------------------------------------------------------------ networks of a container

    /** {@code docker network connect}: {@code {"Container": x, "EndpointConfig": {"Aliases": [...], "IPAMConfig": {...}}}}. */
    private void connectNetwork(Exchange ex) throws IOException {
        JsonNode body = ex.readJson(JsonNode.class);
        String container = body == null ? null : body.path("Container").asText(null);
        if (container == null || container.isBlank()) {
            throw new EngineException.InvalidArgument("network connect needs \"Container\"");
        }
        String network = ex.pathParam("id");
        JsonNode ec = body.path("EndpointConfig");
        containers.connectNetwork(container, network, ec.isObject() ? CreateBody.endpoint(network, ec) : null);
        ex.respondEmpty(200);
    }

    /** {@code docker network disconnect [-f]}: {@code {"Container": x, "Force": bool}}. */
    private void disconnectNetwork(Exchange ex) throws IOException {
        JsonNode body = ex.readJson(JsonNode.class);
        String container = body == null ? null : body.path("Container").asText(null);
        if (container == null || container.isBlank()) {
            throw new EngineException.InvalidArgument("network disconnect needs \"Container\"");
        }
        containers.disconnectNetwork(container, ex.pathParam("id"), body.path("Force").asBoolean(false));
        ex.respondEmpty(200);
    }

    // ------------------------------------------------------------------ lifecycle

    private void start(Exchange ex) {
        Container c = containers.inspect(ex.pathParam("id"));
        if (c.state().status() == ContainerStatus.RUNNING) {
            ex.respondEmpty(304);
            return;
        }
        containers.start(c.id());
        ex.respondEmpty(204);
    }

    private void stop(Exchange ex) {
        Container c = containers.inspect(ex.pathParam("id"));
        if (!c.state().running() && c.state().status() != ContainerStatus.RESTARTING) {
            ex.respondEmpty(304);
            return;
        }
        containers.stop(c.id(), timeout(ex));
        ex.respondEmpty(204);
    }

    private void restart(Exchange ex) {
        containers.restart(ex.pathParam("id"), timeout(ex));
        ex.respondEmpty(204);
    }

    private static Duration timeout(Exchange ex) {
        long t = ex.queryLong("t", Long.MIN_VALUE);
        if (t == Long.MIN_VALUE) {
            return null;
        }
        return t < 0 ? Duration.ofDays(3650) : Duration.ofSeconds(t);
    }

    private void kill(Exchange ex) {
        Container c = containers.inspect(ex.pathParam("id"));
        if (!c.state().running()) {
            throw new EngineException.Conflict("cannot kill container: " + ex.pathParam("id") + ": container "
                    + c.id() + " is not running");
        }
        containers.kill(c.id(), ex.query("signal").filter(s -> !s.isBlank()).orElse(null));
        ex.respondEmpty(204);
    }

    private void pause(Exchange ex) {
        containers.pause(ex.pathParam("id"));
        ex.respondEmpty(204);
    }

    private void unpause(Exchange ex) {
        containers.unpause(ex.pathParam("id"));
        ex.respondEmpty(204);
    }

    private void rename(Exchange ex) {
        String name = ex.query("name").map(String::strip).orElse("");
        if (name.isEmpty()) {
            throw new EngineException.InvalidArgument("Neither old nor new names may be empty");
        }
        containers.rename(ex.pathParam("id"), name.startsWith("/") ? name.substring(1) : name);
        ex.respondEmpty(204);
    }

    private void remove(Exchange ex) {
        containers.remove(ex.pathParam("id"), ex.queryBool("force"), ex.queryBool("v"));
        ex.respondEmpty(204);
    }

    private void resize(Exchange ex) {
        containers.resize(ex.pathParam("id"), (int) ex.queryLong("h", 0), (int) ex.queryLong("w", 0));
        ex.respondEmpty(200);
    }

    /**
     * Blocks until the condition holds. The status line goes out at once (as Docker does), so a
     * client knows its wait is registered; the body follows when the container exits.
     */
    private void await(Exchange ex) throws IOException {
        ContainerService.WaitCondition condition = ContainerService.WaitCondition.parse(ex.query("condition").orElse(null));
        String id = ex.pathParam("id");
        containers.inspect(id); // 404 before the response begins
        Thread handler = Thread.currentThread();
        ex.onDisconnect(handler::interrupt);
        ResponseStream out = ex.stream(200, "application/json");
        int code;
        try {
            code = containers.wait(id, condition, null);
        } catch (InterruptedException e) {
            return; // the client went away
        } catch (EngineException e) {
            out.write(Json.toBytes(Map.of("StatusCode", -1, "Error", Map.of("Message", e.getMessage()))));
            out.close();
            return;
        }
        out.write(Json.toBytes(Map.of("StatusCode", code)));
        out.close();
    }

    /** {@code GET} (a tar of the path) and {@code HEAD} (its stat only), both with {@code X-Docker-Container-Path-Stat}. */
    private void getArchive(Exchange ex) throws IOException {
        String path = ex.query("path").filter(p -> !p.isBlank())
                .orElseThrow(() -> new EngineException.InvalidArgument("path is required: /containers/{id}/archive?path=/some/file"));
        boolean head = ex.isHead();
        files.withRoot(ex.pathParam("id"), head ? null : "archive-path", root -> {
            ContainerArchive.PathStat st = ContainerArchive.stat(root, path);
            ex.setHeader("X-Docker-Container-Path-Stat", st.header());
            if (head) {
                ex.respondEmpty(200);
                return null;
            }
            ResponseStream out = ex.stream(200, "application/x-tar");
            ContainerArchive.archive(root, path, out);
            out.close();
            return null;
        });
    }

    /** {@code docker commit}: {@code container}, {@code repo}, {@code tag}, {@code comment}, {@code author}, {@code changes}, {@code pause}. */
    private void commit(Exchange ex) throws IOException {
        String container = ex.query("container").filter(v -> !v.isBlank())
                .orElseThrow(() -> new EngineException.InvalidArgument("container is required: /commit?container=<name or id>"));
        JsonNode body = ex.readJson(JsonNode.class);
        if (body != null && body.isObject()) {
            for (var field : body.properties()) {
                JsonNode v = field.getValue();
                if (!(v.isNull() || ((v.isArray() || v.isObject() || v.isTextual()) && (v.isTextual() ? v.asText().isEmpty() : v.isEmpty()))
                        || (v.isBoolean() && !v.asBoolean()))) {
                    throw new EngineException.InvalidArgument("a Config in the commit body is not supported (" + field.getKey()
                            + "): use changes (--change) instead");
                }
            }
        }
        String repo = ex.query("repo").map(String::strip).orElse("");
        String tag = ex.query("tag").map(String::strip).orElse("");
        String tagAs = repo.isEmpty() ? null : tag.isEmpty() ? repo : repo + ":" + tag;
        boolean pause = ex.query("pause").map(v -> ex.queryBool("pause")).orElse(true);
        var committed = files.commit(container, tagAs, ex.query("comment").orElse(null), ex.query("author").orElse(null),
                ex.queryAll("changes").stream().flatMap(v -> v.lines()).filter(v -> !v.isBlank()).toList(), pause);
        ex.respondJson(201, Map.of("Id", committed.imageId().toString()));
    }

    /** The container's whole filesystem as a tar (running or not, as Docker). */
    private void export(Exchange ex) {
        files.withRoot(ex.pathParam("id"), "export", root -> {
            ResponseStream out = ex.stream(200, "application/x-tar");
            dev.berth.engine.container.inspect.RootfsExport.export(root, out);
            out.close();
            return null;
        });
    }

    /** Extracts the uploaded tar into the directory {@code path} of the container. */
    private void putArchive(Exchange ex) {
        String path = ex.query("path").filter(p -> !p.isBlank())
                .orElseThrow(() -> new EngineException.InvalidArgument("path is required: /containers/{id}/archive?path=/some/dir"));
        Container c = containers.inspect(ex.pathParam("id"));
        boolean noOverwrite = ex.queryBool("noOverwriteDirNonDir");
        boolean copyUidGid = ex.queryBool("copyUIDGID");
        files.withRoot(c.id(), "extract-to-dir", root -> {
            ContainerArchive.ExtractOptions options = copyUidGid
                    ? ContainerArchive.ExtractOptions.copyUidGid(root, c.config().user(), noOverwrite)
                    : new ContainerArchive.ExtractOptions(noOverwrite, java.util.OptionalLong.empty(), java.util.OptionalLong.empty());
            ContainerArchive.extract(root, path, ex.body(), options);
            return null;
        });
        ex.respondEmpty(200);
    }

    /** {@code stream=false} (or {@code one-shot}): one document; else one document a second, one a line. */
    private void stats(Exchange ex) throws IOException, InterruptedException {
        var sampler = files.stats(ex.pathParam("id"));
        boolean stream = ex.query("stream").map(v -> ex.queryBool("stream")).orElse(true);
        boolean oneShot = ex.queryBool("one-shot");
        if (!stream || oneShot) {
            ex.respondJson(sampler.once(oneShot));
            return;
        }
        ResponseStream out = ex.stream(200, "application/json");
        Thread handler = Thread.currentThread();
        ex.onDisconnect(handler::interrupt);
        try {
            sampler.stream(doc -> {
                try {
                    byte[] json = Json.toBytes(doc);
                    byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
                    line[json.length] = '\n';
                    out.write(line);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (InterruptedException e) {
            return; // the client went away
        }
        out.close();
    }

    // ------------------------------------------------------------------ logs

    private void logs(Exchange ex) throws IOException, InterruptedException {
        Container c = containers.inspect(ex.pathParam("id"));
        boolean stdout = ex.queryBool("stdout");
        boolean stderr = ex.queryBool("stderr");
        if (!stdout && !stderr) {
            throw new EngineException.InvalidArgument("Bad parameters: you must choose at least one stream");
        }
        String tailArg = ex.query("tail").map(String::strip).orElse("all");
        int tail;
        if (tailArg.isEmpty() || tailArg.equals("all")) {
            tail = -1;
        } else {
            try {
                tail = Integer.parseInt(tailArg);
            } catch (NumberFormatException e) {
                throw new EngineException.InvalidArgument("invalid value for tail: " + tailArg);
            }
        }
        LogOptions options = new LogOptions(stdout, stderr, timestamp(ex, "since"), timestamp(ex, "until"), tail);
        boolean timestamps = ex.queryBool("timestamps");
        boolean raw = c.config().tty();
        ResponseStream body = ex.stream(200, raw ? StdFrames.RAW : StdFrames.MULTIPLEXED);
        StdFrames frames = new StdFrames(body, raw);
        if (!ex.queryBool("follow")) {
            for (LogReader.Entry e : containers.logs(c.id(), options)) {
                writeEntry(frames, e, timestamps);
            }
            body.close();
            return;
        }
        Thread handler = Thread.currentThread();
        ex.onDisconnect(handler::interrupt);
        try {
            containers.followLogs(c.id(), options, e -> {
                try {
                    writeEntry(frames, e, timestamps);
                } catch (IOException io) {
                    throw new UncheckedIOException(io);
                }
            });
        } catch (UncheckedIOException | InterruptedException e) {
            return; // the client went away
        }
        body.close();
    }

    private static void writeEntry(StdFrames frames, LogReader.Entry e, boolean timestamps) throws IOException {
        int stream = e.stream() == LogReader.Stream.STDERR ? StdFrames.STDERR : StdFrames.STDOUT;
        byte[] bytes = e.bytes();
        if (timestamps) {
            byte[] prefix = (ContainerViews.RFC3339_NANO.format(e.time()) + " ").getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[prefix.length + bytes.length];
            System.arraycopy(prefix, 0, all, 0, prefix.length);
            System.arraycopy(bytes, 0, all, prefix.length, bytes.length);
            bytes = all;
        }
        frames.write(stream, bytes);
    }

    /** Unix seconds with an optional fraction, or null when absent or 0 (the CLI's "no bound"). */
    private static Instant timestamp(Exchange ex, String name) {
        String v = ex.query(name).map(String::strip).orElse("");
        if (v.isEmpty()) {
            return null;
        }
        Matcher m = TIMESTAMP.matcher(v);
        if (!m.matches()) {
            throw new EngineException.InvalidArgument("invalid value for " + name + ": " + v
                    + " (expected unix seconds such as 1700000000 or 1700000000.5)");
        }
        String fraction = m.group(2) == null ? "0" : (m.group(2) + "00000000").substring(0, 9);
        Instant t = Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(fraction));
        return t.equals(Instant.EPOCH) ? null : t;
    }

    // ------------------------------------------------------------------ attach

    /**
     * Hijacks the connection and joins the client to the container's stdio. To a running
     * container the client is attached through conmon's socket. A client that attaches before
     * the container starts ({@code docker run} without {@code -d} does) gets its output from the
     * container's log, followed from a link to it made now, so nothing written right after start
     * is lost, and not even a {@code --rm} container removed at once takes it away; its input
     * goes through conmon's socket once the container runs.
     */
    private void attach(Exchange ex) throws IOException, InterruptedException {
        Container c = containers.inspect(ex.pathParam("id"));
        if (c.state().status() == ContainerStatus.PAUSED) {
            throw new EngineException.Conflict("You cannot attach to a paused container, unpause it first");
        }
        boolean wantStdin = ex.queryBool("stdin");
        boolean wantOut = ex.queryBool("stdout");
        boolean wantErr = ex.queryBool("stderr");
        boolean stream = ex.queryBool("stream");
        String detachKeys = ex.query("detachKeys").orElse(null);
        ex.body().readAllBytes(); // before hijack: the body must be consumed first
        boolean running = c.state().status() == ContainerStatus.RUNNING;
        LogOptions options = LogOptions.ALL.streams(wantOut, wantErr);
        HijackedConnection conn = ex.hijack();
        StdFrames frames = new StdFrames(conn.output(), c.config().tty());
        try (conn) {
            if (ex.queryBool("logs")) {
                for (LogReader.Entry e : containers.logs(c.id(), options)) {
                    writeEntry(frames, e, false);
                }
            }
            if (!stream) {
                return;
            }
            if (running) {
                attachRunning(c, conn, frames, wantStdin, wantOut, wantErr, detachKeys);
            } else {
                attachBeforeStart(c, conn, frames, wantStdin, options, detachKeys);
            }
            conn.closeWrite();
        }
    }

    private void attachRunning(Container c, HijackedConnection conn, StdFrames frames, boolean wantStdin,
                               boolean wantOut, boolean wantErr, String detachKeys) throws InterruptedException {
        ContainerService.AttachSession session = containers.attach(c.id(), detachKeys);
        try (session) {
            Thread input = wantStdin ? Thread.ofVirtual().start(() -> pumpStdin(conn, session)) : null;
            Thread output = Thread.ofPlatform().daemon().name("attach-out-" + c.shortId()).start(() -> {
                try {
                    for (var f = session.read(); f != null; f = session.read()) {
                        boolean err = f.stream() == dev.berth.engine.runtime.AttachSocket.Stream.STDERR;
                        if (err ? wantErr : wantOut) {
                            frames.write(err ? StdFrames.STDERR : StdFrames.STDOUT, f.data());
                        }
                    }
                } catch (IOException e) {
                    // container or client gone
                }
            });
            output.join();
            if (input != null) {
                input.interrupt();
            }
        }
    }

    private void attachBeforeStart(Container c, HijackedConnection conn, StdFrames frames, boolean wantStdin,
                                   LogOptions options, String detachKeys) throws IOException, InterruptedException {
        Instant runBefore = c.state().startedAt();
        Path log = c.paths().log();
        if (!Files.exists(log)) {
            Files.createDirectories(log.getParent());
            Files.createFile(log); // conmon appends to it (it opens the log O_APPEND|O_CREAT)
        }
        int before = containers.logs(c.id(), LogOptions.ALL).size();
        Path link = log.resolveSibling(log.getFileName() + ".attach-" + ATTACH_SEQ.incrementAndGet());
        Files.createLink(link, log);
        ContainerService.AttachSession[] session = new ContainerService.AttachSession[1];
        boolean[] done = {false};
        Thread stdin = null;
        if (wantStdin) {
            stdin = Thread.ofVirtual().start(() -> {
                ContainerService.AttachSession s;
                synchronized (session) {
                    while ((s = session[0]) == null && !done[0]) {
                        try {
                            session.wait(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                if (s != null) {
                    pumpStdin(conn, s);
                }
            });
        }
        try {
            boolean[] started = {false};
            int[] skip = {before};
            LogReader.follow(link, LogReader.Query.ALL, () -> {
                Container now;
                try {
                    now = containers.inspect(c.id());
                } catch (EngineException.NotFound e) {
                    return false; // removed (--rm) after its run
                }
                boolean newRun = now.state().startedAt() != null && !now.state().startedAt().equals(runBefore);
                if (newRun && !started[0]) {
                    started[0] = true;
                    if (wantStdin && now.state().status() == ContainerStatus.RUNNING) {
                        openInput(c, detachKeys, session);
                    }
                }
                if (!newRun) {
                    return conn.isOpen();
                }
                return now.state().running() || now.state().status() == ContainerStatus.RESTARTING;
            }, e -> {
                if (skip[0] > 0) {
                    skip[0]--;
                    return;
                }
                if (e.stream() == LogReader.Stream.STDERR ? !options.stderr() : !options.stdout()) {
                    return;
                }
                try {
                    writeEntry(frames, e, false);
                } catch (IOException io) {
                    throw new UncheckedIOException(io);
                }
            });
        } catch (UncheckedIOException e) {
            // the client went away
        } finally {
            Files.deleteIfExists(link);
            synchronized (session) {
                done[0] = true;
                session.notifyAll();
                if (session[0] != null) {
                    session[0].close();
                }
            }
            if (stdin != null) {
                stdin.interrupt();
            }
        }
    }

    /**
     * Attaches to the container's stdin once it runs; its output frames are read and dropped
     * (the client gets output from the log), so conmon never waits on a full socket.
     */
    private void openInput(Container c, String detachKeys, ContainerService.AttachSession[] slot) {
        ContainerService.AttachSession s;
        try {
            s = containers.attach(c.id(), detachKeys);
        } catch (EngineException e) {
            return; // exited already: nothing to send input to
        }
        Thread.ofPlatform().daemon().name("attach-drain-" + c.shortId()).start(() -> {
            try {
                while (s.read() != null) {
                    // dropped: the log has it
                }
            } catch (IOException e) {
                // closed
            }
        });
        synchronized (slot) {
            slot[0] = s;
            slot.notifyAll();
        }
    }

    /**
     * Client input to the container until the client ends it; then the container's stdin is
     * ended too when it was created with StdinOnce (conmon leaves it open otherwise).
     */
    private static void pumpStdin(HijackedConnection conn, ContainerService.AttachSession session) {
        byte[] buf = new byte[8192];
        try {
            InputStream in = conn.input();
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n > 0) {
                    session.write(java.util.Arrays.copyOf(buf, n));
                    if (session.detached()) {
                        return;
                    }
                }
            }
            session.closeStdin();
        } catch (IOException e) {
            // client or container gone
        }
    }
}
