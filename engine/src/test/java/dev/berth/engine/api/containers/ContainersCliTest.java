package dev.berth.engine.api.containers;

import dev.berth.engine.container.ContainerFilter;
import dev.berth.testkit.EngineExtension;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The installed docker CLI against the containers and exec routes of a real engine. */
@RootOnly
class ContainersCliTest {

    static final String DOCKER = "/usr/local/bin/docker";

    @TempDir
    static Path tmp;

    @RegisterExtension
    static final EngineExtension engine = EngineExtension.start().withBusybox("busybox:latest").serving();

    record Run(int exit, String out, String err) {}

    static Run docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(DOCKER, "-H", "unix://" + engine.socket()));
        cmd.addAll(List.of(args));
        return run(cmd, null);
    }

    /** The docker CLI with {@code stdin} piped into it, then closed. */
    static Run dockerWithStdin(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(DOCKER, "-H", "unix://" + engine.socket()));
        cmd.addAll(List.of(args));
        return run(cmd, stdin, true);
    }

    /** Runs {@code shellCommand} under {@code script}, which gives it a pseudo-terminal; {@code input} is typed into it. */
    static Run underPty(String shellCommand, String input) throws IOException, InterruptedException {
        return run(List.of("script", "-qec", shellCommand, "/dev/null"), input);
    }

    private static Run run(List<String> cmd, String input) throws IOException, InterruptedException {
        return run(cmd, input, false);
    }

    private static Run run(List<String> cmd, String input, boolean closeInput) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DOCKER_CONFIG", tmp.resolve("docker-config").toString());
        pb.environment().remove("DOCKER_HOST");
        pb.environment().remove("DOCKER_CONTEXT");
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            if (input != null) {
                Thread.sleep(1500); // let the shell in the container start and print its prompt
                p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().flush();
                if (closeInput) {
                    p.getOutputStream().close();
                }
            } else {
                p.getOutputStream().close();
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError(String.join(" ", cmd) + " did not finish in 60 s; out: "
                        + Files.readString(out) + " err: " + Files.readString(err));
            }
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    static String ok(Run r) {
        assertThat(r.exit()).as("out: " + r.out() + "\nerr: " + r.err()).isZero();
        return r.out();
    }

    @Test
    void runRmPrintsTheOutputAndRemovesTheContainer() throws Exception {
        Run r = docker("run", "--rm", "busybox", "echo", "hi");
        assertThat(ok(r)).isEqualTo("hi\n");
        assertThat(engine.engine().containers().list(ContainerFilter.ALL)).isEmpty();
    }

    @Test
    void runExitsWithTheContainersExitCode() throws Exception {
        Run r = docker("run", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.err()).contains("err\n");
    }

    @Test
    void runDetachedThenPsLogsExecStopAndRemove() throws Exception {
        String id = ok(docker("run", "-d", "--name", "web", "busybox", "sh", "-c",
                "echo one; echo two; echo three >&2; exec sleep 300")).strip();
        assertThat(id).matches("[0-9a-f]{64}");
        String ps = ok(docker("ps"));
        assertThat(ps).contains("web").containsPattern("Up (Less than a second|\\d+ seconds?)");
        assertThat(ok(docker("ps", "-q", "--no-trunc"))).isEqualTo(id + "\n");

        Thread.sleep(300);
        Run logs = docker("logs", "web");
        assertThat(logs.out()).isEqualTo("one\ntwo\n");
        assertThat(logs.err()).isEqualTo("three\n");
        assertThat(ok(docker("logs", "--tail", "1", "web"))).isEqualTo("");
        assertThat(ok(docker("logs", "-t", "web"))).containsPattern("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z one\n");

        assertThat(ok(docker("exec", "web", "echo", "hi"))).isEqualTo("hi\n");
        assertThat(docker("exec", "web", "sh", "-c", "exit 5").exit()).isEqualTo(5);

        assertThat(ok(docker("inspect", "-f", "{{.State.Running}} {{.Name}} {{.Config.Image}}", "web")))
                .isEqualTo("true /web busybox\n");

        ok(docker("pause", "web"));
        assertThat(ok(docker("inspect", "-f", "{{.State.Status}}", "web"))).isEqualTo("paused\n");
        ok(docker("unpause", "web"));
        ok(docker("rename", "web", "web2"));
        assertThat(ok(docker("ps", "--format", "{{.Names}}"))).isEqualTo("web2\n");

        ok(docker("stop", "-t", "1", "web2"));
        assertThat(ok(docker("ps", "-a", "--format", "{{.Names}} {{.Status}}")))
                .matches("web2 Exited \\(137\\) .* ago\n");
        assertThat(ok(docker("ps", "--format", "{{.Names}}"))).isEmpty();
        ok(docker("start", "web2"));
        assertThat(ok(docker("inspect", "-f", "{{.State.Running}}", "web2"))).isEqualTo("true\n");
        ok(docker("restart", "-t", "1", "web2"));
        ok(docker("kill", "-s", "KILL", "web2"));
        assertThat(ok(docker("wait", "web2"))).isEqualTo("137\n");
        ok(docker("rm", "-f", "web2"));
        assertThat(docker("inspect", "web2").err()).contains("No such");
    }

    @Test
    void logsFollowEndsWhenTheContainerExits() throws Exception {
        ok(docker("run", "-d", "--name", "counter", "busybox", "sh", "-c",
                "for i in 1 2 3; do echo line$i; sleep 0.3; done"));
        Run r = docker("logs", "-f", "counter");
        assertThat(ok(r)).isEqualTo("line1\nline2\nline3\n");
    }

    @Test
    void execWithATtyRunsOnATerminal() throws Exception {
        ok(docker("run", "-d", "--name", "term", "busybox", "sleep", "300"));
        Run r = underPty(DOCKER + " -H unix://" + engine.socket() + " exec -it term sh -c tty", null);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("/dev/pts/");
    }

    @Test
    void runInteractiveWithATtyTakesTypedInput() throws Exception {
        Run r = underPty(DOCKER + " -H unix://" + engine.socket() + " run --rm -it busybox sh", "echo hi-$((40+2)); exit\r");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("hi-42");
    }

    @Test
    void createOfAMissingImageSays404NoSuchImage() throws Exception {
        Run r = docker("create", "--pull", "never", "nosuchimage");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("No such image: nosuchimage:latest");
    }

    @Test
    void nameConflictIsRefused() throws Exception {
        ok(docker("create", "--name", "dup", "busybox", "true"));
        Run r = docker("create", "--name", "dup", "busybox", "true");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("dup").contains("already in use");
    }

    @Test
    void psFiltersByStatusAndLabel() throws Exception {
        ok(docker("create", "--name", "ca", "--label", "team=x", "busybox", "true"));
        ok(docker("run", "--name", "cb", "busybox", "true"));
        assertThat(ok(docker("ps", "-a", "--filter", "status=exited", "--format", "{{.Names}}"))).isEqualTo("cb\n");
        assertThat(ok(docker("ps", "-a", "--filter", "label=team=x", "--format", "{{.Names}}"))).isEqualTo("ca\n");
        assertThat(ok(docker("ps", "-a", "--filter", "status=created", "--format", "{{.Status}}"))).isEqualTo("Created\n");
        assertThat(ok(docker("container", "prune", "-f"))).contains("Total reclaimed space");
        assertThat(engine.engine().containers().list(ContainerFilter.ALL)).isEmpty();
    }

    @Test
    void runInteractiveForwardsPipedStdinUntilItEnds() throws Exception {
        Run r = dockerWithStdin("alpha\nbeta\n", "run", "--rm", "-i", "busybox", "sh", "-c", "while read l; do echo got-$l; done; echo end");
        assertThat(ok(r)).isEqualTo("got-alpha\ngot-beta\nend\n");
    }

    @Test
    void attachToARunningContainerStreamsItsOutputUntilItExits() throws Exception {
        ok(docker("run", "-d", "--name", "late", "busybox", "sh", "-c", "sleep 1.5; echo late-line"));
        Run r = docker("attach", "late");
        assertThat(ok(r)).isEqualTo("late-line\n");
    }

    @Test
    void startAttachedPrintsOnlyTheNewRunsOutput() throws Exception {
        assertThat(ok(docker("run", "--name", "again", "busybox", "echo", "x"))).isEqualTo("x\n");
        assertThat(ok(docker("start", "-a", "again"))).isEqualTo("x\n");
        assertThat(ok(docker("logs", "again"))).isEqualTo("x\nx\n");
    }

    @Test
    void waitReturnsTheExitCodeOfARunningContainer() throws Exception {
        ok(docker("run", "-d", "--name", "waiter", "busybox", "sh", "-c", "sleep 0.5; exit 7"));
        assertThat(ok(docker("wait", "waiter"))).isEqualTo("7\n");
    }

    @Test
    void killSendsTheNamedSignal() throws Exception {
        ok(docker("run", "-d", "--name", "trap", "busybox", "sh", "-c",
                "trap 'echo got-usr1; exit 0' USR1; while true; do sleep 0.1; done"));
        Thread.sleep(500);
        ok(docker("kill", "-s", "USR1", "trap"));
        assertThat(ok(docker("wait", "trap"))).isEqualTo("0\n");
        assertThat(ok(docker("logs", "trap"))).isEqualTo("got-usr1\n");
    }

    @Test
    void topListsTheProcessesAndDiffTheChangedFiles() throws Exception {
        ok(docker("run", "-d", "--name", "busy", "busybox", "sh", "-c", "echo x > /new-file; rm /bin/ls; exec sleep 300"));
        Thread.sleep(500);
        String top = ok(docker("top", "busy"));
        assertThat(top).contains("UID").contains("PID").contains("sleep 300");
        String diff = ok(docker("diff", "busy"));
        assertThat(diff).contains("A /new-file").contains("D /bin/ls").contains("C /bin");
    }

    @Test
    void statsNoStreamShowsTheRunningContainer() throws Exception {
        ok(docker("run", "-d", "--name", "measured", "busybox", "sleep", "300"));
        String out = ok(docker("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}} {{.PIDs}}", "measured"));
        assertThat(out).matches("measured [0-9.]+[KMG]?i?B / [0-9.]+[KMGT]?i?B 1\n");
    }

    @Test
    void cpCopiesFilesBothWays() throws Exception {
        ok(docker("run", "-d", "--name", "files", "busybox", "sh", "-c", "echo inside > /greeting; exec sleep 300"));
        Thread.sleep(300);
        Path host = tmp.resolve("cp-out");
        Files.createDirectories(host);
        ok(docker("cp", "files:/greeting", host.resolve("greeting").toString()));
        assertThat(Files.readString(host.resolve("greeting"))).isEqualTo("inside\n");

        Path upload = host.resolve("upload.txt");
        Files.writeString(upload, "from-host\n");
        ok(docker("cp", upload.toString(), "files:/tmp/"));
        assertThat(ok(docker("exec", "files", "cat", "/tmp/upload.txt"))).isEqualTo("from-host\n");
        Run missing = docker("cp", "files:/no/such", host.resolve("x").toString());
        assertThat(missing.exit()).isNotZero();
    }

    @Test
    void exportWritesTheContainersFilesystemAsATar() throws Exception {
        ok(docker("run", "-d", "--name", "exported", "busybox", "sh", "-c", "echo mark > /marker; exec sleep 300"));
        Thread.sleep(300);
        Path tar = tmp.resolve("export.tar");
        ok(docker("export", "-o", tar.toString(), "exported"));
        Process list = new ProcessBuilder("tar", "-tf", tar.toString()).redirectErrorStream(true).start();
        String names = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(list.waitFor()).isZero();
        assertThat(names.lines()).contains("marker", "bin/busybox");
    }

    @Test
    void commitMakesAnImageWithTheContainersChanges() throws Exception {
        ok(docker("run", "--name", "tocommit", "busybox", "sh", "-c", "echo committed > /stamp"));
        String id = ok(docker("commit", "-c", "CMD [\"cat\", \"/stamp\"]", "tocommit", "stamped:v1")).strip();
        assertThat(id).startsWith("sha256:");
        assertThat(ok(docker("run", "--rm", "stamped:v1"))).isEqualTo("committed\n");
    }
}
