package dev.berth.app.builds;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.backend.ApiClient;
import dev.berth.app.i18n.Text;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model of one build without an engine: the classic builder's JSON lines, as the engine streams
 * them, read into events and applied to a {@link BuildRun} at given arrival times.
 */
class BuildRunTest {

    static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
    static final String DOCKERFILE = """
            # syntax comment
            ARG BASE=busybox:latest
            FROM $BASE

            RUN echo one \\
                && echo two
            COPY . /app
            """;

    static List<BuildEvent> read(String... jsonLines) throws Exception {
        List<BuildEvent> events = new ArrayList<>();
        BuildsClient.LineReader reader = new BuildsClient.LineReader(events::add);
        for (String line : jsonLines) {
            JsonNode node = ApiClient.JSON.readTree(line);
            reader.accept(node);
        }
        reader.flush();
        return events;
    }

    static BuildRun run(String dockerfile) {
        BuildRun r = new BuildRun(BuildRequest.of(Path.of("/work/ctx"), "app:1"), T0);
        r.dockerfileRead(dockerfile, DockerfileMap.of(dockerfile, "Dockerfile", ""));
        return r;
    }

    @Test
    void linesSplitAcrossMessagesAndSeveralLinesInOneAreReadWhole() throws Exception {
        List<BuildEvent> events = read(
                "{\"stream\":\"Step 1/2 : FROM busy\"}",
                "{\"stream\":\"box:latest\\n\"}",
                "{\"stream\":\" ---> 0123456789ab\\nStep 2/2 : RUN echo hi\\nhi\\n\"}",
                "{\"stream\":\" ---> Using cache\\n ---> ba9876543210\\n\"}",
                "{\"aux\":{\"ID\":\"sha256:" + "a".repeat(64) + "\"}}",
                "{\"stream\":\"Successfully built ba9876543210\\n\"}",
                "{\"stream\":\"Successfully tagged app:1\\n\"}",
                "{\"stream\":\"no line end at the close\"}");
        assertThat(events).containsExactly(
                new BuildEvent.StepStarted(1, 2, "FROM busybox:latest"),
                new BuildEvent.StepImage("0123456789ab"),
                new BuildEvent.StepStarted(2, 2, "RUN echo hi"),
                new BuildEvent.Output("hi", false),
                new BuildEvent.UsingCache(),
                new BuildEvent.StepImage("ba9876543210"),
                new BuildEvent.Built("sha256:" + "a".repeat(64)),
                new BuildEvent.Note("Successfully built ba9876543210"),
                new BuildEvent.Tagged("app:1"),
                new BuildEvent.Output("no line end at the close", false));
    }

    @Test
    void stderrColourCodesAreTakenOutAndMarkTheirLinesAsStandardError() throws Exception {
        // how dockerd 20.10 and Berth stream a RUN's standard error: ESC[91m before, ESC[0m after, across lines
        List<BuildEvent> events = read(
                "{\"stream\":\"Step 1/1 : RUN ls /nowhere; echo out\\n\"}",
                "{\"stream\":\"\\u001b[91mls: /nowhere: No such file\\nsecond\"}",
                "{\"stream\":\" half\\n\\u001b[0m\"}",
                "{\"stream\":\"out\\n\"}",
                "{\"stream\":\"\\u001b[0mRemoving intermediate container 0123456789ab\\n\"}");
        assertThat(events).containsExactly(
                new BuildEvent.StepStarted(1, 1, "RUN ls /nowhere; echo out"),
                new BuildEvent.Output("ls: /nowhere: No such file", true),
                new BuildEvent.Output("second half", true),
                new BuildEvent.Output("out", false),
                new BuildEvent.Note("Removing intermediate container 0123456789ab"));

        BuildRun r = run("FROM busybox\nRUN ls /nowhere; echo out\n");
        events.forEach(e -> r.apply(e, T0));
        assertThat(r.log()).extracting(BuildLogLine::kind).contains(BuildLogLine.Kind.STDERR, BuildLogLine.Kind.OUTPUT);
        assertThat(r.log()).extracting(BuildLogLine::text).noneMatch(t -> t.contains("\u001b"));
    }

    @Test
    void anErrorLineBecomesAFailureWithItsExitCode() throws Exception {
        assertThat(read("{\"errorDetail\":{\"code\":3,\"message\":\"returned a non-zero code: 3\"},"
                + "\"error\":\"returned a non-zero code: 3\"}"))
                .containsExactly(new BuildEvent.Failed("returned a non-zero code: 3", 3));
        assertThat(read("{\"error\":\"cancelled\"}")).containsExactly(new BuildEvent.Failed("cancelled", null));
    }

    @Test
    void stepsTakeTheirTimesFromArrivalAndTheirLinesFromTheDockerfile() {
        BuildRun r = run(DOCKERFILE);
        r.apply(new BuildEvent.StepStarted(1, 4, "ARG BASE=busybox:latest"), T0.plusMillis(10));
        r.apply(new BuildEvent.StepStarted(2, 4, "FROM $BASE"), T0.plusMillis(20));
        r.apply(new BuildEvent.StepImage("0123456789ab"), T0.plusMillis(30));
        r.apply(new BuildEvent.StepStarted(3, 4, "RUN echo one && echo two"), T0.plusMillis(40));
        r.apply(new BuildEvent.Output("one", false), T0.plusMillis(500));
        r.apply(new BuildEvent.UsingCache(), T0.plusMillis(600));
        r.apply(new BuildEvent.StepImage("1123456789ab"), T0.plusMillis(640));
        r.apply(new BuildEvent.StepStarted(4, 4, "COPY . /app"), T0.plusMillis(700));
        r.apply(new BuildEvent.StepImage("2123456789ab"), T0.plusMillis(900));
        r.apply(new BuildEvent.Built("sha256:" + "b".repeat(64)), T0.plusMillis(910));
        r.apply(new BuildEvent.Tagged("app:1"), T0.plusMillis(920));
        r.streamEnded(T0.plusMillis(1000));

        assertThat(r.status()).isEqualTo(BuildStatus.SUCCEEDED);
        assertThat(r.steps()).extracting(BuildStepRow::line).containsExactly(2, 3, 5, 7);
        // the ARG has no image line: it ends when the next step starts
        assertThat(r.steps()).extracting(BuildStepRow::duration).containsExactly(
                Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(600), Duration.ofMillis(200));
        assertThat(r.steps()).extracting(BuildStepRow::cached).containsExactly(false, false, true, false);
        assertThat(r.steps()).extracting(BuildStepRow::imageId).containsExactly("", "0123456789ab", "1123456789ab", "2123456789ab");
        assertThat(r.cachedStepsProperty().get()).isEqualTo(1);
        assertThat(r.durationProperty().get()).isEqualTo(Duration.ofSeconds(1));
        assertThat(r.finishedProperty().get()).isEqualTo(T0.plusMillis(1000));
        assertThat(r.stepOutput(3)).containsExactly("one", " ---> Using cache", " ---> 1123456789ab");
        assertThat(r.tagged()).containsExactly("app:1");
        assertThat(r.displayName()).isEqualTo("app:1");
        assertThat(r.log()).first().isEqualTo(new BuildLogLine(1, BuildLogLine.Kind.STEP, "Step 1/4 : ARG BASE=busybox:latest"));
    }

    @Test
    void aFailureMarksTheRunningStepAndItsLineAndIgnoresLaterLines() {
        BuildRun r = run(DOCKERFILE);
        r.apply(new BuildEvent.StepStarted(1, 4, "ARG BASE=busybox:latest"), T0);
        r.apply(new BuildEvent.StepStarted(2, 4, "FROM $BASE"), T0);
        r.apply(new BuildEvent.StepImage("0123456789ab"), T0);
        r.apply(new BuildEvent.StepStarted(3, 4, "RUN echo one && echo two"), T0.plusMillis(5));
        r.apply(new BuildEvent.Failed("returned a non-zero code: 1", 1), T0.plusMillis(50));
        r.apply(new BuildEvent.StepStarted(4, 4, "COPY . /app"), T0.plusMillis(60));
        r.streamEnded(T0.plusMillis(70));

        assertThat(r.status()).isEqualTo(BuildStatus.FAILED);
        assertThat(r.failingLineProperty().get()).isEqualTo(5);
        assertThat(r.errorProperty().get()).isEqualTo(Text.of("builds.failed.engine", "returned a non-zero code: 1"));
        assertThat(r.steps()).extracting(BuildStepRow::failed).containsExactly(false, false, true);
        assertThat(r.steps().getLast().duration()).isEqualTo(Duration.ofMillis(45));
        assertThat(r.finishedProperty().get()).isEqualTo(T0.plusMillis(50));
    }

    @Test
    void aRefusalBeforeAnyStepTakesTheParsersLine() {
        String broken = "FROM busybox:latest\nRUN true\nCOPY --frobnicate . /app\n";
        BuildRun r = run(broken);
        r.fail(Text.of("error.invalidArgument", "dockerfile parse error on line 3: ..."), "dockerfile parse error on line 3: ...",
                T0.plusMillis(5));
        assertThat(r.status()).isEqualTo(BuildStatus.FAILED);
        assertThat(r.failingLineProperty().get()).isEqualTo(3);
        assertThat(DockerfileMap.of(broken, "Dockerfile", "").errorReason()).contains("frobnicate");
        assertThat(r.log()).containsExactly(new BuildLogLine(0, BuildLogLine.Kind.ERROR, "dockerfile parse error on line 3: ..."));
    }

    @Test
    void aCancelledBuildEndsCancelledWhateverTheCallSaysAfterwards() {
        BuildRun r = run(DOCKERFILE);
        List<String> cancelled = new ArrayList<>();
        r.setCanceller(() -> cancelled.add("call closed"));
        r.apply(new BuildEvent.StepStarted(1, 4, "ARG BASE=busybox:latest"), T0);
        r.cancel();
        r.cancel();
        assertThat(cancelled).containsExactly("call closed");
        r.fail(Text.of("error.unavailable", "stream reset"), "stream reset", T0.plusMillis(80));
        assertThat(r.status()).isEqualTo(BuildStatus.CANCELLED);
        assertThat(r.errorProperty().get()).isNull();
        assertThat(r.steps().getFirst().running()).isFalse();
        assertThat(r.steps().getFirst().failed()).isFalse();
    }

    @Test
    void aTargetStageNumbersOnlyTheStagesUpToIt() {
        String twoStages = """
                ARG V=1
                FROM busybox:latest AS build
                RUN echo build
                FROM busybox:latest AS test
                RUN echo test
                FROM busybox:latest
                COPY --from=build / /
                """;
        assertThat(DockerfileMap.of(twoStages, "Dockerfile", "test").stepLines()).containsExactly(1, 2, 3, 4, 5);
        assertThat(DockerfileMap.of(twoStages, "Dockerfile", "").stepLines()).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(DockerfileMap.of(twoStages, "Dockerfile", "build").lineOf(3)).isEqualTo(3);
        assertThat(DockerfileMap.of(twoStages, "Dockerfile", "build").lineOf(4)).isZero();
    }
}
