package dev.berth.engine.api.build;

import dev.berth.engine.build.BuildProgress;
import dev.berth.engine.build.BuildResult;
import dev.berth.engine.build.BuildStep;
import dev.berth.engine.image.Reference;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.state.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClassicOutputTest {

    static final Digest ID = Digest.parse("sha256:" + "1a2b3c4d5e6f".repeat(5) + "abcd");

    static String json(List<BuildMessage> lines) {
        StringBuilder sb = new StringBuilder();
        for (BuildMessage m : lines) {
            sb.append(new String(Json.toBytes(m), StandardCharsets.UTF_8)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void stepsOutputAndCacheHitsBecomeTheClassicBuildersStreamLines() {
        ClassicOutput out = new ClassicOutput(false);
        assertThat(json(out.translate(new BuildProgress.StepStarted(1, 4, "FROM busybox"))))
                .isEqualTo("{\"stream\":\"Step 1/4 : FROM busybox\\n\"}\n");
        assertThat(json(out.translate(new BuildProgress.Output(3, "hello", false)))).isEqualTo("{\"stream\":\"hello\\n\"}\n");
        BuildStep cached = new BuildStep(2, "RUN true", true, null, ID, Duration.ZERO, List.of());
        assertThat(json(out.translate(new BuildProgress.StepDone(cached))))
                .isEqualTo("{\"stream\":\" ---> Using cache\\n\"}\n");
        // the step's id goes out with whatever comes next (here the next step's start)
        assertThat(json(out.translate(new BuildProgress.StepStarted(3, 4, "CMD x"))))
                .isEqualTo("{\"stream\":\" ---> 1a2b3c4d5e6f\\n\"}\n{\"stream\":\"Step 3/4 : CMD x\\n\"}\n");
        BuildStep globalArg = new BuildStep(1, "ARG X", false, BuildStep.NO_IMAGE, null, Duration.ZERO, List.of());
        assertThat(out.translate(new BuildProgress.StepDone(globalArg))).isEmpty();
    }

    /** Observed against dockerd 20.10: a RUN's stderr comes in bright red, reset after each write ({@code \e[91m...\e[0m}). */
    @Test
    void stderrOfARunIsWrappedInDockersRedAndReset() {
        ClassicOutput out = new ClassicOutput(false);
        assertThat(out.translate(new BuildProgress.Output(3, "oops", true)))
                .containsExactly(BuildMessage.stream("\u001b[91moops\n\u001b[0m"));
    }

    /**
     * Observed against dockerd 20.10: {@code Step 1/2 : FROM parent}, {@code # Executing 2 build triggers}, the
     * triggers' output (no Step lines, no ids in between), one {@code  ---> <id>} of the image after the last trigger.
     */
    @Test
    void onbuildTriggersShowAsPartOfTheFromStepWithOneIdAtTheEnd() {
        ClassicOutput out = new ClassicOutput(false);
        Digest base = Digest.parse("sha256:" + "b".repeat(64));
        Digest first = Digest.parse("sha256:" + "c".repeat(64));
        String container = "d".repeat(64);
        List<BuildProgress> reports = List.of(
                new BuildProgress.StepStarted(1, 2, "FROM parent"),
                new BuildProgress.StepDone(new BuildStep(1, "FROM parent", false, BuildStep.BASE_IMAGE, base, Duration.ZERO, List.of())),
                new BuildProgress.Output(1, "# Executing 2 build triggers", false),
                new BuildProgress.StepStarted(1, 2, "ONBUILD RUN echo hi"),
                new BuildProgress.ContainerCreated(1, container),
                new BuildProgress.Output(1, "hi", false),
                new BuildProgress.ContainerRemoved(1, container),
                new BuildProgress.StepDone(new BuildStep(1, "ONBUILD RUN echo hi", false, null, first, Duration.ZERO, List.of())),
                new BuildProgress.StepStarted(1, 2, "ONBUILD ENV A=1"),
                new BuildProgress.StepDone(new BuildStep(1, "ONBUILD ENV A=1", false, null, ID, Duration.ZERO, List.of())),
                new BuildProgress.StepStarted(2, 2, "RUN true"));
        StringBuilder text = new StringBuilder();
        for (BuildProgress p : reports) {
            for (BuildMessage m : out.translate(p)) {
                text.append(m.stream());
            }
        }
        assertThat(text.toString()).isEqualTo("""
                Step 1/2 : FROM parent
                # Executing 2 build triggers
                 ---> Running in dddddddddddd
                hi
                Removing intermediate container dddddddddddd
                 ---> 1a2b3c4d5e6f
                Step 2/2 : RUN true
                """);
    }

    /** Observed against dockerd 20.10: {@code FROM scratch} is followed by an arrow with no id. */
    @Test
    void fromScratchShowsAnArrowWithNoId() {
        ClassicOutput out = new ClassicOutput(false);
        out.translate(new BuildProgress.StepStarted(1, 2, "FROM scratch"));
        assertThat(out.translate(new BuildProgress.StepDone(new BuildStep(1, "FROM scratch", false, BuildStep.BASE_IMAGE, null,
                Duration.ZERO, List.of())))).isEmpty();
        assertThat(out.translate(new BuildProgress.StepStarted(2, 2, "COPY f /f")))
                .containsExactly(BuildMessage.stream(" ---> \n"), BuildMessage.stream("Step 2/2 : COPY f /f\n"));
    }

    @Test
    void theLastStepsIdGoesOutBeforeTheSuccessLines() {
        ClassicOutput out = new ClassicOutput(false);
        out.translate(new BuildProgress.StepDone(new BuildStep(1, "FROM x", false, BuildStep.BASE_IMAGE, ID, Duration.ZERO, List.of())));
        BuildResult r = new BuildResult(ID, List.of(), List.of());
        assertThat(json(out.finished(r))).startsWith("{\"stream\":\" ---> 1a2b3c4d5e6f\\n\"}\n{\"aux\":{\"ID\":\"" + ID + "\"}}\n");
    }

    @Test
    void aRunsContainerIsShownByItsShortIdWhenCreatedAndWhenRemoved() {
        ClassicOutput out = new ClassicOutput(false);
        String id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        assertThat(json(out.translate(new BuildProgress.ContainerCreated(2, id))))
                .isEqualTo("{\"stream\":\" ---> Running in 0123456789ab\\n\"}\n");
        assertThat(json(out.translate(new BuildProgress.ContainerRemoved(2, id))))
                .isEqualTo("{\"stream\":\"Removing intermediate container 0123456789ab\\n\"}\n");
        assertThat(new ClassicOutput(true).translate(new BuildProgress.ContainerCreated(2, id))).isEmpty();
    }

    @Test
    void aFinishedBuildSendsItsIdThenSuccessLinesOrOnlyTheIdWhenQuiet() {
        BuildResult r = new BuildResult(ID, List.of(Reference.parse("x"), Reference.parse("127.0.0.1:5000/team/y:2")), List.of());
        assertThat(json(new ClassicOutput(false).finished(r))).isEqualTo(
                "{\"aux\":{\"ID\":\"" + ID + "\"}}\n"
                        + "{\"stream\":\"Successfully built 1a2b3c4d5e6f\\n\"}\n"
                        + "{\"stream\":\"Successfully tagged x:latest\\n\"}\n"
                        + "{\"stream\":\"Successfully tagged 127.0.0.1:5000/team/y:2\\n\"}\n");
        ClassicOutput quiet = new ClassicOutput(true);
        assertThat(quiet.translate(new BuildProgress.StepStarted(1, 1, "FROM busybox"))).isEmpty();
        assertThat(json(quiet.finished(r))).isEqualTo("{\"aux\":{\"ID\":\"" + ID + "\"}}\n{\"stream\":\"" + ID + "\\n\"}\n");
    }

    @Test
    void failuresCarryDockersWordsAndARunsExitCode() {
        var parse = new dev.berth.engine.build.dockerfile.DockerfileError(
                new dev.berth.engine.build.dockerfile.Position("Dockerfile", 3, 1), "unknown instruction: FOO").toException();
        assertThat(json(List.of(BuildRouter.failure(parse)))).isEqualTo(
                "{\"errorDetail\":{\"message\":\"dockerfile parse error on line 3: unknown instruction: FOO\"},"
                        + "\"error\":\"dockerfile parse error on line 3: unknown instruction: FOO\"}\n");
    }
}
