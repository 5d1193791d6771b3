package dev.berth.engine.image;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reference filter's patterns behave like Go's path.Match, as Docker's do. */
class ImageGlobTest {

    @Test
    void starAndQuestionMarkStopAtSlashes() {
        assertThat(ImageGlob.compile("busy*").matches("busybox")).isTrue();
        assertThat(ImageGlob.compile("busy*").matches("busybox:latest")).isTrue();
        assertThat(ImageGlob.compile("*box").matches("library/busybox")).isFalse();
        assertThat(ImageGlob.compile("*/*box").matches("library/busybox")).isTrue();
        assertThat(ImageGlob.compile("busybox:?.?").matches("busybox:1.2")).isTrue();
        assertThat(ImageGlob.compile("busybox:?").matches("busybox:12")).isFalse();
    }

    @Test
    void classesNegationAndEscapes() {
        assertThat(ImageGlob.compile("app[0-9]").matches("app7")).isTrue();
        assertThat(ImageGlob.compile("app[!0-9]").matches("app7")).isFalse();
        assertThat(ImageGlob.compile("app[^0-9]").matches("appx")).isTrue();
        assertThat(ImageGlob.compile("a\\*b").matches("a*b")).isTrue();
        assertThat(ImageGlob.compile("a\\*b").matches("axb")).isFalse();
        assertThat(ImageGlob.compile("a.b").matches("axb")).as("dots are literal").isFalse();
    }

    @Test
    void malformedPatternsAreRefusedNamingThePattern() {
        assertThatThrownBy(() -> ImageGlob.compile("app[0-9")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("app[0-9");
        assertThatThrownBy(() -> ImageGlob.compile("trailing\\")).isInstanceOf(EngineException.InvalidArgument.class);
    }
}
