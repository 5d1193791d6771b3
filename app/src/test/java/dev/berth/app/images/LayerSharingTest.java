package dev.berth.app.images;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LayerSharingTest {

    private static final String L1 = "sha256:" + "1".repeat(64);
    private static final String L2 = "sha256:" + "2".repeat(64);
    private static final String L3 = "sha256:" + "3".repeat(64);

    @Test
    void chainIdFollowsTheOciImageSpec() throws Exception {
        List<String> chain = LayerSharing.chainIds(List.of(L1, L2));
        assertThat(chain.getFirst()).isEqualTo(L1);
        String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest((L1 + " " + L2).getBytes(StandardCharsets.UTF_8)));
        assertThat(chain.get(1)).isEqualTo(expected);
    }

    @Test
    void aLayerIsSharedOnlyUnderTheSameParents() {
        // the same diff L2 on a different base is a different snapshot: not shared
        int[] shared = LayerSharing.sharedCounts(List.of(L1, L2, L3),
                List.of(List.of(L1, L2), List.of(L1), List.of(L3, L2)));
        assertThat(shared).containsExactly(2, 1, 0);
    }

    @Test
    void historyStepsMarkedEmptyGetNoLayer() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<LayerSharing.Step> newestFirst = List.of(
                new LayerSharing.Step("<missing>", t, "CMD [\"sh\"]", 0, "", List.of(), true),
                new LayerSharing.Step("<missing>", t, "COPY app /", 500, "", List.of(), false),
                new LayerSharing.Step("<missing>", t, "ADD rootfs /", 4000, "", List.of(), false));
        List<ImageLayer> layers = LayerSharing.attach(newestFirst, List.of(L1, L2), List.of(List.of(L1)));
        assertThat(layers).extracting(ImageLayer::createdBy).containsExactly("CMD [\"sh\"]", "COPY app /", "ADD rootfs /");
        assertThat(layers).extracting(ImageLayer::diffId).containsExactly(null, L2, L1);
        assertThat(layers).extracting(ImageLayer::sharedWith).containsExactly(0, 0, 1);
    }

    @Test
    void withoutMarksStepsThatAddedBytesGetTheLayers() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<LayerSharing.Step> newestFirst = List.of(
                new LayerSharing.Step("sha256:x", t, "/bin/sh -c #(nop) CMD [\"sh\"]", 0, "", List.of(), null),
                new LayerSharing.Step("<missing>", t, "ADD rootfs /", 4000, "", List.of(), null));
        List<ImageLayer> layers = LayerSharing.attach(newestFirst, List.of(L1), List.of());
        assertThat(layers).extracting(ImageLayer::hasLayer).containsExactly(false, true);
    }
}
