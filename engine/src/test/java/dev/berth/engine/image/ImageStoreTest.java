package dev.berth.engine.image;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageStoreTest {

    @TempDir
    Path dir;

    private static ImageRecord image(String seed, Instant created) {
        Digest id = Digest.sha256(("config " + seed).getBytes(StandardCharsets.UTF_8));
        Digest manifest = Digest.sha256(("manifest " + seed).getBytes(StandardCharsets.UTF_8));
        Digest layer = Digest.sha256(("layer " + seed).getBytes(StandardCharsets.UTF_8));
        return new ImageRecord(id, manifest, "application/vnd.oci.image.manifest.v1+json", List.of(layer), List.of(layer), 1234, created, null);
    }

    @Test
    void imagesAndTagsSurviveAReopen() {
        ImageRecord a = image("a", Instant.parse("2026-01-01T00:00:00Z"));
        ImageStore store = new ImageStore(dir);
        store.put(a);
        store.tag(Reference.parse("busybox"), a.id());
        store.tag(Reference.parse("127.0.0.1:5000/tools/box:1.0"), a.id());

        ImageStore reopened = new ImageStore(dir);
        assertThat(reopened.get(a.id())).contains(a);
        assertThat(reopened.resolve("busybox").id()).isEqualTo(a.id());
        assertThat(reopened.resolve("busybox:latest").id()).isEqualTo(a.id());
        assertThat(reopened.resolve("docker.io/library/busybox:latest").id()).isEqualTo(a.id());
        assertThat(reopened.tags(a.id())).extracting(Reference::familiar)
                .containsExactlyInAnyOrder("busybox:latest", "127.0.0.1:5000/tools/box:1.0");
    }

    @Test
    void taggingMovesATagAndReportsTheImageThatLostIt() {
        ImageRecord a = image("a", null);
        ImageRecord b = image("b", null);
        ImageStore store = new ImageStore(dir);
        store.put(a);
        store.put(b);
        assertThat(store.tag(Reference.parse("app:1"), a.id())).isEmpty();
        assertThat(store.tag(Reference.parse("app:1"), b.id())).contains(a.id());
        assertThat(store.tags(a.id())).isEmpty();
        assertThat(store.resolve("app:1").id()).isEqualTo(b.id());
    }

    @Test
    void resolvesFullAndShortIdsAndDigestReferences() {
        ImageRecord a = image("a", null);
        ImageStore store = new ImageStore(dir);
        store.put(a);
        store.tag(Reference.parse("busybox"), a.id());
        assertThat(store.resolve(a.id().toString()).id()).isEqualTo(a.id());
        assertThat(store.resolve(a.id().encoded()).id()).isEqualTo(a.id());
        assertThat(store.resolve(a.id().shortId()).id()).isEqualTo(a.id());
        assertThat(store.resolve("busybox@" + a.manifestDigest()).id()).isEqualTo(a.id());
        store.tag(Reference.parse("busybox").withDigest(a.manifestDigest()), a.id());
        assertThat(store.repoDigests(a.id())).extracting(Reference::toString)
                .containsExactly("docker.io/library/busybox@" + a.manifestDigest());
    }

    @Test
    void unknownNamesAreNotFoundInDockersWords() {
        ImageStore store = new ImageStore(dir);
        assertThatThrownBy(() -> store.resolve("nothere"))
                .isInstanceOf(EngineException.NotFound.class).hasMessage("No such image: nothere:latest");
        assertThatThrownBy(() -> store.resolve("Bad Name"))
                .isInstanceOf(EngineException.NotFound.class).hasMessage("No such image: Bad Name");
        assertThatThrownBy(() -> store.untag(Reference.parse("x:1")))
                .isInstanceOf(EngineException.NotFound.class);
    }

    @Test
    void deleteRemovesTheRecordAndEveryReference() {
        ImageRecord a = image("a", null);
        ImageStore store = new ImageStore(dir);
        store.put(a);
        store.tag(Reference.parse("one"), a.id());
        store.tag(Reference.parse("two:x"), a.id());
        store.delete(a.id());
        assertThat(store.list()).isEmpty();
        assertThat(store.allTags()).isEmpty();
        assertThat(new ImageStore(dir).list()).isEmpty();
    }

    @Test
    void aTagWhoseImageRecordIsMissingIsDroppedOnLoad() throws Exception {
        ImageRecord a = image("a", null);
        ImageStore store = new ImageStore(dir);
        store.put(a);
        store.tag(Reference.parse("one"), a.id());
        // as if the engine died after deleting the record file but before rewriting the index
        java.nio.file.Files.delete(dir.resolve("images").resolve(a.id().encoded() + ".json"));
        ImageStore reopened = new ImageStore(dir);
        assertThat(reopened.allTags()).isEmpty();
        assertThatThrownBy(() -> reopened.resolve("one")).isInstanceOf(EngineException.NotFound.class);
    }

    @Test
    void listIsNewestFirst() {
        ImageStore store = new ImageStore(dir);
        store.put(image("old", Instant.parse("2020-01-01T00:00:00Z")));
        store.put(image("new", Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(store.list()).extracting(ImageRecord::created)
                .containsExactly(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2020-01-01T00:00:00Z"));
    }
}
