package dev.berth.engine.image;

import dev.berth.engine.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The parent links a build leaves between its step images. */
class ImageParentsTest {

    @TempDir
    Path dir;

    private static ImageRecord image(String seed) {
        Digest id = Digest.sha256(("config " + seed).getBytes(StandardCharsets.UTF_8));
        Digest layer = Digest.sha256(("layer " + seed).getBytes(StandardCharsets.UTF_8));
        return new ImageRecord(id, null, null, List.of(layer), List.of(layer), 1, Instant.EPOCH, null);
    }

    @Test
    void parentLinksSurviveAReopenAndGoWithTheChild() {
        ImageStore store = new ImageStore(dir);
        ImageRecord base = image("base");
        ImageRecord step = image("step");
        ImageRecord last = image("last");
        store.put(base);
        store.put(step);
        store.put(last);
        store.setParent(step.id(), base.id());
        store.setParent(last.id(), step.id());

        ImageStore reopened = new ImageStore(dir);
        assertThat(reopened.parent(last.id())).contains(step.id());
        assertThat(reopened.hasChildren(step.id())).isTrue();
        assertThat(reopened.hasChildren(last.id())).isFalse();

        reopened.delete(last.id());
        assertThat(reopened.hasChildren(step.id())).isFalse();
        assertThat(new ImageStore(dir).parent(step.id())).contains(base.id());
        assertThat(new ImageStore(dir).parent(last.id())).isEmpty();
    }
}
