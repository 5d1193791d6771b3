package dev.berth.app.images;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed pull in plain words, for the shapes of message the engine and dockerd give. */
class PullErrorsTest {

    private static final String D = "sha256:" + "ab".repeat(32);

    @Test
    void eachKindOfFailureGetsItsOwnSentenceAndKeepsTheEnginesWords() {
        var notFound = PullErrors.describe(new EngineException.NotFound("manifest for 127.0.0.1:5000/busybox:nope not found: manifest unknown"));
        assertThat(notFound.key()).isEqualTo("pull.error.notFound");
        assertThat(notFound.args()).containsExactly("manifest for 127.0.0.1:5000/busybox:nope not found: manifest unknown");
        assertThat(PullErrors.describe(new EngineException.Unauthorized("authentication required")).key()).isEqualTo("pull.error.auth");
        assertThat(PullErrors.describe(new EngineException.Unavailable("blob " + D + " failed verification: expected 120 bytes, got 64")).key())
                .isEqualTo("pull.error.digest");
        assertThat(PullErrors.describe(new EngineException.InvalidArgument("layer " + D + " has DiffID sha256:00 but the config says sha256:11")).key())
                .isEqualTo("pull.error.digest");
        assertThat(PullErrors.describe(new EngineException.Unavailable("cannot reach registry 127.0.0.1:1: Connection refused")).key())
                .isEqualTo("pull.error.unreachable");
        assertThat(PullErrors.describe(new EngineException.Conflict("in use")).key()).isEqualTo("error.conflict");
    }
}
