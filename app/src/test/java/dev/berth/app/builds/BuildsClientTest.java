package dev.berth.app.builds;

import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.container.ContainerFilter;
import dev.berth.engine.errors.EngineException;
import dev.berth.testkit.LocalImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link BuildsClient} against a real embedded engine's API socket: real builds on the busybox fixture with runc. */
class BuildsClientTest {

    /** The seeds' shape: a base, MAINTAINER, a RUN that adds a layer, CMD. */
    static final String SEED = """
            FROM busybox:latest
            MAINTAINER Berth Tests <tests@berth.dev>
            RUN mkdir -p /data && echo seeded > /data/seed.txt && echo made the seed
            CMD ["cat", "/data/seed.txt"]
            """;

    @TempDir
    static Path tmp;
    static EmbeddedBackend backend;
    static BuildsClient client;

    @BeforeAll
    static void start() {
        backend = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("b.sock")), true);
        LocalImages.busybox(backend.engine(), tmp.resolve("busybox"), "busybox:latest");
        client = new BuildsClient(backend.api());
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    static Path context(String name, String dockerfile) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("ctx-" + name));
        Files.writeString(dir.resolve("Dockerfile"), dockerfile);
        return dir;
    }

    static List<BuildEvent> build(BuildRequest request) throws InterruptedException {
        List<BuildEvent> events = new ArrayList<>();
        client.build(request, events::add);
        return events;
    }

    static <T extends BuildEvent> List<T> only(List<BuildEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void theSeedShapeBuildsStepByStepAndARebuildIsServedFromTheCache() throws Exception {
        Path ctx = context("seed", SEED);
        List<BuildEvent> first = build(BuildRequest.of(ctx, "seed:1"));

        assertThat(only(first, BuildEvent.StepStarted.class)).containsExactly(
                new BuildEvent.StepStarted(1, 4, "FROM busybox:latest"),
                new BuildEvent.StepStarted(2, 4, "MAINTAINER Berth Tests <tests@berth.dev>"),
                new BuildEvent.StepStarted(3, 4, "RUN mkdir -p /data && echo seeded > /data/seed.txt && echo made the seed"),
                new BuildEvent.StepStarted(4, 4, "CMD [\"cat\", \"/data/seed.txt\"]"));
        // the command's output comes between its step's start and the next
        int run = first.indexOf(new BuildEvent.StepStarted(3, 4,
                "RUN mkdir -p /data && echo seeded > /data/seed.txt && echo made the seed"));
        int cmd = first.indexOf(new BuildEvent.StepStarted(4, 4, "CMD [\"cat\", \"/data/seed.txt\"]"));
        assertThat(first.subList(run, cmd)).contains(new BuildEvent.Output("made the seed", false));
        assertThat(only(first, BuildEvent.UsingCache.class)).isEmpty();
        assertThat(only(first, BuildEvent.Failed.class)).isEmpty();
        assertThat(only(first, BuildEvent.Tagged.class)).containsExactly(new BuildEvent.Tagged("seed:1"));
        String id = backend.engine().imageService().inspect("seed:1").image().id().toString();
        assertThat(only(first, BuildEvent.Built.class)).containsExactly(new BuildEvent.Built(id));
        assertThat(only(first, BuildEvent.StepImage.class).getLast().shortId()).isEqualTo(id.substring(7, 19));

        List<BuildEvent> second = build(BuildRequest.of(ctx, "seed:1"));
        // every step after the base image is a cache hit, and no command runs again
        assertThat(only(second, BuildEvent.UsingCache.class)).hasSize(3);
        assertThat(second).doesNotContain(new BuildEvent.Output("made the seed", false));
        for (int step = 2; step <= 4; step++) {
            int at = second.indexOf(only(second, BuildEvent.StepStarted.class).get(step - 1));
            assertThat(second.get(at + 1)).as("step %d", step).isEqualTo(new BuildEvent.UsingCache());
        }
        assertThat(only(second, BuildEvent.Built.class)).containsExactly(new BuildEvent.Built(id));
    }

    @Test
    void aFailingRunEndsTheStreamWithItsErrorAfterItsStep() throws Exception {
        Path ctx = context("fail", "FROM busybox:latest\n\n# a comment\nRUN echo before the failure && echo on stderr >&2 && exit 3\nCMD [\"true\"]\n");
        List<BuildEvent> events = build(BuildRequest.of(ctx, "fail:1"));

        List<BuildEvent.StepStarted> steps = only(events, BuildEvent.StepStarted.class);
        assertThat(steps).extracting(BuildEvent.StepStarted::number).containsExactly(1, 2);
        assertThat(steps.getLast().instruction()).isEqualTo("RUN echo before the failure && echo on stderr >&2 && exit 3");
        assertThat(events).contains(new BuildEvent.Output("before the failure", false),
                new BuildEvent.Output("on stderr", true));
        assertThat(events.getLast()).isEqualTo(new BuildEvent.Failed(
                "The command '/bin/sh -c echo before the failure && echo on stderr >&2 && exit 3' returned a non-zero code: 3", 3));
        assertThat(only(events, BuildEvent.Built.class)).isEmpty();
        // the Dockerfile map puts step 2 on line 4, past the blank line and the comment
        DockerfileMap map = DockerfileMap.of(Files.readString(ctx.resolve("Dockerfile")), "Dockerfile", "");
        assertThat(map.lineOf(steps.getLast().number())).isEqualTo(4);
        assertThat(backend.engine().containers().list(ContainerFilter.ALL)).as("the step's container is gone").isEmpty();
    }

    @Test
    void aMalformedDockerfileIsRefusedBeforeAnyStepNamingItsLine() throws Exception {
        Path ctx = context("bad", "FROM busybox:latest\nRUN true\nFROBNICATE now\n");
        List<BuildEvent> events = new ArrayList<>();
        assertThatThrownBy(() -> client.build(BuildRequest.of(ctx, "bad:1"), events::add))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("dockerfile parse error on line 3: unknown instruction: FROBNICATE");
        assertThat(events).isEmpty();
        DockerfileMap map = DockerfileMap.of(Files.readString(ctx.resolve("Dockerfile")), "Dockerfile", "");
        assertThat(map.errorLine()).isEqualTo(3);
        assertThat(map.errorReason()).contains("FROBNICATE");
    }

    @Test
    void dockerignoreKeepsExcludedFilesOutOfTheImageWhileTheIgnoredDockerfileIsStillSent() throws Exception {
        Path ctx = context("ignore", """
                FROM busybox:latest
                COPY . /ctx/
                RUN ls -a /ctx | sort
                RUN test ! -e /ctx/secret.txt && test ! -e /ctx/logs/old.log && test -e /ctx/logs/keep.log
                """);
        Files.writeString(ctx.resolve(".dockerignore"), "Dockerfile\nsecret.txt\nlogs/*.log\n!logs/keep.log\n");
        Files.writeString(ctx.resolve("secret.txt"), "do not send\n");
        Files.writeString(ctx.resolve("kept.txt"), "send\n");
        Files.createDirectories(ctx.resolve("logs"));
        Files.writeString(ctx.resolve("logs/old.log"), "old\n");
        Files.writeString(ctx.resolve("logs/keep.log"), "keep\n");

        List<BuildEvent> events = build(BuildRequest.of(ctx, "ignore:1"));

        // the engine got the Dockerfile it ignores (it built), and COPY . leaves it out, as Docker does
        assertThat(only(events, BuildEvent.Failed.class)).isEmpty();
        List<String> listed = only(events, BuildEvent.Output.class).stream().map(BuildEvent.Output::line).toList();
        assertThat(listed).contains("kept.txt", "logs", ".dockerignore").doesNotContain("secret.txt", "Dockerfile");
        assertThat(only(events, BuildEvent.Built.class)).hasSize(1);
    }

    @Test
    void buildArgsTargetAndTheDockerfilePathGoToTheEngine() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("ctx-stages"));
        Files.createDirectories(ctx.resolve("docker"));
        Files.writeString(ctx.resolve("docker/Build.dockerfile"), """
                ARG BASE=busybox:latest
                FROM $BASE AS first
                ARG WORD=unset
                RUN echo "word is $WORD"
                FROM first AS second
                RUN echo never built
                """);
        List<BuildEvent> events = build(new BuildRequest(ctx, "docker/Build.dockerfile", List.of("stages:1"),
                Map.of("WORD", "hello"), "first", true, false));

        assertThat(only(events, BuildEvent.Failed.class)).isEmpty();
        assertThat(events).contains(new BuildEvent.Output("word is hello", false)).doesNotContain(new BuildEvent.Output("never built", false));
        // the global ARG is step 1; the target stage has 3 of the file's 5 steps
        assertThat(only(events, BuildEvent.StepStarted.class)).extracting(BuildEvent.StepStarted::total).containsOnly(4);
        DockerfileMap map = DockerfileMap.of(Files.readString(ctx.resolve("docker/Build.dockerfile")), "Build.dockerfile", "first");
        assertThat(map.stepLines()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aMissingDockerfileIsNamedWithoutCallingTheEngine() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("ctx-empty"));
        assertThatThrownBy(() -> client.build(BuildRequest.of(ctx), e -> { }))
                .isInstanceOf(EngineException.NotFound.class)
                .hasMessageContaining(ctx.resolve("Dockerfile").toString());
    }
}
