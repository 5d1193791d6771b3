package dev.berth.app.images;

import dev.berth.app.backend.Connection;
import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.errors.EngineException;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.Http;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.WithRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Images pane's client over the Docker API of a real engine (served on a temp socket, as the
 * app's embedded engine serves it) and a real registry on 127.0.0.1.
 */
@WithRegistry
class ImagesClientTest {

    @TempDir
    Path tmp;
    private EmbeddedBackend backend;
    private ImagesClient client;

    LocalRegistry registry;

    @BeforeEach
    void serve() {
        backend = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("b.sock")), true);
        assertThat(((Connection.Embedded) backend.connection()).socketProblem()).isEmpty();
        client = ImagesClient.of(backend);
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void pullStreamsPerLayerProgressThenTagInspectHistorySaveRemoveAndLoadBringTheImageBack() throws Exception {
        BusyboxImage.build(tmp.resolve("layout")).pushTo(registry, "api/busybox:1");
        String ref = registry.host() + "/api/busybox:1";
        List<ImageProgress> steps = new ArrayList<>();
        String id = client.pull(ref, null, steps::add);
        assertThat(id).startsWith("sha256:");
        assertThat(steps).anyMatch(p -> p.aboutImage() && p.message().startsWith("Pulling from"));
        assertThat(steps).anyMatch(p -> !p.aboutImage() && p.phase() == ImageProgress.Phase.DOWNLOADING && p.total() > 0);
        // the Pull dialog's rows: every layer ends complete and the bar full
        PullProgressModel model = new PullProgressModel();
        steps.forEach(model);
        assertThat(model.layers()).isNotEmpty().allMatch(l -> l.phase() == ImageProgress.Phase.PULL_COMPLETE && l.size() > 0);
        assertThat(model.overall()).isEqualTo(1.0);

        client.tag(ref, "api-copy:v1");
        assertThat(client.list()).filteredOn(s -> s.id().equals(id)).singleElement()
                .satisfies(s -> assertThat(s.repoTags()).contains(ref, "api-copy:v1"));
        assertThat(client.inspect(ref).path("Config").path("Cmd").get(0).asText()).isEqualTo("sh");
        assertThat(client.history(ref)).filteredOn(ImageLayer::hasLayer).singleElement()
                .satisfies(l -> assertThat(l.size()).isPositive());

        Path archive = tmp.resolve("busybox.tar");
        client.save(List.of(ref), archive);
        assertThat(archive).isNotEmptyFile();
        assertThat(tmp.resolve("busybox.tar.partial")).doesNotExist();
        assertThat(client.remove("api-copy:v1", false)).extracting(RemovedImage::untagged).contains("api-copy:v1");
        assertThat(client.remove(ref, false)).anyMatch(r -> r.deleted().equals(id));
        assertThat(client.list()).noneMatch(s -> s.id().equals(id));

        List<String> loaded = client.load(archive, p -> { });
        assertThat(loaded).contains(ref);
        assertThat(client.list()).anyMatch(s -> s.id().equals(id));
    }

    @Test
    void pushSendsTheImageToTheRegistryAndPruneRemovesTheDanglingImageAPullLeftBehind() throws Exception {
        BusyboxImage.build(tmp.resolve("v1")).pushTo(registry, "moving/box:latest");
        String ref = registry.host() + "/moving/box:latest";
        String first = client.pull(ref, null, p -> { });
        String pushedRef = registry.host() + "/pushed/box:7";
        client.tag(ref, pushedRef);
        List<ImageProgress> steps = new ArrayList<>();
        String digest = client.push(pushedRef, steps::add);
        assertThat(digest).startsWith("sha256:");
        assertThat(steps).anyMatch(p -> !p.aboutImage() && p.phase().finished());
        assertThat(Http.get(registry.url() + "/v2/pushed/box/manifests/" + digest,
                "Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json")
                .statusCode()).isEqualTo(200);
        client.remove(pushedRef, false);

        // the tag moves to a different image: the first one is left dangling
        BusyboxImage.builder().cmd("true").build(tmp.resolve("v2")).pushTo(registry, "moving/box:latest");
        String second = client.pull(ref, null, p -> { });
        assertThat(second).isNotEqualTo(first);
        assertThat(client.list()).filteredOn(s -> s.id().equals(first)).singleElement()
                .satisfies(s -> assertThat(s.dangling()).isTrue());
        PruneResult pruned = client.prune(false);
        assertThat(pruned.removed()).anyMatch(r -> r.deleted().equals(first));
        assertThat(client.list()).extracting(ImageSummary::id).containsExactly(second);
    }

    @Test
    void anUnknownTagFailsAsNotFoundAndAnInvalidReferenceWithTheEnginesReason() {
        assertThatThrownBy(() -> client.pull(registry.host() + "/api/none:nope", null, p -> { }))
                .isInstanceOf(EngineException.NotFound.class);
        assertThat(ImagesClient.normalize("busybox")).isEqualTo("docker.io/library/busybox:latest");
        assertThatThrownBy(() -> ImagesClient.normalize("Busybox/UPPER"))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("invalid reference format");
    }

    @Test
    void loadingAFileThatIsNotThereSaysWhich() {
        Path missing = tmp.resolve("nothing.tar");
        assertThatThrownBy(() -> client.load(missing, p -> { }))
                .isInstanceOf(EngineException.NotFound.class).hasMessageContaining(missing.toString());
    }
}
