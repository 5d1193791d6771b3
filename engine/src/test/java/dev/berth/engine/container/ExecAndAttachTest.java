package dev.berth.engine.container;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.AttachSocket;
import dev.berth.testkit.EngineExtension;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** exec (with and without a TTY) and attach, on real containers. Needs root. */
@RootOnly
class ExecAndAttachTest {

    @RegisterExtension
    static final EngineExtension temp = EngineExtension.start().withBusybox("busybox:latest");

    ContainerFixture fx;

    @BeforeEach
    void fixture() {
        fx = new ContainerFixture(temp.engine(), temp.root());
    }

    @AfterEach
    void nothingLeft() {
        fx.cleanUpAndVerify();
    }

    private ContainerService svc() {
        return fx.service();
    }

    private Container sleeper() {
        return fx.run(CreateRequest.builder("busybox").cmd("sh", "-c", "while :; do sleep 0.2; done"));
    }

    @Test
    void execWithoutTtySeparatesStreamsAndReportsTheExitCode() throws Exception {
        Container c = sleeper();
        String exec = svc().execCreate(c.id(), ContainerService.ExecConfig.of("sh", "-c", "echo out; echo err >&2; exit 4"));
        assertThat(svc().execInspect(exec).running()).isFalse();
        assertThat(svc().execInspect(exec).exitCode()).isNull();
        try (ContainerService.ExecSession s = svc().execStart(exec, 0, 0)) {
            s.stdin().close();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(s.stderr()));
            assertThat(new String(readAll(s.stdout()), StandardCharsets.UTF_8)).isEqualTo("out\n");
            assertThat(new String(err.get(20, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("err\n");
            assertThat(s.waitFor()).isEqualTo(4);
        }
        awaitExecEnd(exec);
        ContainerService.ExecInspect done = svc().execInspect(exec);
        assertThat(done.exitCode()).isEqualTo(4);
        assertThat(done.containerId()).isEqualTo(c.id());
        assertThatThrownBy(() -> svc().execStart(exec, 0, 0)).isInstanceOf(EngineException.Conflict.class);
        assertThat(temp.engine().events().recent()).filteredOn(e -> exec.equals(e.attributes().get("execID")))
                .extracting(e -> e.action()).containsExactly("exec_create: sh -c echo out; echo err >&2; exit 4",
                        "exec_start: sh -c echo out; echo err >&2; exit 4", "exec_die");
        // while created or running an exec is among the container's ExecIDs; once ended it is not
        assertThat(svc().execIds(c.id())).doesNotContain(exec);
        String pending = svc().execCreate(c.id(), ContainerService.ExecConfig.of("true"));
        assertThat(svc().execIds(c.name())).containsExactly(pending);
    }

    @Test
    void execWithTtyRunsOnAPseudoTerminal() throws Exception {
        Container c = sleeper();
        String exec = svc().execCreate(c.id(), new ContainerService.ExecConfig(List.of("sh", "-c", "tty; sleep 0.5; stty size"),
                List.of(), null, null, true, false, true, true));
        String out;
        try (ContainerService.ExecSession s = svc().execStart(exec, 30, 100)) {
            out = new String(readAll(s.stdout()), StandardCharsets.UTF_8);
            assertThat(s.waitFor()).isZero();
        }
        assertThat(out).startsWith("/dev/pts/");
        assertThat(out).contains("30 100");
    }

    @Test
    void execTtyResizeReachesTheCommand() throws Exception {
        Container c = sleeper();
        String exec = svc().execCreate(c.id(), new ContainerService.ExecConfig(List.of("sh", "-c", "read x; stty size"),
                List.of(), null, null, true, true, true, true));
        try (ContainerService.ExecSession s = svc().execStart(exec, 24, 80)) {
            ContainerFixture.sleep(300);
            ContainerService.ExecInspect running = svc().execInspect(exec);
            assertThat(running.running()).isTrue();
            assertThat(running.pid()).isPositive();
            assertThat(java.nio.file.Files.readString(Path.of("/proc/" + running.pid() + "/comm")).strip()).isEqualTo("sh");
            svc().execResize(exec, 50, 132);
            ContainerFixture.sleep(300);
            s.stdin().write("\n".getBytes(StandardCharsets.UTF_8));
            s.stdin().flush();
            String out = new String(readAll(s.stdout()), StandardCharsets.UTF_8);
            assertThat(out).contains("50 132");
        }
    }

    @Test
    void execTakesEnvUserAndWorkdir() throws Exception {
        Container c = sleeper();
        String exec = svc().execCreate(c.id(), new ContainerService.ExecConfig(List.of("sh", "-c", "echo $X; id -u; pwd"),
                List.of("X=1"), "nobody", "/tmp", false, false, true, true));
        try (ContainerService.ExecSession s = svc().execStart(exec, 0, 0)) {
            s.stdin().close();
            assertThat(new String(readAll(s.stdout()), StandardCharsets.UTF_8)).isEqualTo("1\n65534\n/tmp\n");
            assertThat(s.waitFor()).isZero();
        }
    }

    @Test
    void execOfAMissingCommandExitsWith127AndSaysWhy() throws Exception {
        Container c = sleeper();
        String exec = svc().execCreate(c.id(), ContainerService.ExecConfig.of("no-such-command"));
        try (ContainerService.ExecSession s = svc().execStart(exec, 0, 0)) {
            s.stdin().close();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(s.stderr()));
            readAll(s.stdout());
            assertThat(s.waitFor()).isEqualTo(127);
            assertThat(new String(err.get(20, TimeUnit.SECONDS), StandardCharsets.UTF_8)).contains("no-such-command");
        }
        awaitExecEnd(exec);
        assertThat(svc().execInspect(exec).exitCode()).isEqualTo(127);
    }

    @Test
    void execIsRefusedInAStoppedContainer() {
        Container c = fx.create(CreateRequest.builder("busybox").cmd("true"));
        assertThatThrownBy(() -> svc().execCreate(c.id(), ContainerService.ExecConfig.of("true")))
                .isInstanceOf(EngineException.Conflict.class).hasMessageContaining("is not running");
    }

    @Test
    void attachToAnInteractiveShellRunsCommandsAndDetachesWithCtrlPCtrlQ() throws Exception {
        Container c = fx.run(CreateRequest.builder("busybox").cmd("sh").tty(true).openStdin(true));
        try (ContainerService.AttachSession a = svc().attach(c.id(), null)) {
            a.write("echo h\"\"i\n".getBytes(StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // the tty echoes the typed line (with the quotes); only the shell's output has a bare "hi"
            while (!seen.toString().contains("\nhi\r\n") && System.nanoTime() < deadline) {
                AttachSocket.Frame f = a.read();
                if (f == null) {
                    break;
                }
                seen.append(f.text());
            }
            assertThat(seen.toString()).contains("\nhi\r\n");
            a.write(new byte[]{0x10, 0x11});
            assertThat(a.detached()).isTrue();
            assertThat(a.read()).isNull();
        }
        assertThat(svc().inspect(c.id()).state().status()).isEqualTo(ContainerStatus.RUNNING);
        svc().resize(c.id(), 40, 120);
        svc().stop(c.id(), Duration.ofSeconds(1));
    }

    @Test
    void detachKeysParseDockerSyntax() {
        assertThat(LocalContainerService.parseDetachKeys("ctrl-p,ctrl-q")).containsExactly(0x10, 0x11);
        assertThat(LocalContainerService.parseDetachKeys("ctrl-a,x")).containsExactly(0x01, 'x');
        assertThatThrownBy(() -> LocalContainerService.parseDetachKeys("ctrl-p,meta-q"))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("meta-q");
    }

    private void awaitExecEnd(String exec) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (svc().execInspect(exec).running() || svc().execInspect(exec).exitCode() == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("exec " + exec + " did not end");
            }
            ContainerFixture.sleep(20);
        }
    }

    private static byte[] readAll(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (java.io.IOException e) {
            // a pty reports EIO once the command has ended: that is its end of stream
        }
        return out.toByteArray();
    }
}
