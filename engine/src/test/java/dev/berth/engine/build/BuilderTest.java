package dev.berth.engine.build;

import dev.berth.engine.build.context.BuildContext;
import dev.berth.engine.container.ContainerFilter;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.image.Reference;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.ImageConfig;
import dev.berth.engine.snapshot.ChainIds;
import dev.berth.engine.snapshot.Mounter;
import dev.berth.testkit.LocalImages;
import dev.berth.testkit.Mounts;
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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The classic builder on real runc, conmon and overlayfs, from the busybox fixture. Needs root. */
@RootOnly
class BuilderTest {

    @TempDir
    static Path work;

    static TempEngine temp;
    static ImageConfig base;

    @TempDir
    Path ctx;

    final List<BuildProgress> events = new ArrayList<>();

    @BeforeAll
    static void engine() {
        temp = TempEngine.start();
        LocalImages.busybox(temp.engine(), work.resolve("image"), "busybox:latest");
        base = temp.engine().imageService().inspect("busybox").config();
    }

    @AfterAll
    static void closeEngine() {
        if (temp != null) {
            temp.close();
        }
    }

    @AfterEach
    void noBuildContainerOrMountLeft() {
        assertThat(temp.engine().containers().list(ContainerFilter.ALL)).as("build containers left").isEmpty();
        assertThat(Mounts.mountPointsUnder(temp.root())).as("mounts left").isEmpty();
    }

    private BuildResult build(String dockerfile, BuildRequest req) throws Exception {
        Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
        try (BuildContext c = BuildContext.fromDirectory(ctx)) {
            return temp.engine().builder().build(new BuildRequest(c, req.dockerfile(), req.tags(), req.buildArgs(),
                    req.target(), req.noCache(), req.pull(), req.labels(), req.rm(), req.forceRm(), req.networkMode()), events::add);
        }
    }

    private BuildResult build(String dockerfile) throws Exception {
        return build(dockerfile, BuildRequest.of(BuildContext.fromDirectory(ctx)));
    }

    private static ImageConfig config(Digest id) {
        return temp.engine().imageService().inspect(id.toString()).config();
    }

    /** The file {@code path} of image {@code id} read through a read-only view of its layers; empty when absent. */
    private static Optional<String> file(Digest id, String path) throws IOException {
        var record = temp.engine().images().get(id).orElseThrow();
        String key = "test-view-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        var m = temp.engine().snapshots().view(key, ChainIds.top(record.diffIds()).toString());
        Path mnt = work.resolve(key);
        Files.createDirectories(mnt);
        Mounter.mount(m, mnt);
        try {
            Path f = mnt.resolve(path.substring(1));
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(f, StandardCharsets.UTF_8));
        } finally {
            Mounter.unmount(mnt);
            temp.engine().snapshots().remove(key);
        }
    }

    private static void remove(BuildResult r) {
        temp.engine().imageService().remove(r.imageId().toString(), true, false);
    }

    @Test
    void seedShapedDockerfileBuildsTheFileAndTheConfig() throws Exception {
        BuildResult r = build("""
                FROM busybox
                MAINTAINER Berth Tests <tests@berth.dev>
                RUN echo hello > /hello.txt && echo made it
                CMD ["cat", "/hello.txt"]
                """, BuildRequest.of(BuildContext.fromDirectory(ctx)).withTags("seed:1"));
        try {
            ImageConfig c = config(r.imageId());
            assertThat(c.author()).isEqualTo("Berth Tests <tests@berth.dev>");
            assertThat(c.config().cmd()).containsExactly("cat", "/hello.txt");
            assertThat(c.rootfs().diffIds()).hasSize(base.rootfs().diffIds().size() + 1)
                    .startsWith(base.rootfs().diffIds().toArray(Digest[]::new));
            List<ImageConfig.History> added = c.history().subList(base.history().size(), c.history().size());
            assertThat(added).extracting(ImageConfig.History::createdBy).containsExactly(
                    "/bin/sh -c #(nop)  MAINTAINER Berth Tests <tests@berth.dev>",
                    "/bin/sh -c echo hello > /hello.txt && echo made it",
                    "/bin/sh -c #(nop)  CMD [\"cat\" \"/hello.txt\"]"); // Go's %q of the argv, as dockerd 20.10 writes it
            assertThat(added).extracting(ImageConfig.History::isEmptyLayer).containsExactly(true, false, true);
            assertThat(file(r.imageId(), "/hello.txt")).contains("hello\n");
            assertThat(r.steps()).extracting(BuildStep::text).containsExactly("FROM busybox",
                    "MAINTAINER Berth Tests <tests@berth.dev>", "RUN echo hello > /hello.txt && echo made it",
                    "CMD [\"cat\", \"/hello.txt\"]");
            assertThat(r.steps().get(2).output()).containsExactly("made it");
            assertThat(events).contains(new BuildProgress.StepStarted(3, 4, "RUN echo hello > /hello.txt && echo made it"));
            assertThat(temp.engine().images().resolve("seed:1").id()).isEqualTo(r.imageId());
            assertThat(r.tags()).extracting(Reference::familiar).containsExactly("seed:1");
            assertThat(temp.engine().events().recent()).anyMatch(e -> e.type().equals("image") && e.action().equals("tag")
                    && e.actorId().equals(r.imageId().toString()));
        } finally {
            remove(r);
        }
    }

    @Test
    void everyConfigInstructionLandsInTheImageConfigAndOnlyWorkdirAddsALayer() throws Exception {
        BuildResult r = build("""
                FROM busybox
                ARG VERSION=1.2
                ENV APP_HOME=/srv/app MODE=prod
                LABEL org.example.version=$VERSION "two words"="a b"
                EXPOSE 8080 53/udp
                WORKDIR $APP_HOME
                WORKDIR sub
                USER 1000:1000
                VOLUME ["/data"]
                STOPSIGNAL SIGINT
                HEALTHCHECK --interval=5s --retries=2 CMD wget -q http://localhost:8080/ || exit 1
                SHELL ["/bin/sh", "-ec"]
                ENTRYPOINT ["/bin/app"]
                CMD run --fast
                ONBUILD RUN echo child
                """, BuildRequest.of(BuildContext.fromDirectory(ctx)).withLabels(Map.of("built.by", "berth")));
        try {
            ImageConfig c = config(r.imageId());
            ImageConfig.Config rc = c.config();
            assertThat(rc.env()).contains("APP_HOME=/srv/app", "MODE=prod").noneMatch(e -> e.startsWith("VERSION="));
            assertThat(rc.labels()).containsEntry("org.example.version", "1.2").containsEntry("two words", "a b")
                    .containsEntry("built.by", "berth");
            assertThat(rc.exposedPorts()).containsOnlyKeys("8080/tcp", "53/udp");
            assertThat(rc.workingDir()).isEqualTo("/srv/app/sub");
            assertThat(rc.user()).isEqualTo("1000:1000");
            assertThat(rc.volumes()).containsOnlyKeys("/data");
            assertThat(rc.stopSignal()).isEqualTo("SIGINT");
            assertThat(rc.healthcheck().test()).containsExactly("CMD-SHELL", "wget -q http://localhost:8080/ || exit 1");
            assertThat(rc.healthcheck().interval()).isEqualTo(5_000_000_000L);
            assertThat(rc.healthcheck().retries()).isEqualTo(2);
            assertThat(rc.shell()).containsExactly("/bin/sh", "-ec");
            assertThat(rc.entrypoint()).containsExactly("/bin/app");
            assertThat(rc.cmd()).containsExactly("/bin/sh", "-ec", "run --fast");
            assertThat(rc.onBuild()).containsExactly("RUN echo child");
            // each WORKDIR made its directory in a layer of its own (as dockerd 20.10 does); nothing else added one
            assertThat(c.rootfs().diffIds()).hasSize(base.rootfs().diffIds().size() + 2)
                    .startsWith(base.rootfs().diffIds().toArray(Digest[]::new));
            List<ImageConfig.History> added = c.history().subList(base.history().size(), c.history().size());
            assertThat(added).hasSize(15);
            assertThat(added).filteredOn(h -> !h.createdBy().contains("WORKDIR")).hasSize(13)
                    .allMatch(ImageConfig.History::isEmptyLayer).allMatch(h -> h.createdBy().contains(" #(nop)  "));
            assertThat(added).filteredOn(h -> h.createdBy().contains("WORKDIR")).extracting(ImageConfig.History::createdBy)
                    .containsExactly("/bin/sh -c #(nop) WORKDIR /srv/app", "/bin/sh -c #(nop) WORKDIR /srv/app/sub");
            assertThat(added.getLast().createdBy()).endsWith("LABEL built.by=berth");
        } finally {
            remove(r);
        }
    }

    @Test
    void secondBuildIsFullyCachedAndAnEditedFileInvalidatesFromItsCopyOn() throws Exception {
        Files.writeString(ctx.resolve("a.txt"), "alpha\n");
        Files.writeString(ctx.resolve("b.txt"), "beta\n");
        String df = """
                FROM busybox
                COPY a.txt /a.txt
                COPY b.txt /b.txt
                RUN cat /a.txt /b.txt > /ab.txt
                """;
        BuildResult first = build(df);
        BuildResult second = null;
        BuildResult third = null;
        BuildResult fourth = null;
        try {
            assertThat(first.steps().subList(1, 4)).extracting(BuildStep::reason).containsOnly(BuildStep.NO_CACHE_ENTRY);
            assertThat(file(first.imageId(), "/ab.txt")).contains("alpha\nbeta\n");

            second = build(df);
            assertThat(second.fullyCached()).isTrue();
            assertThat(second.imageId()).isEqualTo(first.imageId());
            assertThat(second.steps().subList(1, 4)).allMatch(BuildStep::cached);

            Files.writeString(ctx.resolve("b.txt"), "BETA\n");
            third = build(df);
            assertThat(third.steps()).extracting(BuildStep::cached).containsExactly(false, true, false, false);
            assertThat(third.steps().get(2).reason()).isEqualTo(BuildStep.NO_CACHE_ENTRY);
            assertThat(third.steps().get(1).imageId()).isEqualTo(first.steps().get(1).imageId());
            assertThat(file(third.imageId(), "/ab.txt")).contains("alpha\nBETA\n");

            fourth = build(df, BuildRequest.of(BuildContext.fromDirectory(ctx)).withNoCache(true));
            assertThat(fourth.steps().subList(1, 4)).extracting(BuildStep::reason).containsOnly(BuildStep.NO_CACHE_ASKED);

            assertThat(temp.engine().builder().pruneCache(Builder.CachePruneOptions.ALL).cachesDeleted()).hasSizeGreaterThanOrEqualTo(6);
            BuildResult afterPrune = build(df);
            assertThat(afterPrune.steps().subList(1, 4)).extracting(BuildStep::reason).containsOnly(BuildStep.NO_CACHE_ENTRY);
            remove(afterPrune);
        } finally {
            for (BuildResult r : new BuildResult[] {fourth, third, first}) {
                if (r != null) {
                    remove(r);
                }
            }
        }
    }

    @Test
    void dockerignoreKeepsExcludedFilesOutOfACopiedDirectory() throws Exception {
        Files.writeString(ctx.resolve(".dockerignore"), "secret*\n*.log\n!keep.log\n");
        Files.writeString(ctx.resolve("secret.txt"), "do not ship\n");
        Files.writeString(ctx.resolve("app.log"), "noise\n");
        Files.writeString(ctx.resolve("keep.log"), "kept\n");
        Files.createDirectories(ctx.resolve("src"));
        Files.writeString(ctx.resolve("src/main.sh"), "echo main\n");
        Files.setPosixFilePermissions(ctx, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        BuildResult r = build("""
                FROM busybox
                COPY . /ctx/
                COPY src /
                RUN stat -c '%a' / > /root-mode.txt
                """);
        try {
            assertThat(file(r.imageId(), "/ctx/src/main.sh")).contains("echo main\n");
            assertThat(file(r.imageId(), "/ctx/keep.log")).contains("kept\n");
            assertThat(file(r.imageId(), "/ctx/secret.txt")).isEmpty();
            assertThat(file(r.imageId(), "/ctx/app.log")).isEmpty();
            assertThat(file(r.imageId(), "/main.sh")).contains("echo main\n");
            assertThat(file(r.imageId(), "/root-mode.txt")).as("a directory copied onto / leaves its mode").contains("755\n");
        } finally {
            remove(r);
        }
    }

    @Test
    void multiStageCopyFromTakesAnEarlierStagesFileAndTargetStopsThere() throws Exception {
        String df = """
                FROM busybox AS builder
                RUN mkdir /out && echo compiled > /out/app
                FROM busybox
                COPY --from=builder /out/app /usr/local/bin/app
                CMD ["/usr/local/bin/app"]
                """;
        BuildResult r = build(df);
        BuildResult builderOnly = null;
        try {
            assertThat(file(r.imageId(), "/usr/local/bin/app")).contains("compiled\n");
            assertThat(file(r.imageId(), "/out/app")).isEmpty();
            assertThat(r.steps()).hasSize(5);
            BuildResult again = build(df);
            assertThat(again.fullyCached()).isTrue();
            assertThat(again.imageId()).isEqualTo(r.imageId());

            builderOnly = build(df, BuildRequest.of(BuildContext.fromDirectory(ctx)).withTarget("builder"));
            assertThat(builderOnly.steps()).hasSize(2);
            assertThat(builderOnly.steps().get(1).cached()).isTrue();
            assertThat(file(builderOnly.imageId(), "/out/app")).contains("compiled\n");
        } finally {
            remove(r);
            if (builderOnly != null) {
                remove(builderOnly);
            }
        }
    }

    @Test
    void aRunReportsItsContainerBeforeItsOutputAndItsRemovalBeforeTheStepEnds() throws Exception {
        BuildResult r = build("FROM busybox\nRUN echo inside the step\n");
        try {
            String id = events.stream().filter(e -> e instanceof BuildProgress.ContainerCreated).map(e ->
                    ((BuildProgress.ContainerCreated) e).containerId()).findFirst().orElseThrow();
            int created = events.indexOf(new BuildProgress.ContainerCreated(2, id));
            int output = events.indexOf(new BuildProgress.Output(2, "inside the step", false));
            int removed = events.indexOf(new BuildProgress.ContainerRemoved(2, id));
            int done = events.indexOf(events.stream().filter(e -> e instanceof BuildProgress.StepDone d
                    && d.step().number() == 2).findFirst().orElseThrow());
            assertThat(List.of(created, output, removed, done)).as("%s", events).doesNotContain(-1).isSorted();
            assertThatThrownBy(() -> temp.engine().containers().inspect(id)).isInstanceOf(EngineException.NotFound.class);
        } finally {
            remove(r);
        }
    }

    @Test
    void aCancelAsSoonAsTheRunContainerIsCreatedRemovesItAndEndsTheBuild() throws Exception {
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nRUN echo never printed\n");
        Thread builder = Thread.currentThread();
        try (BuildContext c = BuildContext.fromDirectory(ctx)) {
            assertThatThrownBy(() -> temp.engine().builder().build(BuildRequest.of(c).withRemoval(false, false), e -> {
                events.add(e);
                if (e instanceof BuildProgress.ContainerCreated) {
                    builder.interrupt(); // what the API does when the client goes away
                }
            })).isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(events).noneMatch(e -> e instanceof BuildProgress.Output o && o.line().equals("never printed"));
        assertThat(events).anyMatch(e -> e instanceof BuildProgress.ContainerRemoved);
        // even with rm and forcerm off, a cancelled step's container goes (checked after each test)
    }

    @Test
    void rmFalseKeepsTheStepContainerStoppedAndForceRmRemovesAFailedOne() throws Exception {
        BuildResult r = build("FROM busybox\nRUN echo kept\n", BuildRequest.of(BuildContext.fromDirectory(ctx))
                .withRemoval(false, false));
        try {
            var left = temp.engine().containers().list(ContainerFilter.ALL);
            assertThat(left).hasSize(1);
            assertThat(left.getFirst().state().exitCode()).isZero();
            assertThat(left.getFirst().state().running()).isFalse();
            temp.engine().containers().remove(left.getFirst().id(), false, true);
        } finally {
            remove(r);
        }
        events.clear();
        assertThatThrownBy(() -> build("FROM busybox\nRUN exit 4\n", BuildRequest.of(BuildContext.fromDirectory(ctx))
                .withRemoval(true, false))).hasMessageContaining("non-zero code: 4");
        var failed = temp.engine().containers().list(ContainerFilter.ALL);
        assertThat(failed).as("rm without forcerm keeps a failed step's container").hasSize(1);
        temp.engine().containers().remove(failed.getFirst().id(), false, true);
        assertThatThrownBy(() -> build("FROM busybox\nRUN exit 4\n", BuildRequest.of(BuildContext.fromDirectory(ctx))
                .withRemoval(false, true))).hasMessageContaining("non-zero code: 4");
        assertThat(events).anyMatch(e -> e instanceof BuildProgress.ContainerRemoved);
    }

    @Test
    void failingRunNamesTheStepAndTheExitCodeAndLeavesNoContainer() throws Exception {
        assertThatThrownBy(() -> build("""
                FROM busybox
                RUN echo about to fail && exit 3
                CMD ["sh"]
                """))
                .isInstanceOf(EngineException.FailedPrecondition.class)
                .hasMessageContaining("step 2/3")
                .hasMessageContaining("Dockerfile:2:1")
                .hasMessageContaining("returned a non-zero code: 3")
                .cause().isInstanceOfSatisfying(Builder.StepFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(3);
                    assertThat(f.step()).isEqualTo(2);
                });
        assertThat(events).contains(new BuildProgress.Output(2, "about to fail", false));
    }

    @Test
    void copyThroughALinkToTheRootOfTheBaseImageWritesInsideTheRootfs() throws Exception {
        BuildResult linked = build("""
                FROM busybox
                RUN ln -s / /target
                """, BuildRequest.of(BuildContext.fromDirectory(ctx)).withTags("linked-base:1"));
        String name = "berth-escape-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        Files.writeString(ctx.resolve(name), "inside\n");
        BuildResult r = build("FROM linked-base:1\nCOPY " + name + " /target/" + name + "\n");
        try {
            assertThat(Path.of("/" + name)).doesNotExist();
            assertThat(file(r.imageId(), "/" + name)).contains("inside\n");
        } finally {
            remove(r);
            remove(linked);
        }
    }

    @Test
    void addExtractsALocalTarAndCopyAppliesChownAndChmod() throws Exception {
        Path tree = work.resolve("tree-" + ThreadLocalRandom.current().nextInt(1_000_000));
        Files.createDirectories(tree.resolve("pkg"));
        Files.writeString(tree.resolve("pkg/readme"), "from the tar\n");
        Process tar = new ProcessBuilder("tar", "-czf", ctx.resolve("pkg.tar.gz").toString(), "-C", tree.toString(), "pkg")
                .inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        Files.writeString(ctx.resolve("tool.sh"), "echo tool\n");
        BuildResult r = build("""
                FROM busybox
                ADD pkg.tar.gz /opt/
                COPY --chown=1000:1000 --chmod=0750 tool.sh /usr/bin/
                RUN stat -c '%u:%g %a' /usr/bin/tool.sh > /stat.txt
                """);
        try {
            assertThat(file(r.imageId(), "/opt/pkg/readme")).contains("from the tar\n");
            assertThat(file(r.imageId(), "/opt/pkg.tar.gz")).isEmpty();
            assertThat(file(r.imageId(), "/stat.txt")).contains("1000:1000 750\n");
        } finally {
            remove(r);
        }
    }

    /** A tar in the context: {@code d/a.txt} and a hard link {@code link} to {@code linkTarget}. */
    private Path tarWithHardLink(String name, String link, String linkTarget) throws IOException {
        Path file = ctx.resolve(name);
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(file))) {
            var dir = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("d/");
            out.putArchiveEntry(dir);
            out.closeArchiveEntry();
            byte[] body = "linked content\n".getBytes(StandardCharsets.UTF_8);
            var a = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("d/a.txt");
            a.setSize(body.length);
            a.setMode(0640);
            out.putArchiveEntry(a);
            out.write(body);
            out.closeArchiveEntry();
            var l = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(link,
                    org.apache.commons.compress.archivers.tar.TarConstants.LF_LINK);
            l.setLinkName(linkTarget);
            out.putArchiveEntry(l);
            out.closeArchiveEntry();
        }
        return file;
    }

    @Test
    void addExtractsAHardLinkWhoseTargetIsInsideTheDestination() throws Exception {
        tarWithHardLink("links.tar", "d/b.txt", "d/a.txt");
        BuildResult r = build("""
                FROM busybox
                ADD links.tar /x/
                RUN stat -c '%i %h %a' /x/d/a.txt > /a.stat && stat -c '%i %h %a' /x/d/b.txt > /b.stat
                """);
        try {
            assertThat(file(r.imageId(), "/x/d/b.txt")).contains("linked content\n");
            String a = file(r.imageId(), "/a.stat").orElseThrow();
            assertThat(file(r.imageId(), "/b.stat")).as("one inode, two names").contains(a);
            assertThat(a).endsWith(" 2 640\n");
        } finally {
            remove(r);
        }
    }

    @Test
    void aHardLinkInAnAddedTarThatLeavesTheArchiveOrItsDestinationIsRefused() throws Exception {
        tarWithHardLink("climb.tar", "d/evil", "../../etc/passwd");
        assertThatThrownBy(() -> build("FROM busybox\nADD climb.tar /x/\n"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("climb.tar").hasMessageContaining("d/evil -> ../../etc/passwd")
                .hasMessageContaining("outside the archive");
        tarWithHardLink("outside.tar", "d/evil", "etc/passwd");
        assertThatThrownBy(() -> build("FROM busybox\nADD outside.tar /x/\n"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("outside.tar").hasMessageContaining("not a file the archive wrote before it");
    }

    @Test
    void copyFromAStageTakesTheFilesItsWildcardsMatch() throws Exception {
        BuildResult r = build("""
                FROM busybox AS builder
                RUN mkdir -p /out/sub && echo one > /out/a.txt && echo two > /out/b.txt && echo log > /out/c.log \
                    && echo deep > /out/sub/d.txt
                FROM busybox
                COPY --from=builder /out/*.txt /o?t/s[a-z]b/*.txt /got/
                """);
        try {
            assertThat(file(r.imageId(), "/got/a.txt")).contains("one\n");
            assertThat(file(r.imageId(), "/got/b.txt")).contains("two\n");
            assertThat(file(r.imageId(), "/got/d.txt")).contains("deep\n");
            assertThat(file(r.imageId(), "/got/c.log")).isEmpty();
        } finally {
            remove(r);
        }
        assertThatThrownBy(() -> build("FROM busybox AS b\nFROM busybox\nCOPY --from=b /nowhere/*.txt /got/\n"))
                .hasMessageContaining("no source files were specified").hasMessageContaining("/nowhere/*.txt");
    }

    @Test
    void intermediateImagesAreHiddenFromTheListAndGoWithTheFinalImage() throws Exception {
        BuildResult r = build("""
                FROM busybox
                ENV STEP=1
                RUN echo layer > /layer.txt
                LABEL final=yes
                """, BuildRequest.of(BuildContext.fromDirectory(ctx)).withTags("layered:1"));
        List<Digest> intermediate = r.steps().subList(1, 3).stream().map(BuildStep::imageId).toList();
        assertThat(images().list(false, Map.of())).extracting(s -> s.image().id())
                .contains(r.imageId()).doesNotContainAnyElementsOf(intermediate);
        assertThat(images().list(true, Map.of())).extracting(s -> s.image().id()).containsAll(intermediate);
        assertThat(temp.engine().images().parent(r.imageId())).contains(intermediate.getLast());

        images().remove("layered:1", false, false);
        for (Digest d : intermediate) {
            assertThat(temp.engine().images().get(d)).as("intermediate %s", d).isEmpty();
        }
        assertThat(temp.engine().images().resolve("busybox")).isNotNull();
    }

    @Test
    void runSeesBuildArgsAndEnvAndItsHistoryNamesTheArgs() throws Exception {
        Files.writeString(ctx.resolve("note.txt"), "note\n");
        BuildResult r = build("""
                FROM busybox
                ARG FLAVOUR=plain
                ENV GREETING=hi
                WORKDIR /work/dir
                COPY note.txt .
                RUN echo "$GREETING $FLAVOUR $(pwd)" > out.txt
                """, BuildRequest.of(BuildContext.fromDirectory(ctx)).withBuildArgs(Map.of("FLAVOUR", "spicy", "UNUSED", "1")));
        try {
            assertThat(file(r.imageId(), "/work/dir/out.txt")).contains("hi spicy /work/dir\n");
            assertThat(file(r.imageId(), "/work/dir/note.txt")).contains("note\n");
            ImageConfig c = config(r.imageId());
            assertThat(c.config().env()).contains("GREETING=hi").noneMatch(e -> e.startsWith("FLAVOUR="));
            assertThat(c.history().getLast().createdBy())
                    .isEqualTo("|1 FLAVOUR=spicy /bin/sh -c echo \"$GREETING $FLAVOUR $(pwd)\" > out.txt");
            assertThat(events).contains(new BuildProgress.Warning("[Warning] One or more build-args [UNUSED] were not consumed"));
        } finally {
            remove(r);
        }
    }

    @Test
    void aContextLinkLeadingOutOfTheContextIsRefused() throws Exception {
        Files.createSymbolicLink(ctx.resolve("escape"), Path.of("/etc"));
        assertThatThrownBy(() -> build("FROM busybox\nCOPY escape/hostname /stolen\n"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("escape");
    }

    @Test
    void runStartsInAWorkdirThatNoStepCreated() throws Exception {
        BuildResult r = build("""
                FROM busybox
                WORKDIR /made/by/workdir
                RUN pwd > /pwd.txt
                """);
        try {
            assertThat(file(r.imageId(), "/pwd.txt")).contains("/made/by/workdir\n");
        } finally {
            remove(r);
        }
    }

    @Test
    void heredocsWriteFilesAndRunScripts() throws Exception {
        BuildResult r = build("""
                FROM busybox
                ENV WHO=builder
                COPY <<CONF /etc/app/
                name=$WHO
                CONF
                RUN <<EOF
                echo "script by $WHO" > /script.txt
                echo second line >> /script.txt
                EOF
                RUN cat <<'RAW' > /raw.txt
                keep $WHO
                RAW
                """);
        try {
            assertThat(file(r.imageId(), "/etc/app/CONF")).contains("name=builder\n");
            assertThat(file(r.imageId(), "/script.txt")).contains("script by builder\nsecond line\n");
            assertThat(file(r.imageId(), "/raw.txt")).contains("keep $WHO\n");
        } finally {
            remove(r);
        }
    }

    @Test
    void onbuildTriggersOfTheBaseRunInTheChildBuildAndAreNotInherited() throws Exception {
        BuildResult parent = build("""
                FROM busybox
                ONBUILD RUN echo triggered > /child.txt
                ONBUILD ENV FROM_TRIGGER=1
                """, BuildRequest.of(BuildContext.fromDirectory(ctx)).withTags("onbuild-base:1"));
        BuildResult child = build("FROM onbuild-base:1\nCMD [\"sh\"]\n");
        try {
            assertThat(config(parent.imageId()).config().onBuild()).hasSize(2);
            assertThat(file(child.imageId(), "/child.txt")).contains("triggered\n");
            ImageConfig c = config(child.imageId());
            assertThat(c.config().env()).contains("FROM_TRIGGER=1");
            assertThat(c.config().onBuild()).isNull();
            assertThat(child.steps()).extracting(BuildStep::text).containsExactly("FROM onbuild-base:1",
                    "ONBUILD RUN echo triggered > /child.txt", "ONBUILD ENV FROM_TRIGGER=1", "CMD [\"sh\"]");
            assertThat(child.steps()).extracting(BuildStep::number).containsExactly(1, 1, 1, 2);
        } finally {
            remove(child);
            remove(parent);
        }
    }

    @Test
    void aScratchStageGetsOneLayerPerCopy() throws Exception {
        BuildResult r = build("""
                FROM busybox AS tools
                RUN echo static > /payload
                FROM scratch
                COPY --from=tools /payload /payload
                ENTRYPOINT ["/payload"]
                """);
        try {
            ImageConfig c = config(r.imageId());
            assertThat(c.rootfs().diffIds()).hasSize(1);
            assertThat(c.history()).extracting(ImageConfig.History::isEmptyLayer).containsExactly(false, true);
            // named by its content, as dockerd 20.10 writes it: file:<sha256> (dir: and multi: for a directory and several)
            assertThat(c.history().getFirst().createdBy()).matches("/bin/sh -c #\\(nop\\) COPY file:[0-9a-f]{64} in /payload ");
            assertThat(c.config().entrypoint()).containsExactly("/payload");
            // a stage whose base sets no PATH gets Docker's default (observed against dockerd 20.10)
            assertThat(c.config().env()).containsExactly("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            assertThat(file(r.imageId(), "/payload")).contains("static\n");
            assertThat(file(r.imageId(), "/bin/busybox")).isEmpty();
        } finally {
            remove(r);
        }
    }

    @Test
    void aNewBuilderUnmountsAndDeletesWhatAStoppedBuildLeftInItsScratchDirectory() throws Exception {
        var engine = temp.engine();
        Path left = temp.root().resolve("build/mnt/build-left-over");
        Files.createDirectories(left);
        String key = "left-over-view";
        var record = engine.images().resolve("busybox");
        Mounter.mount(engine.snapshots().view(key, ChainIds.top(record.diffIds()).toString()), left);
        try {
            new Builder(engine.images(), engine.content(), engine.unpacker(), engine.containers(), engine.imageService(),
                    temp.root().resolve("build"), java.time.Clock.systemUTC());
            assertThat(Mounter.isMountPoint(left)).isFalse();
            assertThat(left).doesNotExist();
        } finally {
            if (Mounter.isMountPoint(left)) {
                Mounter.unmount(left);
            }
            engine.snapshots().remove(key);
        }
    }

    @Test
    void aMalformedDockerfileIsRefusedWithItsLine() {
        assertThatThrownBy(() -> build("FROM busybox\nFROBNICATE now\n"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageStartingWith("Dockerfile:2:");
    }

    @Test
    void aMissingCopySourceIsNamed() {
        assertThatThrownBy(() -> build("FROM busybox\nCOPY nothing-here.txt /x\n"))
                .isInstanceOf(EngineException.NotFound.class)
                // Docker's words (observed against dockerd 20.10)
                .hasMessage("COPY failed: file not found in build context or excluded by .dockerignore: nothing-here.txt");
    }

    static ImageService images() {
        return temp.engine().imageService();
    }
}
