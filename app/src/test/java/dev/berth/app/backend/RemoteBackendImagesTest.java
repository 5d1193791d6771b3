package dev.berth.app.backend;

import dev.berth.engine.EngineConfig;
import dev.berth.engine.errors.EngineException;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.WithRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Docker API client's image calls against a real Berth engine on a temp socket and a real registry. */
@WithRegistry
class RemoteBackendImagesTest {

    @TempDir
    static Path tmp;
    private static EmbeddedBackend server;
    private static Path socket;

    LocalRegistry registry;

    @BeforeAll
    static void serve() {
        socket = tmp.resolve("berth.sock");
        server = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), socket), true);
        assertThat(((Connection.Embedded) server.connection()).socketProblem()).isEmpty();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void pullStreamsLayerProgressAndTheImageCanBeTaggedInspectedSavedRemovedAndLoaded() throws Exception {
        BusyboxImage.build(tmp.resolve("layout")).pushTo(registry, "remote/busybox:1");
        String ref = registry.host() + "/remote/busybox:1";
        try (RemoteBackend client = RemoteBackend.connect(new DockerHost.Unix(socket))) {
            List<ImageProgress> steps = new ArrayList<>();
            String id = client.pullImage(ref, null, steps::add);
            assertThat(id).startsWith("sha256:");
            assertThat(steps).anyMatch(p -> !p.aboutImage() && p.phase().finished());
            assertThat(steps).anyMatch(p -> p.aboutImage() && p.message().startsWith("Pulling from"));

            client.tagImage(ref, "remote-copy:v1");
            assertThat(client.images()).filteredOn(s -> s.id().equals(id)).singleElement()
                    .satisfies(s -> assertThat(s.repoTags()).contains(ref, "remote-copy:v1"));
            assertThat(client.inspectImage(ref).path("Config").path("Cmd").get(0).asText()).isEqualTo("sh");
            assertThat(client.imageHistory(ref)).anyMatch(l -> l.hasLayer() && l.size() > 0);

            Path archive = tmp.resolve("remote.tar");
            client.saveImages(List.of(ref), archive);
            assertThat(archive).isNotEmptyFile();
            assertThat(client.removeImage("remote-copy:v1", false)).extracting(RemovedImage::untagged).contains("remote-copy:v1");
            assertThat(client.removeImage(ref, true)).anyMatch(r -> r.deleted().equals(id));
            assertThat(client.images()).noneMatch(s -> s.id().equals(id));
            List<String> loaded = client.loadImages(archive, p -> { });
            assertThat(loaded).isNotEmpty();
            assertThat(client.images()).anyMatch(s -> s.id().equals(id));
        }
    }

    @Test
    void anUnknownTagFailsAsNotFoundAndRegistrySettingsAreReadOnly() {
        try (RemoteBackend client = RemoteBackend.connect(new DockerHost.Unix(socket))) {
            assertThatThrownBy(() -> client.pullImage(registry.host() + "/remote/none:nope", null, p -> { }))
                    .isInstanceOf(EngineException.NotFound.class);
            assertThat(client.registrySettings().editable()).isFalse();
            assertThatThrownBy(() -> client.saveRegistrySettings(List.of(), List.of()))
                    .isInstanceOf(EngineException.FailedPrecondition.class);
        }
    }
}
