package dev.berth.engine.api.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.api.ApiServer;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerFilter;
import dev.berth.engine.state.Json;
import dev.berth.testkit.LocalImages;
import dev.berth.testkit.RootOnly;
import dev.berth.testkit.TempEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code DOCKER_BUILDKIT=0 docker build} (the installed docker CLI) against Berth's socket, with real runc. */
@RootOnly
class DockerCliBuildTest {

    static final String DOCKER = "/usr/local/bin/docker";
    static final Pattern BUILT = Pattern.compile("(?m)^Successfully built ([0-9a-f]{12})$");

    /** The seeds' shape: a base, MAINTAINER, a RUN that adds a layer, CMD. */
    static final String SEED = """
            FROM busybox:latest
            MAINTAINER Berth Tests <tests@berth.dev>
            RUN mkdir -p /data && echo seeded > /data/seed.txt && echo made the seed
            CMD ["cat", "/data/seed.txt"]
            """;

    @TempDir
    static Path tmp;
    static TempEngine engine;
    static ApiServer api;
    static Path sock;
    final List<String> made = new ArrayList<>();

    @BeforeAll
    static void start() {
        engine = TempEngine.start();
        LocalImages.busybox(engine.engine(), tmp.resolve("image"), "busybox:latest");
        sock = tmp.resolve("b.sock");
        api = ApiServer.serve(engine.engine(), sock);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @AfterEach
    void removeWhatTheTestMade() throws Exception {
        for (Container c : engine.engine().containers().list(ContainerFilter.ALL)) {
            engine.engine().containers().remove(c.id(), true, false);
        }
        for (String image : made) {
            docker("rmi", "-f", image);
        }
    }

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Run docker(String... args) throws IOException, InterruptedException {
        return dockerWithInput(Path.of("/dev/null"), args);
    }

    /** The docker CLI reading {@code input} as its stdin ({@code docker build -} takes the context tar there). */
    static Run dockerWithInput(Path input, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(DOCKER, "-H", "unix://" + sock));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DOCKER_BUILDKIT", "0");
        pb.environment().put("DOCKER_CONFIG", tmp.resolve("docker-config").toString());
        pb.environment().remove("DOCKER_HOST");
        pb.environment().remove("DOCKER_CONTEXT");
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectInput(ProcessBuilder.Redirect.from(input.toFile()));
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError("docker " + String.join(" ", args) + " did not finish in 120 s");
            }
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    static Run ok(String... args) throws IOException, InterruptedException {
        Run r = docker(args);
        assertThat(r.exit()).as("docker %s exited %d:%n%s", String.join(" ", args), r.exit(), r.all()).isZero();
        return r;
    }

    /** A context directory holding {@code dockerfile} as its Dockerfile. */
    static Path context(String name, String dockerfile) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("ctx-" + name));
        Files.writeString(dir.resolve("Dockerfile"), dockerfile);
        return dir;
    }

    static String builtId(Run r) {
        Matcher m = BUILT.matcher(r.out());
        assertThat(m.find()).as("a 'Successfully built' line in:%n%s", r.out()).isTrue();
        return m.group(1);
    }

    @Test
    void seedShapedBuildPrintsItsStepsAndTagsThenASecondBuildIsServedFromTheCache() throws Exception {
        made.add("seedx");
        Path ctx = context("seed", SEED);
        Run first = ok("build", "-t", "seedx", ctx.toString());
        assertThat(first.out())
                .containsPattern("Step 3/4 : RUN [^\n]*\n ---> Running in ([0-9a-f]{12})\nmade the seed\n"
                        + "Removing intermediate container \\1\n ---> [0-9a-f]{12}\nStep 4/4 : ")
                .contains("Step 1/4 : FROM busybox:latest\n")
                .contains("Step 2/4 : MAINTAINER Berth Tests <tests@berth.dev>\n")
                .contains("Step 3/4 : RUN mkdir -p /data && echo seeded > /data/seed.txt && echo made the seed\n")
                .contains("\nmade the seed\n")
                .contains("Step 4/4 : CMD [\"cat\", \"/data/seed.txt\"]\n")
                .contains("Successfully tagged seedx:latest\n")
                .doesNotContain("Using cache");
        String id = builtId(first);
        String full = engine.engine().imageService().inspect("seedx:latest").image().id().toString();
        assertThat(full).startsWith("sha256:" + id);
        assertThat(first.out()).containsPattern("(?m)^ ---> " + id + "$");

        Run second = ok("build", "-t", "seedx", ctx.toString());
        assertThat(second.out()).contains(" ---> Using cache\n").doesNotContain("\nmade the seed\n")
                .contains("Successfully tagged seedx:latest\n");
        assertThat(builtId(second)).isEqualTo(id);
        assertThat(second.out().split(" ---> Using cache\n", -1)).hasSize(4); // MAINTAINER, RUN and CMD

        Run history = ok("history", "--no-trunc", "--format", "{{.CreatedBy}}", "seedx");
        List<String> created = history.out().lines().toList();
        // Go's %q of the argv, as dockerd 20.10 writes it
        assertThat(created.get(0)).isEqualTo("/bin/sh -c #(nop)  CMD [\"cat\" \"/data/seed.txt\"]");
        assertThat(created.get(1)).isEqualTo("/bin/sh -c mkdir -p /data && echo seeded > /data/seed.txt && echo made the seed");
        assertThat(created.get(2)).contains("#(nop)").contains("MAINTAINER Berth Tests");

        JsonNode inspect = Json.mapper().readTree(ok("image", "inspect", "seedx").out()).get(0);
        assertThat(inspect.path("Id").asText()).isEqualTo(full);
        assertThat(inspect.path("Author").asText()).isEqualTo("Berth Tests <tests@berth.dev>");
        assertThat(inspect.path("Config").path("Cmd")).extracting(JsonNode::asText).containsExactly("cat", "/data/seed.txt");
        assertThat(inspect.path("RootFS").path("Layers")).hasSize(2);

        assertThat(ok("run", "--rm", "seedx").out()).isEqualTo("seeded\n");
    }

    /**
     * The image config and {@code docker history} of config steps read as with Docker's classic builder (all observed
     * against dockerd 20.10 with the same Dockerfile): the history shows each instruction after expansion (CMD in
     * the argv the image gets, printed as Go's {@code %q}; ENV and LABEL as unquoted pairs; WORKDIR as the absolute
     * path after one space; SHELL and VOLUME as Go's {@code %v}); an EXPOSE range exposes each port; an ENTRYPOINT
     * keeps a CMD set before it in the same stage; WORKDIR makes its directory (root's, in a layer); a RUN that
     * writes no file adds no layer; a RUN's history lists the ARGs an ENV does not hide.
     */
    @Test
    void configStepsAndTheirHistoryReadAsDockerWroteThem() throws Exception {
        made.add("compatx");
        Path ctx = context("compat", """
                FROM busybox:latest
                ARG WHO=world
                ENV A=one B="two words" C=${A}-x
                LABEL who=$WHO "spaced key"="v w"
                WORKDIR /srv
                WORKDIR sub
                SHELL ["/bin/sh", "-e", "-c"]
                RUN echo no files written
                EXPOSE 80 8000-8002 53/udp
                VOLUME /data /logs
                CMD echo $A
                ENTRYPOINT ["/bin/sh", "-c"]
                """);
        ok("build", "-t", "compatx", ctx.toString());
        List<String> created = ok("history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Size}}", "compatx").out().lines().toList();
        // EXPOSE is left out: dockerd 20.10 writes its words sorted, later versions as written
        assertThat(created.subList(0, 10).stream().filter(l -> !l.contains("EXPOSE")).toList()).containsExactly(
                "/bin/sh -e -c #(nop)  ENTRYPOINT [\"/bin/sh\" \"-c\"]|0B",
                "/bin/sh -e -c #(nop)  CMD [\"/bin/sh\" \"-e\" \"-c\" \"echo $A\"]|0B",
                "/bin/sh -e -c #(nop)  VOLUME [/data /logs]|0B",
                "|1 WHO=world /bin/sh -e -c echo no files written|0B",
                "/bin/sh -e -c #(nop)  SHELL [/bin/sh -e -c]|0B",
                "/bin/sh -c #(nop) WORKDIR /srv/sub|0B",
                "/bin/sh -c #(nop) WORKDIR /srv|0B",
                "/bin/sh -c #(nop)  LABEL who=world spaced key=v w|0B",
                "/bin/sh -c #(nop)  ENV A=one B=two words C=-x|0B");
        JsonNode inspect = Json.mapper().readTree(ok("image", "inspect", "compatx").out()).get(0);
        JsonNode config = inspect.path("Config");
        assertThat(config.path("ExposedPorts").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("80/tcp", "8000/tcp", "8001/tcp", "8002/tcp", "53/udp");
        assertThat(config.path("Cmd")).extracting(JsonNode::asText).containsExactly("/bin/sh", "-e", "-c", "echo $A");
        assertThat(config.path("Entrypoint")).extracting(JsonNode::asText).containsExactly("/bin/sh", "-c");
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/srv/sub");
        // the base layer and one per WORKDIR (each made its directory): the RUN that wrote nothing added none
        assertThat(inspect.path("RootFS").path("Layers")).hasSize(3);
        assertThat(ok("run", "--rm", "--entrypoint", "ls", "compatx", "-ldn", "/srv", "/srv/sub").out())
                .containsPattern("drwxr-xr-x +\\d+ 0 +0 .* /srv\n")
                .containsPattern("drwxr-xr-x +\\d+ 0 +0 .* /srv/sub\n");
    }

    /**
     * Observed against dockerd 20.10: COPY --chown makes the directories it creates the new owner's (an existing one
     * keeps its owner), a copied directory's subdirectories keep their modification time from the context, and ADD
     * of a tar leaves the destination's own time alone (the archive's {@code ./} entry is not applied to it).
     */
    @Test
    void copyChownOwnsTheDirectoriesItMakesAndCopiedDirectoriesKeepTheirTimes() throws Exception {
        made.add("ownx");
        Path ctx = context("own", """
                FROM busybox:latest
                COPY --chown=65534:65534 a.txt /made/by/copy/a.txt
                COPY d /tree/
                ADD t.tar /unpacked/
                """);
        Files.writeString(ctx.resolve("a.txt"), "a\n");
        Path sub = Files.createDirectories(ctx.resolve("d/sub"));
        Files.writeString(sub.resolve("f"), "f\n");
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2020-01-02T03:04:05Z"));
        Files.setLastModifiedTime(sub, old);
        Path tarDir = Files.createDirectories(tmp.resolve("own-tar/in"));
        Files.writeString(tarDir.resolve("t1"), "t1\n");
        Files.setLastModifiedTime(tarDir, old);
        Process tar = new ProcessBuilder("tar", "-C", tarDir.toString(), "-cf", ctx.resolve("t.tar").toString(), ".")
                .inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        ok("build", "-t", "ownx", ctx.toString());
        // --chown against the hash with no space between, as dockerd 20.10 writes it
        assertThat(ok("history", "--no-trunc", "--format", "{{.CreatedBy}}", "ownx").out().lines().toList().get(2))
                .matches("/bin/sh -c #\\(nop\\) COPY --chown=65534:65534file:[0-9a-f]{64} in /made/by/copy/a.txt ");
        String listing = ok("run", "--rm", "ownx", "ls", "-ldn", "--full-time", "/made", "/made/by", "/made/by/copy",
                "/made/by/copy/a.txt", "/tree/sub", "/unpacked").out();
        assertThat(listing)
                .containsPattern(" 65534 +65534 .* /made\n")
                .containsPattern(" 65534 +65534 .* /made/by\n")
                .containsPattern(" 65534 +65534 .* /made/by/copy\n")
                .containsPattern(" 65534 +65534 .* /made/by/copy/a.txt\n")
                .containsPattern(" 2020-01-02 03:04:05 \\+0000 /tree/sub\n")
                .doesNotContainPattern("2020-01-02 03:04:05 \\+0000 /unpacked\n");
    }

    /**
     * Observed against dockerd 20.10: a child of an image with ONBUILD triggers shows them inside its FROM step
     * ({@code # Executing 2 build triggers}, the triggers' output, one id), and a RUN's stderr comes in red.
     */
    @Test
    void onbuildTriggersRunInsideTheFromStepAndStderrIsRed() throws Exception {
        made.add("obparentx");
        made.add("obchildx");
        Path parent = context("obparent", """
                FROM busybox:latest
                ONBUILD RUN echo trigger ran > /trigger.txt && echo to stderr >&2
                ONBUILD ENV OB=yes
                """);
        ok("build", "-t", "obparentx", parent.toString());
        Path child = context("obchild", "FROM obparentx\nRUN cat /trigger.txt\n");
        Run r = ok("build", "-t", "obchildx", child.toString());
        assertThat(r.out()).containsPattern("Step 1/2 : FROM obparentx\n# Executing 2 build triggers\n ---> Running in ([0-9a-f]{12})\n"
                + "\u001b\\[91mto stderr\n\u001b\\[0mRemoving intermediate container \\1\n ---> [0-9a-f]{12}\nStep 2/2 : RUN cat /trigger.txt\n");
        assertThat(r.out()).doesNotContain("ONBUILD");
        assertThat(ok("run", "--rm", "obchildx", "sh", "-c", "echo $OB; cat /trigger.txt").out()).isEqualTo("yes\ntrigger ran\n");
    }

    /**
     * Observed against dockerd 20.10: each {@code --label} is a step of its own ({@code LABEL key=value}, sorted by
     * key) counted in the total; a missing COPY source fails with {@code COPY failed: file not found in build
     * context...}; a WORKDIR onto a file fails.
     */
    @Test
    void buildLabelsAreStepsOfTheirOwnAndCopyAndWorkdirFailuresSayWhat() throws Exception {
        made.add("labelx");
        Path ctx = context("label", "FROM busybox:latest\nRUN true\n");
        Run r = ok("build", "--label", "org.b=2", "--label", "a=1", "-t", "labelx", ctx.toString());
        assertThat(r.out()).contains("Step 1/4 : FROM busybox:latest\n").contains("Step 3/4 : LABEL a=1\n")
                .contains("Step 4/4 : LABEL org.b=2\n");
        assertThat(ok("image", "inspect", "--format", "{{json .Config.Labels}}", "labelx").out())
                .isEqualTo("{\"a\":\"1\",\"org.b\":\"2\"}\n");

        Run missing = docker("build", context("missing", "FROM busybox:latest\nCOPY nothere.txt /x\n").toString());
        assertThat(missing.exit()).as(missing.all()).isEqualTo(1);
        assertThat(missing.err()).contains("COPY failed: file not found in build context or excluded by .dockerignore: nothere.txt");

        Run onFile = docker("build", context("wdfile", "FROM busybox:latest\nWORKDIR /bin/busybox/sub\n").toString());
        assertThat(onFile.exit()).as(onFile.all()).isEqualTo(1);
        assertThat(onFile.err()).contains("cannot make the working directory /bin/busybox/sub");
    }

    /**
     * Observed against dockerd 20.10: {@code COPY --from} naming an image that cannot be pulled fails with
     * {@code invalid from flag value <name>: <why>}, and no {@code Pulling from} line is left before the error.
     */
    @Test
    void aCopyFromAnImageThatCannotBePulledSaysInvalidFromFlagValue() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // nothing listens there once closed
        }
        String image = "127.0.0.1:" + closed + "/nosuch/image:1";
        Run r = docker("build", context("badfrom", "FROM busybox:latest\nCOPY --from=" + image + " /x /x\n").toString());
        assertThat(r.exit()).as(r.all()).isEqualTo(1);
        assertThat(r.err()).contains("invalid from flag value " + image + ": ");
        assertThat(r.out()).contains("Step 2/2 : COPY --from=" + image + " /x /x\n").doesNotContain("Pulling from");
    }

    static final Pattern RUNNING_IN = Pattern.compile("(?m)^ ---> Running in ([0-9a-f]{12})$");

    /** The containers {@code docker ps -a} lists, as {@code <short id> <state>} lines. */
    static List<String> psAll() throws IOException, InterruptedException {
        return ok("ps", "-a", "--format", "{{.ID}} {{.State}}").out().lines().toList();
    }

    @Test
    void aFailingRunExitsWithItsCodeAndDockersMessageAndKeepsItsContainerUnlessForceRm() throws Exception {
        Path ctx = context("fail", "FROM busybox:latest\nRUN echo before the failure && exit 3\n");
        Run r = docker("build", "-t", "failx", ctx.toString());
        assertThat(r.exit()).as(r.all()).isEqualTo(3);
        assertThat(r.out()).contains("Step 2/2 : RUN echo before the failure && exit 3\n").contains("\nbefore the failure\n");
        assertThat(r.err()).contains("The command '/bin/sh -c echo before the failure && exit 3' returned a non-zero code: 3");
        assertThat(r.all()).doesNotContain("Successfully").doesNotContain("Removing intermediate container");
        assertThat(docker("image", "inspect", "failx").exit()).isNotZero();
        Matcher m = RUNNING_IN.matcher(r.out());
        assertThat(m.find()).as("a Running in line in:%n%s", r.out()).isTrue();
        // --rm (the CLI's default) removes only after a success: the failed step's container stays, as with Docker
        assertThat(psAll()).as("docker ps -a").containsExactly(m.group(1) + " exited");
        assertThat(ok("inspect", "--format", "{{.State.ExitCode}}", m.group(1)).out()).isEqualTo("3\n");

        Run forced = docker("build", "--force-rm", "-t", "failx", ctx.toString());
        assertThat(forced.exit()).as(forced.all()).isEqualTo(3);
        Matcher fm = RUNNING_IN.matcher(forced.out());
        assertThat(fm.find()).as("a Running in line in:%n%s", forced.out()).isTrue();
        assertThat(forced.out()).contains("\nbefore the failure\nRemoving intermediate container " + fm.group(1) + "\n");
        assertThat(psAll()).as("--force-rm removed the second failed step's container").containsExactly(m.group(1) + " exited");
    }

    @Test
    void eachRunShowsItsIntermediateContainerAndRmFalseKeepsItStopped() throws Exception {
        made.add("rmx");
        Path ctx = context("rm", "FROM busybox:latest\nRUN echo first step > /1.txt && echo ran one\nRUN echo ran two\n");
        Run kept = ok("build", "--rm=false", "-t", "rmx", ctx.toString());
        List<String> ids = new ArrayList<>();
        Matcher m = RUNNING_IN.matcher(kept.out());
        while (m.find()) {
            ids.add(m.group(1));
        }
        assertThat(ids).as("one container per RUN in:%n%s", kept.out()).hasSize(2).doesNotHaveDuplicates();
        assertThat(kept.out()).doesNotContain("Removing intermediate container")
                .contains(" ---> Running in " + ids.get(0) + "\nran one\n ---> ");
        assertThat(psAll()).containsExactlyInAnyOrder(ids.get(0) + " exited", ids.get(1) + " exited");
        for (String id : ids) {
            docker("rm", id);
        }

        Run removed = ok("build", "--no-cache", "-t", "rmx", ctx.toString());
        Matcher r = RUNNING_IN.matcher(removed.out());
        assertThat(r.find()).isTrue();
        String first = r.group(1);
        assertThat(removed.out()).containsPattern("(?m)^Step 2/3 : RUN echo first step > /1.txt && echo ran one\n ---> Running in "
                + first + "\nran one\nRemoving intermediate container " + first + "\n ---> [0-9a-f]{12}\nStep 3/3 : ");
        assertThat(psAll()).as("--rm (default) removed every step's container").isEmpty();
    }

    @Test
    void historyShowsEachStepsIntermediateImageAndMissingOnlyForTheBasesOwnLayers() throws Exception {
        made.add("histx");
        Path ctx = context("hist", "FROM busybox:latest\nENV STAGE=one\nRUN echo layered > /l.txt\nCOPY Dockerfile /df\n"
                + "CMD [\"sh\"]\n");
        Run built = ok("build", "-t", "histx", ctx.toString());
        List<String> stepIds = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^ ---> ([0-9a-f]{12})$").matcher(built.out());
        while (m.find()) {
            stepIds.add(m.group(1));
        }
        assertThat(stepIds).hasSize(5); // FROM (the base's id), ENV, RUN, COPY, CMD
        List<String> rows = ok("history", "--format", "{{.ID}} {{.CreatedBy}}", "histx").out().lines().toList();
        List<String> ids = rows.stream().map(l -> l.substring(0, l.indexOf(' '))).toList();
        List<String> expected = new ArrayList<>(stepIds);
        java.util.Collections.reverse(expected);
        assertThat(ids.subList(0, 5)).as("%s", rows).isEqualTo(expected);
        assertThat(ids.subList(5, ids.size())).as("below the base image's own row: its layers from elsewhere")
                .allMatch(id -> id.equals("<missing>"));
        assertThat(rows.get(2)).contains("echo layered > /l.txt");
        var history = engine.engine().imageService().history("histx");
        assertThat(history.getFirst().tags()).containsExactly("histx:latest");
        assertThat(history.get(4).tags()).as("the base's row").containsExactly("busybox:latest");
        // as with Docker's classic builder: the image's Parent is the step before the last, the base has none
        assertThat(ok("image", "inspect", "-f", "{{.Parent}}", "histx").out().strip())
                .startsWith("sha256:" + stepIds.get(3));
        assertThat(ok("image", "inspect", "-f", "{{.Parent}}", "busybox:latest").out().strip()).isEmpty();
    }

    @Test
    void aMalformedDockerfileIsRefusedNamingItsLine() throws Exception {
        Path ctx = context("bad", "FROM busybox:latest\nRUN true\nFROBNICATE now\n");
        Run r = docker("build", "-t", "badx", ctx.toString());
        assertThat(r.exit()).as(r.all()).isEqualTo(1);
        assertThat(r.err()).contains("Error response from daemon: dockerfile parse error on line 3: unknown instruction: FROBNICATE");
        assertThat(r.out()).doesNotContain("Step 1/");
    }

    @Test
    void quietCompressedBuildPrintsOnlyTheIdAndAppliesBuildArgsAndLabels() throws Exception {
        made.add("argx:v1");
        Path ctx = context("args", """
                FROM busybox:latest
                ARG GREETING=hi
                RUN echo "$GREETING" > /greeting.txt
                """);
        Run r = ok("build", "-q", "--compress", "--build-arg", "GREETING=hello", "--label", "org.example.k=v",
                "-t", "argx:v1", ctx.toString());
        String full = engine.engine().imageService().inspect("argx:v1").image().id().toString();
        assertThat(r.out()).isEqualTo(full + "\n");
        JsonNode inspect = Json.mapper().readTree(ok("image", "inspect", "argx:v1").out()).get(0);
        assertThat(inspect.path("Config").path("Labels").path("org.example.k").asText()).isEqualTo("v");
        assertThat(ok("run", "--rm", "argx:v1", "cat", "/greeting.txt").out()).isEqualTo("hello\n");
    }

    static final Pattern RECLAIMED = Pattern.compile("(?m)^Total reclaimed space: ([0-9.]+)(B|kB|MB|GB)$");

    /** The bytes {@code docker builder prune} says it reclaimed (decimal units, as the CLI prints them). */
    static double reclaimed(Run r) {
        Matcher m = RECLAIMED.matcher(r.out());
        assertThat(m.find()).as("a reclaimed space line in:%n%s", r.out()).isTrue();
        double unit = switch (m.group(2)) {
            case "kB" -> 1e3;
            case "MB" -> 1e6;
            case "GB" -> 1e9;
            default -> 1;
        };
        return Double.parseDouble(m.group(1)) * unit;
    }

    @Test
    void builderPruneListsTheRecordsItDeletedAndTheSpaceItReclaimed() throws Exception {
        made.add("prunex");
        ok("builder", "prune", "--force"); // the records of images other tests removed
        Path ctx = context("prune", "FROM busybox:latest\nRUN echo pruned run > /p.txt && echo step ran\n");
        ok("build", "-t", "prunex", ctx.toString());
        assertThat(ok("build", "-t", "prunex", ctx.toString()).out()).contains(" ---> Using cache\n");

        // a failed build leaves its good step behind: a plain prune takes it (its 1 MiB layer) and nothing else
        Path failing = context("prune-fail", "FROM busybox:latest\nRUN dd if=/dev/urandom of=/blob bs=1024 count=1024"
                + " 2>/dev/null\nRUN exit 5\n");
        assertThat(docker("build", "--force-rm", failing.toString()).exit()).isEqualTo(5);
        Run dangling = ok("builder", "prune", "--force");
        assertThat(dangling.out()).containsPattern("(?m)^Deleted build cache objects:\n[0-9a-f]{64}\n\n");
        assertThat(reclaimed(dangling)).isGreaterThan(1024 * 1024);
        assertThat(ok("build", "-t", "prunex", ctx.toString()).out()).as("the tagged build's cache stays")
                .contains(" ---> Using cache\n");

        Run all = ok("builder", "prune", "--all", "--force");
        assertThat(all.out()).containsPattern("(?m)^Deleted build cache objects:\n([0-9a-f]{64}\n)+\n");
        assertThat(reclaimed(all)).as("the records' files").isPositive();
        Run after = ok("build", "-t", "prunex", ctx.toString());
        assertThat(after.out()).doesNotContain("Using cache").contains("\nstep ran\n");
        assertThat(ok("builder", "prune", "--force", "--filter", "until=1h").out()).contains("Total reclaimed space: 0B");
    }

    @Test
    void aNamedDockerfileBuildsOnlyUpToItsTargetStageAndWarnsOfAnUnusedBuildArg() throws Exception {
        made.add("targetx");
        Path ctx = context("target", "FROM scratch\n");
        Files.writeString(ctx.resolve("build.Dockerfile"), """
                FROM busybox:latest AS base
                RUN echo from base > /base.txt
                FROM base
                RUN echo from final > /final.txt
                """);
        Run r = ok("build", "-f", ctx.resolve("build.Dockerfile").toString(), "--target", "base",
                "--build-arg", "NOBODY_USES_ME=1", "-t", "targetx", ctx.toString());
        assertThat(r.out()).contains("Step 1/2 : FROM busybox:latest AS base\n").contains("Step 2/2 : RUN echo from base > /base.txt\n")
                .doesNotContain("from final").contains("[Warning] One or more build-args [NOBODY_USES_ME] were not consumed\n")
                .contains("Successfully tagged targetx:latest\n");
        assertThat(ok("run", "--rm", "targetx", "cat", "/base.txt").out()).isEqualTo("from base\n");
        assertThat(docker("run", "--rm", "targetx", "cat", "/final.txt").exit()).isNotZero();
    }

    /** Whether the IPv4 {@code address} is inside {@code cidr}. */
    static boolean inSubnet(String address, String cidr) throws Exception {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        int a = java.nio.ByteBuffer.wrap(java.net.InetAddress.getByName(address).getAddress()).getInt();
        int n = java.nio.ByteBuffer.wrap(java.net.InetAddress.getByName(parts[0]).getAddress()).getInt();
        int mask = bits == 0 ? 0 : -1 << (32 - bits);
        return (a & mask) == (n & mask);
    }

    static final String SHOW_NETWORK = "FROM busybox:latest\n"
            + "RUN echo \"ifaces: $(ip -o link | cut -d: -f2 | cut -d@ -f1 | tr -d ' ' | sort | tr '\\n' ' ')\" && ip -o -4 addr show\n";

    @Test
    void runIsOnTheDefaultBridgeByDefaultHasOnlyLoopbackWithNoneAndSeesTheHostsAddressesWithHost() throws Exception {
        Path ctx = context("net", SHOW_NETWORK);
        Run bridged = ok("build", ctx.toString());
        assertThat(bridged.out()).contains("\nifaces: eth0 lo \n");
        Matcher addr = Pattern.compile("(?m)^\\d+: eth0\\s+inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/").matcher(bridged.out());
        assertThat(addr.find()).as("an eth0 address in:%n%s", bridged.out()).isTrue();
        String subnet = ok("network", "inspect", "bridge", "--format", "{{range .IPAM.Config}}{{.Subnet}}{{end}}").out().strip();
        assertThat(inSubnet(addr.group(1), subnet)).as("%s in the default bridge's %s", addr.group(1), subnet).isTrue();
        made.add(builtId(bridged));

        Run isolated = ok("build", "--no-cache", "--network", "none", ctx.toString());
        assertThat(isolated.out()).contains("\nifaces: lo \n").doesNotContain("eth0");
        made.add(builtId(isolated));

        List<String> hostAddresses = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> !i.getName().startsWith("veth") && !i.isVirtual())
                .flatMap(i -> i.getInterfaceAddresses().stream())
                .map(java.net.InterfaceAddress::getAddress)
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
                .map(java.net.InetAddress::getHostAddress).toList();
        org.junit.jupiter.api.Assumptions.assumeFalse(hostAddresses.isEmpty(), "the host has an IPv4 address besides loopback");
        Run host = ok("build", "--no-cache", "--network", "host", ctx.toString());
        assertThat(hostAddresses).as("the host's addresses seen by a RUN on the host network:%n%s", host.out())
                .anyMatch(a -> host.out().contains(" inet " + a + "/"));
        made.add(builtId(host));
    }

    @Test
    void aRunOnTheDefaultBridgeReachesAnotherContainerAndNotWithNetworkNone() throws Exception {
        ok("run", "-d", "--name", "buildweb", "busybox:latest", "httpd", "-f", "-p", "8080", "-h", "/etc");
        String ip = ok("inspect", "--format", "{{.NetworkSettings.IPAddress}}", "buildweb").out().strip();
        assertThat(ip).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        Path ctx = context("reach", "FROM busybox:latest\nARG WEB\n"
                + "RUN printf 'GET /passwd HTTP/1.0\\r\\n\\r\\n' | nc -w 5 $WEB 8080 | grep '^root:'\n");
        Run reached = ok("build", "--build-arg", "WEB=" + ip, ctx.toString());
        assertThat(reached.out()).contains("\nroot:x:0:0:root:/root:/bin/sh\n");
        made.add(builtId(reached));
        Run cut = docker("build", "--no-cache", "--force-rm", "--network", "none", "--build-arg", "WEB=" + ip, ctx.toString());
        assertThat(cut.out()).doesNotContain("root:x:0:0");
        assertThat(cut.exit()).as(cut.all()).isEqualTo(1); // grep found no page: nothing came
    }

    /** A tar of {@code entries} (name, content) in order. */
    static Path tar(String name, String... entries) throws IOException {
        Path file = tmp.resolve(name + ".tar");
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(file))) {
            for (int i = 0; i < entries.length; i += 2) {
                byte[] body = entries[i + 1].getBytes(StandardCharsets.UTF_8);
                var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(entries[i], true);
                e.setSize(body.length);
                e.setMode(0644);
                out.putArchiveEntry(e);
                out.write(body);
                out.closeArchiveEntry();
            }
        }
        return file;
    }

    /** Uploaded contexts the engine extracted and has not deleted. */
    static List<Path> contextsLeft() throws IOException {
        Path dir = engine.root().resolve("tmp");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("build-context-")).toList();
        }
    }

    @Test
    void aContextWithoutItsDockerfileIsRefusedByNameAndLeavesNothingBehind() throws Exception {
        Run r = dockerWithInput(tar("nodockerfile", "README", "no Dockerfile here\n"), "build", "-t", "nodfx", "-");
        assertThat(r.exit()).as(r.all()).isEqualTo(1);
        assertThat(r.err()).contains("Error response from daemon: cannot find the Dockerfile Dockerfile in the build context");
        assertThat(contextsLeft()).isEmpty();
    }

    @Test
    void aContextTarEntryClimbingOutOfTheContextIsRefusedByName() throws Exception {
        Path hostile = tar("hostile", "Dockerfile", "FROM busybox:latest\n", "../escape.txt", "outside\n");
        Run r = dockerWithInput(hostile, "build", "-t", "hostilex", "-");
        assertThat(r.exit()).as(r.all()).isEqualTo(1);
        assertThat(r.err()).contains("../escape.txt").contains("climbs out of the build context");
        assertThat(engine.root().resolve("escape.txt")).doesNotExist();
        assertThat(engine.root().resolve("tmp/escape.txt")).doesNotExist();
        assertThat(contextsLeft()).isEmpty();
    }

    @Test
    void aContextPipedAsATarBuildsAndIsDeletedAfterwards() throws Exception {
        made.add("tarx");
        Path ctx = tar("plain", "Dockerfile", "FROM busybox:latest\nCOPY hello.txt /hello.txt\n", "hello.txt", "hi from the tar\n");
        Run r = dockerWithInput(ctx, "build", "-t", "tarx", "-");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("Step 2/2 : COPY hello.txt /hello.txt\n").contains("Successfully tagged tarx:latest\n");
        assertThat(ok("run", "--rm", "tarx", "cat", "/hello.txt").out()).isEqualTo("hi from the tar\n");
        assertThat(contextsLeft()).isEmpty();
    }

    @Test
    void aClientThatGoesAwayCancelsTheBuildAndItsRunContainerIsRemoved() throws Exception {
        cancelWhenTheOutputShows("cancel", "FROM busybox:latest\nRUN echo started && sleep 120\n", "\nstarted\n");
    }

    /** Goes away as soon as the step's container is created: while it is being started, not left created. */
    @Test
    void aClientThatGoesAwayWhileTheRunContainerStartsLeavesNoCreatedContainer() throws Exception {
        for (int i = 0; i < 3; i++) {
            cancelWhenTheOutputShows("cancel-start-" + i, "FROM busybox:latest\nRUN sleep 120 # " + i + "\n", " ---> Running in ");
        }
    }

    private void cancelWhenTheOutputShows(String name, String dockerfile, String marker) throws Exception {
        Path ctx = context(name, dockerfile);
        Path out = tmp.resolve(name + "-out.txt");
        ProcessBuilder pb = new ProcessBuilder(DOCKER, "-H", "unix://" + sock, "build", "-t", "cancelx", ctx.toString());
        pb.environment().put("DOCKER_BUILDKIT", "0");
        pb.environment().put("DOCKER_CONFIG", tmp.resolve("docker-config").toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectOutput(out.toFile()).redirectError(tmp.resolve(name + "-err.txt").toFile());
        Process cli = pb.start();
        try {
            assertThat(waitFor(() -> {
                try {
                    return Files.readString(out).contains(marker);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            })).as("the RUN step began").isTrue();
        } finally {
            cli.destroyForcibly(); // the CLI's connection closes with it
            cli.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(waitFor(() -> engine.engine().containers().list(ContainerFilter.ALL).isEmpty()))
                .as("the cancelled step's container is removed, never left created: %s",
                        engine.engine().containers().list(ContainerFilter.ALL)).isTrue();
        assertThat(waitFor(() -> {
            try {
                return contextsLeft().isEmpty();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        })).as("the uploaded context is deleted").isTrue();
        assertThat(docker("image", "inspect", "cancelx").exit()).isNotZero();
    }

    /** Polls {@code condition} for up to 60 s (a bound on a hang, not a performance figure). */
    static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
