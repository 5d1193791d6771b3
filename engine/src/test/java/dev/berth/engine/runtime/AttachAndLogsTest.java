package dev.berth.engine.runtime;

import dev.berth.engine.runtime.spec.RunSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** conmon's attach socket (SOCK_SEQPACKET through FFM), its ctl FIFO, and its k8s-file log with rotation. Needs root. */
class AttachAndLogsTest {

    @TempDir
    Path dir;

    ContainerHarness h;

    @BeforeEach
    void setUp() {
        h = new ContainerHarness(dir);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    /** Reads frames on a platform thread (reads block in native code) until the socket ends. */
    private static final class Collector implements AutoCloseable {
        final List<AttachSocket.Frame> frames = new CopyOnWriteArrayList<>();
        final Thread thread;

        Collector(AttachSocket socket) {
            thread = Thread.ofPlatform().daemon().name("attach-reader").start(() -> {
                try {
                    AttachSocket.Frame f;
                    while ((f = socket.read()) != null) {
                        frames.add(f);
                    }
                } catch (Exception e) {
                    frames.add(new AttachSocket.Frame(AttachSocket.Stream.STDERR, ("READ FAILED " + e).getBytes(StandardCharsets.UTF_8)));
                }
            });
        }

        String text(AttachSocket.Stream s) {
            return frames.stream().filter(f -> f.stream() == s).map(AttachSocket.Frame::text).collect(Collectors.joining());
        }

        /** Waits (bounded, to fail instead of hanging) until the output satisfies {@code p}. */
        void await(AttachSocket.Stream s, Predicate<String> p, String what) throws InterruptedException {
            for (int i = 0; i < 800; i++) {
                if (p.test(text(s))) {
                    return;
                }
                Thread.sleep(25);
            }
            throw new AssertionError("never saw " + what + "; got " + frames);
        }

        @Override
        public void close() throws InterruptedException {
            thread.join(10_000);
        }
    }

    @Test
    void attachToATtyShellRunsCommandsAndResizeChangesItsTerminalSize() throws Exception {
        ContainerHarness.Ctr c = h.run(RunSpec.builder(List.of("sh")).tty(true).openStdin(true).build());
        try (AttachSocket a = h.runtime().attach(c.id()); Collector out = new Collector(a)) {
            a.write("echo hi\n".getBytes(StandardCharsets.UTF_8));
            out.await(AttachSocket.Stream.STDOUT, t -> t.contains("\nhi\r\n"), "hi");

            h.runtime().resize(c.id(), 30, 100);
            a.write("stty size\n".getBytes(StandardCharsets.UTF_8));
            out.await(AttachSocket.Stream.STDOUT, t -> t.contains("\n30 100\r\n"), "30 100");

            h.runtime().resize(c.id(), 41, 132);
            a.write("stty size; exit 9\n".getBytes(StandardCharsets.UTF_8));
            out.await(AttachSocket.Stream.STDOUT, t -> t.contains("\n41 132\r\n"), "41 132");
            assertThat(h.runtime().waitForExit(c.id(), Duration.ofSeconds(10))).hasValue(9);
            // with a TTY everything is one stream
            assertThat(out.text(AttachSocket.Stream.STDERR)).isEmpty();
        }
        // a TTY's output is in the log as stdout too
        assertThat(LogReader.read(c.log(), LogReader.Query.ALL)).extracting(LogReader.Entry::text).contains("hi\r\n");
    }

    @Test
    void attachWithoutTtyKeepsStdoutAndStderrApartAndEndingStdinEndsTheShell() throws Exception {
        ContainerHarness.Ctr c = h.run(RunSpec.builder(List.of("sh")).openStdin(true).build());
        try (AttachSocket a = h.runtime().attach(c.id()); Collector out = new Collector(a)) {
            a.write("echo out; echo err >&2; echo $((6 * 7))\n".getBytes(StandardCharsets.UTF_8));
            out.await(AttachSocket.Stream.STDOUT, t -> t.equals("out\n42\n"), "stdout");
            out.await(AttachSocket.Stream.STDERR, t -> t.equals("err\n"), "stderr");
            a.closeStdin();
            assertThat(h.runtime().waitForExit(c.id(), Duration.ofSeconds(10))).hasValue(0);
        }
    }

    @Test
    void attachWorksWhenTheBundlePathIsTooLongForASocketAddress() throws Exception {
        Path bundle = dir.resolve("a-rather-long-directory-name-for-bundles/" + "x".repeat(60) + "/bundle");
        assertThat(bundle.resolve(Conmon.ATTACH).toString().length()).isGreaterThan(108);
        String id = ContainerHarness.newId();
        ContainerHarness.Ctr c = h.create(id, BusyboxRootfs.create(dir.resolve("rootfs-long")), bundle,
                RunSpec.builder(List.of("sh")).openStdin(true).build(), 0);
        h.runtime().start(c.id());
        try (AttachSocket a = h.runtime().attach(c.id()); Collector out = new Collector(a)) {
            a.write("echo long path ok\n".getBytes(StandardCharsets.UTF_8));
            out.await(AttachSocket.Stream.STDOUT, t -> t.equals("long path ok\n"), "echo through the long path");
            a.closeStdin();
            assertThat(h.runtime().waitForExit(c.id(), Duration.ofSeconds(10))).hasValue(0);
        }
    }

    @Test
    void attachToAnExitedContainerIsUnavailable() throws Exception {
        ContainerHarness.Ctr c = h.run(RunSpec.builder(List.of("true")).build());
        assertThat(h.runtime().waitForExit(c.id(), Duration.ofSeconds(10))).hasValue(0);
        // the exit file is written a moment before conmon itself exits and closes its attach socket
        long conmon = OciRuntime.readPid(c.bundle().resolve(Conmon.CONMON_PIDFILE)).orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessHandle.of(conmon).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(ProcessHandle.of(conmon).map(ProcessHandle::isAlive).orElse(false)).as("conmon gone").isFalse();
        Path socket = c.bundle().resolve(Conmon.ATTACH);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AttachSocket.connect(socket))
                .isInstanceOf(dev.berth.engine.errors.EngineException.Unavailable.class)
                .hasMessageContaining(socket.toString());
    }

    @Test
    void followReadsEveryLineAcrossConmonsLogRotation() throws Exception {
        int lines = 60;
        ContainerHarness.Ctr c = h.create(RunSpec.builder(List.of("sh", "-c",
                "for i in $(seq 1 " + lines + "); do echo line-$i-padding-padding-padding; sleep 0.02; done")).build(), 2000);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Thread follower = Thread.ofPlatform().daemon().start(() -> {
            try {
                LogReader.follow(c.log(), LogReader.Query.ALL, () -> h.runtime().exitCode(c.id()).isEmpty(),
                        e -> seen.add(e.text().strip()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        h.runtime().start(c.id());
        assertThat(h.runtime().waitForExit(c.id(), Duration.ofSeconds(30))).hasValue(0);
        follower.join(30_000);
        assertThat(follower.isAlive()).isFalse();
        assertThat(seen).containsExactlyElementsOf(
                IntStream.rangeClosed(1, lines).mapToObj(i -> "line-" + i + "-padding-padding-padding").toList());
        // the log was rotated: the file on disk holds only the last part
        assertThat(Files.readAllLines(c.log()).size()).isLessThan(lines);
        assertThat(Files.size(c.log())).isLessThanOrEqualTo(2000);
    }

    @Test
    void followWithTailStartsWithTheLastLinesThenStreams() throws Exception {
        ContainerHarness.Ctr c = h.run(RunSpec.builder(List.of("sh", "-c",
                "echo a; echo b; echo c; while [ ! -e /tmp/go ]; do sleep 0.02; done; echo d")).build());
        OciRuntimeTest.awaitLog(c, "c");
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread follower = Thread.ofPlatform().daemon().start(() -> {
            try {
                LogReader.follow(c.log(), LogReader.Query.tail(2), () -> h.runtime().exitCode(c.id()).isEmpty(),
                        e -> seen.add(e.text()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 400 && seen.size() < 2; i++) {
            Thread.sleep(10);
        }
        assertThat(seen).containsExactly("b\n", "c\n");
        h.runtime().exec(c.id(), OciRuntime.ExecRequest.of("touch", "/tmp/go"));
        assertThat(h.runtime().waitForExit(c.id(), Duration.ofSeconds(10))).hasValue(0);
        follower.join(10_000);
        assertThat(seen).containsExactly("b\n", "c\n", "d\n");
    }
}
