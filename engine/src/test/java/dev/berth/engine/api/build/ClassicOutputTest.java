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
        assertThat(json(out.translate(new BuildProgress.Output(3, "hello", true)))).isEqualTo("{\"stream\":\"hello\\n\"}\n");
        BuildStep cached = new BuildStep(2, "RUN true", true, null, ID, Duration.ZERO, List.of());
        assertThat(json(out.translate(new BuildProgress.StepDone(cached))))
                .isEqualTo("{\"stream\":\" ---> Using cache\\n\"}\n{\"stream\":\" ---> 1a2b3c4d5e6f\\n\"}\n");
        BuildStep globalArg = new BuildStep(1, "ARG X", false, BuildStep.NO_IMAGE, null, Duration.ZERO, List.of());
        assertThat(out.translate(new BuildProgress.StepDone(globalArg))).isEmpty();
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
