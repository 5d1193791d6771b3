package dev.berth.engine.snapshot;

import dev.berth.engine.layer.LayerApplier;
import dev.berth.engine.oci.Digest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OverlaySnapshotterTest extends SnapshotterContractTest {

    @Override
    protected Snapshotter open(Path root) {
        return OverlaySnapshotter.open(root);
    }

    @Test
    void directoryLeftByACrashBeforeItsMetadataIsRemovedOnOpen() throws IOException {
        OverlaySnapshotter.open(root()).prepare("kept", null);
        Path orphan = Files.createDirectories(root().resolve("snapshots/77/fs"));
        Files.writeString(orphan.resolve("junk"), "junk");

        Snapshotter s = OverlaySnapshotter.open(root());

        assertThat(Files.exists(root().resolve("snapshots/77"))).isFalse();
        assertThat(s.stat("kept").kind()).isEqualTo(Snapshotter.Kind.ACTIVE);
        // the id of the removed directory is free again, and a new snapshot does not clash with it
        s.prepare("next", null);
        assertThat(s.mounts("next").upperDir()).isPresent();
    }

    @Test
    void snapshotDirectoriesAreShortAndNumbered() {
        Snapshotter s = OverlaySnapshotter.open(root());
        Mounts m = s.prepare("a-very-long-container-name-" + "x".repeat(100), null);

        assertThat(m.upperDir().orElseThrow()).isEqualTo(root().toAbsolutePath().resolve("snapshots/1/fs"));
    }

    @Test
    void stackTooDeepForOneMountOptionPageStillMounts() throws IOException {
        Snapshotter s = OverlaySnapshotter.open(root());
        Unpacker u = new Unpacker(s, LayerApplier.overlay());
        List<Unpacker.Layer> layers = new ArrayList<>();
        int n = 160;
        for (int i = 0; i < n; i++) {
            layers.add(LayerTars.layer("l" + i, new LayerTars().file("layer-" + i, Integer.toString(i)).tar()));
        }
        Digest top = u.unpack(layers);
        Mounts m = s.prepare("deep", top.toString());
        assertThat(String.join(",", m.options()).length()).isGreaterThan(Mounter.OPTIONS_LIMIT);
        Path target = mountPoint(tmp, "deep");

        Mounter.mount(m, target);
        try {
            assertThat(Files.readString(target.resolve("layer-0"))).isEqualTo("0");
            assertThat(Files.readString(target.resolve("layer-" + (n - 1)))).isEqualTo(Integer.toString(n - 1));
            try (var files = Files.list(target)) {
                assertThat(files.count()).isEqualTo(n);
            }
        } finally {
            Mounter.unmount(target);
        }
        assertThat(mountedAt(target)).isFalse();
    }

    @Test
    void chainIdsFollowTheOciDefinition() {
        Digest a = Digest.sha256(new byte[] {1});
        Digest b = Digest.sha256(new byte[] {2});
        Digest c = Digest.sha256(new byte[] {3});

        List<Digest> chain = ChainIds.of(List.of(a, b, c));

        assertThat(chain.get(0)).isEqualTo(a);
        assertThat(chain.get(1)).isEqualTo(Digest.sha256((a + " " + b).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(chain.get(2)).isEqualTo(Digest.sha256((chain.get(1) + " " + c).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(ChainIds.top(List.of(a, b, c))).isEqualTo(chain.get(2));
    }
}
