package dev.berth.app.images;

import dev.berth.app.images.ImageProgress.Phase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Folding progress messages into per-layer rows and one overall fraction. */
class PullProgressModelTest {

    private static final String A = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String B = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    @Test
    void layersWeighByTheirDownloadSizeAndReachOneWhenDone() {
        PullProgressModel m = new PullProgressModel();
        m.accept(new ImageProgress("", Phase.RESOLVING, 0, 0, "Pulling from library/busybox"));
        m.accept(new ImageProgress(A, Phase.WAITING, 0, 0, ""));
        m.accept(new ImageProgress(B, Phase.WAITING, 0, 0, ""));
        assertThat(m.overall()).isZero();
        assertThat(m.layers()).extracting(PullProgressModel.Layer::id).containsExactly("aaaaaaaaaaaa", "bbbbbbbbbbbb");
        assertThat(m.lastStatus()).isEqualTo("Pulling from library/busybox");

        m.accept(new ImageProgress(A, Phase.DOWNLOADING, 300, 300, ""));
        m.accept(new ImageProgress(B, Phase.DOWNLOADING, 0, 100, ""));
        // A is downloaded (80 % of its share), B not started: 0.8 * 300 / 400
        assertThat(m.overall()).isCloseTo(0.6, within(1e-9));

        m.accept(new ImageProgress(A, Phase.EXTRACTING, 150, 300, ""));
        assertThat(m.layers().getFirst().fraction()).isCloseTo(0.9, within(1e-9));
        m.accept(new ImageProgress(A, Phase.PULL_COMPLETE, 0, 0, ""));
        m.accept(new ImageProgress(B, Phase.DOWNLOADING, 50, 100, ""));
        assertThat(m.overall()).isCloseTo((300 + 0.4 * 100) / 400.0, within(1e-9));
        assertThat(m.allFinished()).isFalse();

        m.accept(new ImageProgress(B, Phase.ALREADY_EXISTS, 0, 0, ""));
        assertThat(m.allFinished()).isTrue();
        assertThat(m.overall()).isEqualTo(1.0);
        // the size stays known after the phase that reported it
        assertThat(m.layers().getFirst().size()).isEqualTo(300);
    }

    @Test
    void layersOfUnknownSizeCountEqually() {
        PullProgressModel m = new PullProgressModel();
        m.accept(new ImageProgress(A, Phase.VERIFYING, 0, 0, ""));
        m.accept(new ImageProgress(B, Phase.WAITING, 0, 0, ""));
        assertThat(m.overall()).isCloseTo(0.4, within(1e-9));
        m.accept(new ImageProgress(B, Phase.FAILED, 0, 0, "digest mismatch"));
        assertThat(m.layers().get(1).phase()).isEqualTo(Phase.FAILED);
    }
}
