package dev.berth.app.backend;

import dev.berth.engine.EngineConfig;
import dev.berth.engine.errors.EngineException;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.Http;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.WithRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The image operations of the embedded backend, on a real engine and a real registry on 127.0.0.1. */
@WithRegistry
class EmbeddedBackendImagesTest {

    LocalRegistry registry;

    @TempDir
    Path tmp;

    private EmbeddedBackend start() {
        return EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("berth.sock")), false);
    }

    @Test
    void pullReportsLayerProgressThenSaveRemoveAndLoadBringTheImageBack() throws Exception {
        BusyboxImage.build(tmp.resolve("layout")).pushTo(registry, "busybox:latest");
        String ref = registry.host() + "/busybox:latest";
        try (EmbeddedBackend b = start()) {
            List<ImageProgress> steps = new ArrayList<>();
            String id = b.pullImage(ref, null, steps::add);
            assertThat(steps).anyMatch(p -> !p.aboutImage() && p.phase() == ImageProgress.Phase.PULL_COMPLETE);
            assertThat(b.images()).singleElement().satisfies(s -> {
                assertThat(s.id()).isEqualTo(id);
                assertThat(s.repoTags()).containsExactly(ref);
            });
            assertThat(b.inspectImage(ref).path("Config").path("Cmd").get(0).asText()).isEqualTo("sh");
            assertThat(b.imageHistory(ref)).filteredOn(ImageLayer::hasLayer).singleElement()
                    .satisfies(l -> assertThat(l.size()).isPositive());

            Path archive = tmp.resolve("busybox.tar");
            b.saveImages(List.of(ref), archive);
            assertThat(archive).isNotEmptyFile();
            assertThat(tmp.resolve("busybox.tar.partial")).doesNotExist();
            assertThat(b.removeImage(ref, false)).anyMatch(r -> r.deleted().equals(id));
            assertThat(b.images()).isEmpty();

            List<String> loaded = b.loadImages(archive, p -> { });
            assertThat(loaded).isNotEmpty();
            assertThat(b.images()).singleElement().satisfies(s -> assertThat(s.id()).isEqualTo(id));
        }
    }

    @Test
    void registrySettingsAreCheckedStoredAndReadByTheEngineOnItsNextStart() {
        try (EmbeddedBackend b = start()) {
            assertThatThrownBy(() -> b.saveRegistrySettings(List.of("ftp://mirror"), List.of()))
                    .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("ftp://mirror");
            RegistrySettings s = b.saveRegistrySettings(List.of("https://mirror.example.com"), List.of("registry.lan:5000"));
            assertThat(s.editable()).isTrue();
            assertThat(Path.of(s.configFile())).isEqualTo(tmp.resolve("root/config.json"));
        }
        try (EmbeddedBackend again = start()) {
            assertThat(again.engine().config().registryMirrors()).containsExactly(URI.create("https://mirror.example.com"));
            assertThat(again.engine().config().insecureRegistries()).contains("registry.lan:5000");
            assertThat(again.registrySettings().mirrors()).containsExactly("https://mirror.example.com");
        }
    }

    @Test
    void anInvalidReferenceIsRefusedWithTheEnginesReason() {
        try (EmbeddedBackend b = start()) {
            assertThat(b.normalizeReference("busybox")).isEqualTo("docker.io/library/busybox:latest");
            assertThatThrownBy(() -> b.normalizeReference("Busybox/UPPER"))
                    .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("invalid reference format");
        }
    }

    @Test
    void pushSendsTheImageToTheRegistryAndPruneRemovesTheDanglingImageAPullLeftBehind() throws Exception {
        BusyboxImage.build(tmp.resolve("v1")).pushTo(registry, "moving/box:latest");
        String ref = registry.host() + "/moving/box:latest";
        try (EmbeddedBackend b = start()) {
            String first = b.pullImage(ref, null, p -> { });
            String pushedRef = registry.host() + "/pushed/box:7";
            b.tagImage(ref, pushedRef);
            List<ImageProgress> steps = new ArrayList<>();
            String digest = b.pushImage(pushedRef, steps::add);
            assertThat(digest).startsWith("sha256:");
            assertThat(steps).anyMatch(p -> !p.aboutImage() && p.phase().finished());
            assertThat(Http.get(registry.url() + "/v2/pushed/box/manifests/" + digest,
                    "Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json")
                    .statusCode()).isEqualTo(200);
            b.removeImage(pushedRef, false);

            // the tag moves to a different image: the first one is left dangling
            BusyboxImage.builder().cmd("true").build(tmp.resolve("v2")).pushTo(registry, "moving/box:latest");
            String second = b.pullImage(ref, null, p -> { });
            assertThat(second).isNotEqualTo(first);
            assertThat(b.images()).filteredOn(s -> s.id().equals(first)).singleElement()
                    .satisfies(s -> assertThat(s.dangling()).isTrue());
            PruneResult pruned = b.pruneImages(false);
            assertThat(pruned.removed()).anyMatch(r -> r.deleted().equals(first));
            assertThat(b.images()).extracting(ImageSummary::id).containsExactly(second);
        }
    }
}
