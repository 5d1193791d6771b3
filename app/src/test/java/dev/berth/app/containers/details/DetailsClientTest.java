package dev.berth.app.containers.details;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerFilter;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.CreateRequest;
import dev.berth.testkit.LocalImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Details tabs' Docker API calls against an embedded engine's socket and real containers. */
class DetailsClientTest {

    @TempDir
    static Path tmp;
    static EmbeddedBackend backend;
    static DetailsClient client;

    @BeforeAll
    static void engine() {
        backend = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("b.sock")), true);
        LocalImages.busybox(backend.engine(), tmp.resolve("image"), "busybox:latest");
        client = new DetailsClient(backend.api());
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    @AfterEach
    void removeContainers() {
        for (Container c : backend.engine().containers().list(ContainerFilter.ALL)) {
            backend.engine().containers().remove(c.id(), true, false);
        }
    }

    private Container run(String name, String... cmd) {
        ContainerService svc = backend.engine().containers();
        return svc.start(svc.create(CreateRequest.builder("busybox").name(name).networkMode("none").cmd(cmd).build()).id());
    }

    /** Reads {@code in} on a thread until {@code needle} shows up (or 15 s pass); returns what was read. */
    static String readUntil(InputStream in, String needle) throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        Thread t = Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[4096];
            int n;
            try {
                while ((n = in.read(buf)) > 0) {
                    synchronized (seen) {
                        seen.write(buf, 0, n);
                        if (seen.toString(StandardCharsets.UTF_8).contains(needle)) {
                            return;
                        }
                    }
                }
            } catch (java.io.IOException e) {
                // closed
            }
        });
        t.join(15_000);
        synchronized (seen) {
            return seen.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void execShellOnAHijackedConnectionTakesInputAndTheResizeReachesItsTty() throws Exception {
        Container c = run("exec", "sleep", "300");
        assertThat(client.shell(c.id())).isEqualTo("/bin/sh"); // busybox has no bash
        String exec = client.execCreate(c.id(), List.of("/bin/sh"), true, true);
        try (HijackedStream s = client.execStart(exec, 24, 80)) {
            client.execResize(exec, 43, 147);
            assertThat(readUntil(s.input(), "# ")).contains("# ");
            s.output().write("echo $((6*7))\n".getBytes(StandardCharsets.UTF_8));
            s.output().flush();
            assertThat(readUntil(s.input(), "42")).contains("42");
            client.execResize(exec, 33, 101);
            s.output().write("stty size\n".getBytes(StandardCharsets.UTF_8));
            s.output().flush();
            assertThat(readUntil(s.input(), "33 101")).contains("33 101");
        }
    }

    @Test
    void severalTerminalsAtOnceLeaveTheApiAnswering() throws Exception {
        Container c = run("many-tty", "sleep", "300");
        List<HijackedStream> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                String exec = client.execCreate(c.id(), List.of("/bin/sh"), true, true);
                HijackedStream s = client.execStart(exec, 24, 80);
                open.add(s);
                assertThat(readUntil(s.input(), "# ")).as("shell %d", i).contains("# ");
            }
            var answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> client.inspect(c.id()));
            assertThat(answer.get(10, TimeUnit.SECONDS).path("Id").asText()).isEqualTo(c.id());
            HijackedStream last = open.getLast();
            last.output().write("echo $((6*7))\n".getBytes(StandardCharsets.UTF_8));
            last.output().flush();
            assertThat(readUntil(last.input(), "42")).contains("42");
        } finally {
            open.forEach(HijackedStream::close);
        }
    }

    @Test
    void closingTheTerminalsConnectionEndsItsShell() throws Exception {
        Container c = run("hangup", "sleep", "300");
        String exec = client.execCreate(c.id(), List.of("/bin/sh"), true, true);
        HijackedStream s = client.execStart(exec, 24, 80);
        assertThat(readUntil(s.input(), "# ")).contains("# ");
        s.close();
        boolean running = true;
        for (int i = 0; i < 100 && running; i++) {
            running = backend.api().get("exec/" + exec + "/json").path("Running").asBoolean();
            if (running) {
                Thread.sleep(100);
            }
        }
        assertThat(running).as("the shell still runs 10 s after its terminal closed").isFalse();
    }

    @Test
    void severalAttachedTerminalsLeaveTheApiAnswering() throws Exception {
        List<HijackedStream> open = new java.util.ArrayList<>();
        try {
            String last = null;
            for (int i = 0; i < 3; i++) {
                ContainerService svc = backend.engine().containers();
                Container c = svc.start(svc.create(CreateRequest.builder("busybox").name("att" + i).networkMode("none")
                        .tty(true).openStdin(true).cmd("sh").build()).id());
                HijackedStream s = client.attach(c.id());
                open.add(s);
                last = c.id();
            }
            String id = last;
            var answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> client.inspect(id));
            assertThat(answer.get(10, TimeUnit.SECONDS).path("Id").asText()).isEqualTo(id);
        } finally {
            open.forEach(HijackedStream::close);
        }
    }

    @Test
    void topChangesInspectAndXrayAnswerForARunningContainer() throws Exception {
        Container c = run("info", "sh", "-c", "touch /made-here; sleep 300");
        TimeUnit.MILLISECONDS.sleep(300);
        JsonNode top = client.top(c.id());
        assertThat(top.path("Titles").toString()).contains("PID");
        assertThat(top.path("Processes").toString()).contains("sleep");
        assertThat(client.changes(c.id()).toString()).contains("/made-here");
        assertThat(client.inspect(c.id()).path("Id").asText()).isEqualTo(c.id());
        assertThat(client.xray(c.id()).path("Namespaces").size()).isPositive();
        assertThat(client.running(c.id())).isTrue();
    }
}
