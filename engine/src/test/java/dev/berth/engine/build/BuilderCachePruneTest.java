package dev.berth.engine.build;

import dev.berth.engine.build.context.BuildContext;
import dev.berth.engine.container.ContainerFilter;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Digest;
import dev.berth.testkit.LocalImages;
import dev.berth.testkit.RootOnly;
import dev.berth.testkit.TempEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code docker builder prune} on the classic builder's cache: records, left-over step images, real bytes. Needs root. */
@RootOnly
class BuilderCachePruneTest {

    @TempDir
    Path work;
    @TempDir
    Path ctx;
    TempEngine temp;

    @BeforeEach
    void start() {
        temp = TempEngine.start();
        LocalImages.busybox(temp.engine(), work.resolve("image"), "busybox:latest");
    }

    @AfterEach
    void stop() {
        temp.close();
    }

    BuildResult build(String dockerfile, String... tags) throws Exception {
        Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
        try (BuildContext c = BuildContext.fromDirectory(ctx)) {
            return temp.engine().builder().build(BuildRequest.of(c).withTags(tags), e -> { });
        }
    }

    /** A build whose last RUN fails after a step wrote {@code kib} KiB: returns that step's (left-over) image. */
    Digest failedBuildLeavingAStep(String name, int kib) throws Exception {
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nRUN dd if=/dev/urandom of=/" + name + " bs=1024 count="
                + kib + " 2>/dev/null\nRUN exit 1\n");
        List<BuildProgress> events = new java.util.ArrayList<>();
        try (BuildContext c = BuildContext.fromDirectory(ctx)) {
            assertThatThrownBy(() -> temp.engine().builder().build(BuildRequest.of(c), events::add))
                    .hasMessageContaining("non-zero code: 1");
        }
        return events.stream().filter(e -> e instanceof BuildProgress.StepDone d && d.step().number() == 2)
                .map(e -> ((BuildProgress.StepDone) e).step().imageId()).findFirst().orElseThrow();
    }

    @Test
    void aPlainPruneTakesOnlyTheLeftOverStepOfAFailedBuildAndReportsItsRealSize() throws Exception {
        BuildResult kept = build("FROM busybox\nRUN echo tagged > /t.txt\n", "kept:1");
        BuildResult untagged = build("FROM busybox\nRUN echo result > /r.txt\n");
        Digest leftOver = failedBuildLeavingAStep("big", 512);

        Builder.CachePruneReport report = temp.engine().builder().pruneCache(Builder.CachePruneOptions.DANGLING);

        assertThat(report.cachesDeleted()).hasSize(1).allMatch(id -> id.matches("[0-9a-f]{64}"));
        assertThat(report.spaceReclaimed()).as("the 512 KiB layer and the record").isGreaterThan(512 * 1024);
        assertThat(temp.engine().images().get(leftOver)).isEmpty();
        assertThat(temp.engine().images().get(kept.imageId())).isPresent();
        assertThat(temp.engine().images().get(untagged.imageId())).as("an untagged build result is no left-over").isPresent();
        assertThat(build("FROM busybox\nRUN echo tagged > /t.txt\n", "kept:1").fullyCached()).isTrue();
        assertThat(temp.engine().builder().pruneCache(Builder.CachePruneOptions.DANGLING).cachesDeleted())
                .as("nothing is left to prune").isEmpty();
        assertThat(temp.engine().containers().list(ContainerFilter.ALL)).isEmpty();
    }

    @Test
    void aPruneTakesALeftOverChainUpToTheFirstImageSomethingElseNeeds() throws Exception {
        String shared = "FROM busybox\nRUN dd if=/dev/urandom of=/shared bs=1024 count=256 2>/dev/null\n";
        BuildResult kept = build(shared + "RUN echo kept > /kept.txt\n", "kept:1");
        Digest sharedStep = kept.steps().get(1).imageId();
        List<BuildProgress> events = new java.util.ArrayList<>();
        Files.writeString(ctx.resolve("Dockerfile"), shared + "RUN dd if=/dev/urandom of=/a bs=1024 count=256 2>/dev/null\n"
                + "RUN dd if=/dev/urandom of=/b bs=1024 count=256 2>/dev/null\nRUN exit 1\n");
        try (BuildContext c = BuildContext.fromDirectory(ctx)) {
            assertThatThrownBy(() -> temp.engine().builder().build(BuildRequest.of(c), events::add))
                    .hasMessageContaining("non-zero code: 1");
        }
        List<Digest> steps = events.stream().filter(e -> e instanceof BuildProgress.StepDone)
                .map(e -> ((BuildProgress.StepDone) e).step().imageId()).toList();
        assertThat(steps.get(1)).as("the shared step came from the cache").isEqualTo(sharedStep);

        Builder.CachePruneReport report = temp.engine().builder().pruneCache(Builder.CachePruneOptions.DANGLING);

        assertThat(report.cachesDeleted()).hasSize(2);
        assertThat(report.spaceReclaimed()).as("the /a and /b layers").isGreaterThan(2 * 256 * 1024);
        assertThat(temp.engine().images().get(steps.get(2))).isEmpty();
        assertThat(temp.engine().images().get(steps.get(3))).isEmpty();
        assertThat(temp.engine().images().get(sharedStep)).as("the tagged build stands on it").isPresent();
        assertThat(build(shared + "RUN echo kept > /kept.txt\n", "kept:1").fullyCached()).isTrue();
    }

    @Test
    void allForgetsEveryRecordButKeepsTheImagesOfTaggedBuilds() throws Exception {
        BuildResult kept = build("FROM busybox\nRUN echo tagged > /t.txt\nCMD [\"cat\", \"/t.txt\"]\n", "kept:1");
        Builder.CachePruneReport report = temp.engine().builder().pruneCache(Builder.CachePruneOptions.ALL);
        assertThat(report.cachesDeleted()).hasSize(2);
        assertThat(report.spaceReclaimed()).as("the two records' files").isPositive().isLessThan(64 * 1024);
        assertThat(temp.engine().images().get(kept.imageId())).isPresent();
        assertThat(build("FROM busybox\nRUN echo tagged > /t.txt\nCMD [\"cat\", \"/t.txt\"]\n", "kept:1").fullyCached()).isFalse();
    }

    @Test
    void keepStorageStopsOnceTheRestFitsOldestFirst() throws Exception {
        Digest older = failedBuildLeavingAStep("older", 300);
        Digest newer = failedBuildLeavingAStep("newer", 300);
        Builder.CachePruneReport report = temp.engine().builder().pruneCache(
                new Builder.CachePruneOptions(false, null, 400 * 1024));
        assertThat(report.cachesDeleted()).hasSize(1);
        assertThat(report.spaceReclaimed()).isGreaterThan(300 * 1024);
        assertThat(temp.engine().images().get(older)).isEmpty();
        assertThat(temp.engine().images().get(newer)).isPresent();
    }

    @Test
    void untilKeepsRecordsYoungerThanItsAge() throws Exception {
        Digest step = failedBuildLeavingAStep("young", 64);
        Builder.CachePruneReport report = temp.engine().builder().pruneCache(
                new Builder.CachePruneOptions(true, Duration.ofHours(1), 0));
        assertThat(report.cachesDeleted()).isEmpty();
        assertThat(report.spaceReclaimed()).isZero();
        assertThat(temp.engine().images().get(step)).isPresent();
        assertThat(temp.engine().builder().pruneCache(new Builder.CachePruneOptions(true, Duration.ZERO, 0))
                .cachesDeleted()).hasSize(1);
        assertThat(temp.engine().images().get(step)).isEmpty();
    }

    @Test
    void aRemovedImagesRecordIsPrunedWithoutTouchingOtherImages() throws Exception {
        BuildResult r = build("FROM busybox\nRUN echo gone > /g.txt\n", "gone:1");
        temp.engine().imageService().remove("gone:1", false, false);
        assertThatThrownBy(() -> temp.engine().imageService().inspect(r.imageId().toString()))
                .isInstanceOf(EngineException.NotFound.class);
        int imagesBefore = temp.engine().images().list().size();
        Builder.CachePruneReport report = temp.engine().builder().pruneCache(Builder.CachePruneOptions.DANGLING);
        assertThat(report.cachesDeleted()).hasSize(1);
        assertThat(temp.engine().images().list()).hasSize(imagesBefore);
    }
}
