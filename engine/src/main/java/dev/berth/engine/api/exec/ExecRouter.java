package dev.berth.engine.api.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.api.containers.StdFrames;
import dev.berth.engine.api.http.Exchange;
import dev.berth.engine.api.http.HijackedConnection;
import dev.berth.engine.api.http.Route;
import dev.berth.engine.api.http.Router;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ContainerService.ExecConfig;
import dev.berth.engine.errors.EngineException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code docker exec}: create, start (hijacked), resize and inspect an exec instance. */
public final class ExecRouter implements Router {

    /** Threads that read a command's output (see the comment in {@code start}). */
    private static final java.util.concurrent.ThreadFactory OUTPUT_PUMPS =
            Thread.ofPlatform().daemon().name("berth-exec-output-", 1).factory();


    private final ContainerService containers;

    public ExecRouter(ContainerService containers) {
        this.containers = containers;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/containers/{id}/exec", this::create),
                Route.hijacking("POST", "/exec/{id}/start", this::start),
                Route.post("/exec/{id}/resize", this::resize),
                Route.get("/exec/{id}/json", this::inspect));
    }

    private void create(Exchange ex) throws IOException {
        JsonNode b = ex.readJson(JsonNode.class);
        if (b == null || !b.isObject()) {
            throw new EngineException.InvalidArgument("No exec command specified");
        }
        ExecConfig cfg = new ExecConfig(strings(b, "Cmd"), strings(b, "Env"), blankToNull(b.path("User").asText(null)),
                blankToNull(b.path("WorkingDir").asText(null)), b.path("Tty").asBoolean(false),
                b.path("AttachStdin").asBoolean(false), b.path("AttachStdout").asBoolean(false),
                b.path("AttachStderr").asBoolean(false));
        if (b.path("Privileged").asBoolean(false)) {
            throw new EngineException.InvalidArgument("privileged exec is not supported");
        }
        String id = containers.execCreate(ex.pathParam("id"), cfg);
        ex.respondJson(201, Map.of("Id", id));
    }

    private void start(Exchange ex) throws IOException, InterruptedException {
        String id = ex.pathParam("id");
        JsonNode b = ex.readJson(JsonNode.class); // read before hijack
        boolean detach = b != null && b.path("Detach").asBoolean(false);
        ContainerService.ExecInspect info = containers.execInspect(id);
        int h = 0;
        int w = 0;
        JsonNode size = b == null ? null : b.get("ConsoleSize");
        if (size != null && size.isArray() && size.size() == 2) {
            h = size.get(0).asInt();
            w = size.get(1).asInt();
        }
        ContainerService.ExecSession session = containers.execStart(id, h, w);
        if (detach) {
            session.stdin().close();
            OUTPUT_PUMPS.newThread(() -> drain(session)).start();
            ex.respondEmpty(200);
            return;
        }
        ExecConfig cfg = info.config();
        HijackedConnection conn = ex.hijack();
        StdFrames frames = new StdFrames(conn.output(), cfg.tty());
        try (conn; session) {
            Thread in;
            if (cfg.attachStdin()) {
                in = Thread.ofVirtual().start(() -> {
                    try (OutputStream stdin = session.stdin()) {
                        conn.input().transferTo(stdin);
                    } catch (IOException e) {
                        // command or client gone
                    }
                });
            } else {
                session.stdin().close();
                in = null;
            }
            // platform threads: a pty's output is read by a native poll (pty4j) that pins a virtual
            // thread's carrier for as long as the shell is idle; one open terminal per carrier
            // (two on a 2-core host) would leave no carrier for any other API request
            Thread out = OUTPUT_PUMPS.newThread(() -> pump(session.stdout(), frames, StdFrames.STDOUT, cfg.attachStdout()));
            Thread err = OUTPUT_PUMPS.newThread(() -> pump(session.stderr(), frames, StdFrames.STDERR, cfg.attachStderr()));
            out.start();
            err.start();
            out.join();
            err.join();
            session.waitFor();
            awaitExitRecorded(id);
            if (in != null) {
                in.interrupt();
            }
            conn.closeWrite();
        }
    }

    /**
     * The CLI asks for the exit code ({@code GET /exec/{id}/json}) as soon as the stream ends:
     * the stream ends only once the service has recorded it.
     */
    private void awaitExitRecorded(String id) throws InterruptedException {
        for (int i = 0; i < 500 && containers.execInspect(id).exitCode() == null; i++) {
            Thread.sleep(10);
        }
    }

    private static void pump(InputStream from, StdFrames frames, int stream, boolean forward) {
        byte[] buf = new byte[8192];
        try (from) {
            int n;
            while ((n = from.read(buf)) >= 0) {
                if (forward && n > 0) {
                    frames.write(stream, buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the pty reports EIO once the command has exited; or the client went away
        }
    }

    private static void drain(ContainerService.ExecSession session) {
        try (session) {
            Thread t = OUTPUT_PUMPS.newThread(() -> pump(session.stderr(), null, 0, false));
            t.start();
            pump(session.stdout(), null, 0, false);
            t.join();
            session.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void resize(Exchange ex) {
        containers.execResize(ex.pathParam("id"), (int) ex.queryLong("h", 0), (int) ex.queryLong("w", 0));
        ex.respondEmpty(200);
    }

    private void inspect(Exchange ex) {
        ContainerService.ExecInspect e = containers.execInspect(ex.pathParam("id"));
        ExecConfig cfg = e.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", e.id());
        m.put("Running", e.running());
        m.put("ExitCode", e.exitCode());
        Map<String, Object> pc = new LinkedHashMap<>();
        pc.put("tty", cfg.tty());
        pc.put("entrypoint", cfg.cmd().isEmpty() ? "" : cfg.cmd().getFirst());
        pc.put("arguments", cfg.cmd().isEmpty() ? List.of() : cfg.cmd().subList(1, cfg.cmd().size()));
        pc.put("privileged", false);
        if (cfg.user() != null) {
            pc.put("user", cfg.user());
        }
        m.put("ProcessConfig", pc);
        m.put("OpenStdin", cfg.attachStdin());
        m.put("OpenStderr", cfg.attachStderr());
        m.put("OpenStdout", cfg.attachStdout());
        m.put("CanRemove", false);
        m.put("ContainerID", e.containerId());
        m.put("DetachKeys", "");
        m.put("Pid", e.pid());
        ex.respondJson(m);
    }

    private static List<String> strings(JsonNode n, String field) {
        JsonNode v = n.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isTextual()) {
            out.add(v.asText());
            return out;
        }
        for (JsonNode item : v) {
            out.add(item.asText());
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
