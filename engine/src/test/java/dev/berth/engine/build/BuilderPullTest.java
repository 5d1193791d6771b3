package dev.berth.engine.build;

import dev.berth.engine.build.context.BuildContext;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.RootOnly;
import dev.berth.testkit.TempEngine;
import dev.berth.testkit.WithRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** FROM an image that is not local: the builder pulls it from a real registry on 127.0.0.1. Needs root. */
@RootOnly
@WithRegistry
class BuilderPullTest {

    LocalRegistry registry;

    @TempDir
    Path tmp;

    TempEngine temp;

    @BeforeEach
    void start() {
        temp = TempEngine.start();
    }

    @AfterEach
    void stop() {
        temp.close();
    }

    @Test
    void aMissingBaseIsPulledAndPullTrueFetchesItAgainButKeepsTheCache() throws Exception {
        BusyboxImage image = BusyboxImage.builder().cmd("sh").build(tmp.resolve("oci"));
        image.pushTo(registry, "build/base:1");
        String ref = registry.reference("build/base:1");
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM " + ref + "\nRUN echo pulled > /p.txt\n");
        List<BuildProgress> events = new ArrayList<>();

        BuildResult first;
        try (BuildContext c = BuildContext.fromDirectory(ctx)) {
            first = temp.engine().builder().build(BuildRequest.of(c), events::add);
        }
        assertThat(temp.engine().images().resolve(ref).id()).isEqualTo(image.config().digest());
        assertThat(first.steps().getFirst().imageId()).isEqualTo(image.config().digest());
        assertThat(first.steps().get(1).cached()).isFalse();
        assertThat(pullEvents()).isEqualTo(1);

        long pullsBefore = pullEvents();
        BuildResult second;
        try (BuildContext c = BuildContext.fromDirectory(ctx)) {
            second = temp.engine().builder().build(BuildRequest.of(c).withPull(true), events::add);
        }
        assertThat(pullEvents()).as("image pull events after --pull").isGreaterThan(pullsBefore);
        assertThat(second.steps().get(1).cached()).isTrue();
        assertThat(second.imageId()).isEqualTo(first.imageId());
    }

    private long pullEvents() {
        return temp.engine().events().recent().stream()
                .filter(e -> e.type().equals("image") && e.action().equals("pull")).count();
    }
}
