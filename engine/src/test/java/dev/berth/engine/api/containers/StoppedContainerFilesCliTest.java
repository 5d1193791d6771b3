package dev.berth.engine.api.containers;

import dev.berth.testkit.DockerCli;
import dev.berth.testkit.EngineExtension;
import dev.berth.testkit.Mounts;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The docker CLI's {@code cp}, {@code export}, {@code commit} and {@code exec} against a real
 * engine, for containers that are created or exited as well as running ones (Docker allows
 * both), and the events Docker sends for them.
 */
@RootOnly
class StoppedContainerFilesCliTest {

    @TempDir
    static Path tmp;

    @RegisterExtension
    static final EngineExtension engine = EngineExtension.start().withBusybox("busybox:latest").serving()
            .checkingNoMountsLeft();

    static DockerCli.Run docker(String... args) throws IOException, InterruptedException {
        return new DockerCli(engine.socket(), tmp).run(args);
    }

    static String ok(DockerCli.Run r) {
        assertThat(r.exit()).as("out: " + r.out() + "\nerr: " + r.err()).isZero();
        return r.out();
    }

    /**
     * The root filesystem of a container that is not running is not left mounted. The engine
     * unmounts once the response has been written, which can be a moment after the CLI has read
     * the last byte of a download and exited: allow it five seconds.
     */
    static void assertNothingMounted() {
        for (int i = 0; i < 100 && !Mounts.mountPointsUnder(engine.root()).isEmpty(); i++) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(Mounts.mountPointsUnder(engine.root())).as("mounts under the engine root").isEmpty();
    }

    static List<String> tarNames(Path tar) throws IOException, InterruptedException {
        Process list = new ProcessBuilder("tar", "-tf", tar.toString()).redirectErrorStream(true).start();
        String names = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(list.waitFor()).as(names).isZero();
        return names.lines().toList();
    }

    @Test
    void cpIntoACreatedContainerIsSeenByItsFirstRun() throws Exception {
        ok(docker("create", "--name", "fresh", "busybox", "sh", "-c", "cat /tmp/upload.txt; echo made > /made"));
        Path upload = tmp.resolve("upload.txt");
        Files.writeString(upload, "from-host\n");
        ok(docker("cp", upload.toString(), "fresh:/tmp/upload.txt"));
        assertNothingMounted();
        // the created container's files can be read back before it ever ran
        Path back = tmp.resolve("created-back.txt");
        ok(docker("cp", "fresh:/tmp/upload.txt", back.toString()));
        assertThat(back).hasContent("from-host");
        assertNothingMounted();

        assertThat(ok(docker("start", "-a", "fresh"))).isEqualTo("from-host\n");
        assertNothingMounted();
    }

    @Test
    void cpAndExportReadAnExitedContainerAndItStillStartsAfterwards() throws Exception {
        ok(docker("run", "--name", "done", "busybox", "sh", "-c",
                "cat /data/late.txt 2>/dev/null; echo made > /made; mkdir -p /data; echo kept > /data/kept"));
        assertThat(ok(docker("inspect", "-f", "{{.State.Status}}", "done")).strip()).isEqualTo("exited");

        Path out = tmp.resolve("exited-made.txt");
        ok(docker("cp", "done:/made", out.toString()));
        assertThat(out).hasContent("made");
        Path dir = tmp.resolve("exited-data");
        ok(docker("cp", "done:/data", dir.toString()));
        assertThat(dir.resolve("kept")).hasContent("kept");
        assertNothingMounted();

        Path upload = tmp.resolve("late.txt");
        Files.writeString(upload, "late\n");
        ok(docker("cp", upload.toString(), "done:/data/"));
        assertNothingMounted();

        Path tar = tmp.resolve("exited-export.tar");
        ok(docker("export", "-o", tar.toString(), "done"));
        assertThat(tarNames(tar)).contains("made", "data/kept", "data/late.txt", "bin/busybox");
        assertNothingMounted();

        // its next run sees what was copied in while it was stopped
        assertThat(ok(docker("start", "-a", "done"))).isEqualTo("late\n");
        assertNothingMounted();
    }

    @Test
    void cpOfAStoppedContainerCannotBeLedOutOfItsRootBySymlinks() throws Exception {
        // a host directory with a secret, and links in the container that aim at the host's root
        Path hostDir = Files.createDirectories(tmp.resolve("host-" + UUID.randomUUID().toString().substring(0, 8)));
        Files.writeString(hostDir.resolve("secret"), "host secret\n");
        ok(docker("run", "--name", "hostile", "busybox", "sh", "-c",
                "echo inside > /inside; ln -s / /evil; ln -s ../../../../../../../../.. /up; ln -s " + hostDir + "/secret /direct"));

        // reads: every link is resolved inside the container's root
        DockerCli.Run viaRoot = docker("cp", "hostile:/evil" + hostDir + "/secret", tmp.resolve("leak1").toString());
        assertThat(viaRoot.exit()).isNotZero();
        assertThat(tmp.resolve("leak1")).doesNotExist();
        DockerCli.Run viaUp = docker("cp", "hostile:/up" + hostDir + "/secret", tmp.resolve("leak2").toString());
        assertThat(viaUp.exit()).isNotZero();
        assertThat(tmp.resolve("leak2")).doesNotExist();
        DockerCli.Run direct = docker("cp", "-L", "hostile:/direct", tmp.resolve("leak3").toString());
        assertThat(direct.exit()).isNotZero();
        assertThat(tmp.resolve("leak3")).doesNotExist();
        Path inside = tmp.resolve("inside-via-link");
        ok(docker("cp", "hostile:/evil/inside", inside.toString()));
        assertThat(inside).hasContent("inside");

        // writes: a link to the host's root lands in the container's root
        String name = "planted-" + UUID.randomUUID().toString().substring(0, 8);
        Path plant = tmp.resolve(name);
        Files.writeString(plant, "planted\n");
        ok(docker("cp", plant.toString(), "hostile:/up/"));
        ok(docker("cp", plant.toString(), "hostile:/evil/tmp/"));
        assertThat(Path.of("/", name)).doesNotExist();
        assertThat(Path.of("/tmp", name)).doesNotExist();
        DockerCli.Run intoHostDir = docker("cp", plant.toString(), "hostile:/evil" + hostDir + "/");
        assertThat(intoHostDir.exit()).isNotZero();
        assertThat(hostDir.resolve(name)).doesNotExist();
        Path back = tmp.resolve("planted-back");
        ok(docker("cp", "hostile:/" + name, back.toString()));
        assertThat(back).hasContent("planted");
        Path back2 = tmp.resolve("planted-back2");
        ok(docker("cp", "hostile:/tmp/" + name, back2.toString()));
        assertThat(back2).hasContent("planted");
        assertThat(hostDir.resolve("secret")).hasContent("host secret");
        assertNothingMounted();
    }

    @Test
    void commitPausesARunningContainerAndDockerEventsShowEachFileOperation() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        ok(docker("run", "-d", "--name", "busy", "busybox", "sh", "-c", "echo x > /x; exec sleep 300"));
        Thread.sleep(300);
        Path tar = tmp.resolve("running-export.tar");
        ok(docker("export", "-o", tar.toString(), "busy"));
        ok(docker("cp", "busy:/x", tmp.resolve("x").toString()));
        Path upload = tmp.resolve("events-up.txt");
        Files.writeString(upload, "up\n");
        ok(docker("cp", upload.toString(), "busy:/tmp/"));
        ok(docker("commit", "-m", "snap", "busy", "snap:v1"));
        ok(docker("commit", "--pause=false", "busy", "snap:v2"));
        assertThat(docker("exec", "busy", "sh", "-c", "exit 3").exit()).isEqualTo(3);
        assertThat(ok(docker("inspect", "-f", "{{.State.Status}}", "busy")).strip()).isEqualTo("running");

        String until = Long.toString(Instant.now().plusSeconds(1).getEpochSecond());
        List<String> events = ok(docker("events", "--since", Long.toString(since.getEpochSecond()), "--until", until,
                "--filter", "container=busy", "--format", "{{.Action}}")).lines().toList();
        assertThat(events).containsSubsequence("create", "start", "export", "archive-path", "extract-to-dir",
                "pause", "commit", "unpause", "commit", "exec_create: sh -c exit 3", "exec_start: sh -c exit 3", "exec_die");
        // the second commit (--pause=false) did not pause
        int secondCommit = events.lastIndexOf("commit");
        assertThat(events.subList(events.indexOf("unpause") + 1, secondCommit)).doesNotContain("pause");
        String commitAttrs = ok(docker("events", "--since", Long.toString(since.getEpochSecond()), "--until", until,
                "--filter", "event=commit", "--format", "{{index .Actor.Attributes \"comment\"}} {{index .Actor.Attributes \"imageRef\"}}"));
        assertThat(commitAttrs.lines()).contains("snap snap:v1");
        // exec_die carries the exit code
        assertThat(ok(docker("events", "--since", Long.toString(since.getEpochSecond()), "--until", until,
                "--filter", "container=busy", "--filter", "event=exec_die", "--format", "{{index .Actor.Attributes \"exitCode\"}}")).strip()).isEqualTo("3");
    }

    @Test
    void inspectListsTheExecIdsOfExecsThatHaveNotEnded() throws Exception {
        ok(docker("run", "-d", "--name", "execs", "busybox", "sleep", "300"));
        assertThat(ok(docker("inspect", "-f", "{{json .ExecIDs}}", "execs")).strip()).isEqualTo("null");
        ok(docker("exec", "-d", "execs", "sleep", "2"));
        String ids = ok(docker("inspect", "-f", "{{json .ExecIDs}}", "execs")).strip();
        assertThat(ids).matches("\\[\"[0-9a-f]{64}\"\\]");
        String execId = ids.substring(2, 66);
        // the exec instance as /exec/{id}/json shows it while it runs
        String running = curl("/exec/" + execId + "/json");
        assertThat(running).contains("\"Running\":true").doesNotContainPattern("\"ExitCode\":[0-9]")
                .contains("\"entrypoint\":\"sleep\"").contains("\"arguments\":[\"2\"]").contains("\"OpenStdin\":false");
        assertThat(running).containsPattern("\"Pid\":[1-9][0-9]*");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!ok(docker("inspect", "-f", "{{json .ExecIDs}}", "execs")).strip().equals("null") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(ok(docker("inspect", "-f", "{{json .ExecIDs}}", "execs")).strip()).isEqualTo("null");
        String ended = curl("/exec/" + execId + "/json");
        assertThat(ended).contains("\"Running\":false").contains("\"ExitCode\":0").containsPattern("\"Pid\":[1-9][0-9]*");
    }

    /** GET on the engine's socket with curl: the body. */
    static String curl(String path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("curl", "-sS", "--unix-socket", engine.socket().toString(), "http://localhost" + path)
                .redirectErrorStream(true).start();
        String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(body).isZero();
        return body;
    }
}
