package dev.berth.engine.build;

import dev.berth.engine.build.dockerfile.Dockerfile;
import dev.berth.engine.build.dockerfile.DockerfileParser;
import dev.berth.engine.build.dockerfile.Instruction;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The history text of config steps, each case as {@code docker history --no-trunc} showed it with dockerd 20.10. */
class HistoryTextTest {

    private static final List<String> SH = List.of("/bin/sh", "-c");

    private static Instruction only(String line) {
        Dockerfile df = DockerfileParser.parse("FROM b\n" + line + "\n", "Dockerfile");
        return df.stages().getFirst().instructions().getFirst();
    }

    @Test
    void cmdAndEntrypointShowTheArgvAsGoQuotesIt() {
        assertThat(HistoryText.of(only("CMD [\"cat\", \"/data/seed.txt\"]"), SH)).isEqualTo("CMD [\"cat\" \"/data/seed.txt\"]");
        assertThat(HistoryText.of(only("CMD echo $X"), SH)).isEqualTo("CMD [\"/bin/sh\" \"-c\" \"echo $X\"]");
        assertThat(HistoryText.of(only("ENTRYPOINT echo shell entry"), SH))
                .isEqualTo("ENTRYPOINT [\"/bin/sh\" \"-c\" \"echo shell entry\"]");
        assertThat(HistoryText.of(only("CMD [\"say \\\"hi\\\"\", \"a\\\\b\"]"), SH)).isEqualTo("CMD [\"say \\\"hi\\\"\" \"a\\\\b\"]");
    }

    @Test
    void shellAndVolumeShowTheirListAsGoPrintsIt() {
        assertThat(HistoryText.of(only("SHELL [\"/bin/sh\", \"-e\", \"-c\"]"), SH)).isEqualTo("SHELL [/bin/sh -e -c]");
        assertThat(HistoryText.of(only("VOLUME /more"), SH)).isEqualTo("VOLUME [/more]");
    }

    @Test
    void goQuoteEscapesControlsLikeStrconvQuote() {
        assertThat(HistoryText.goQuote("a\tb\nc\u0001")).isEqualTo("\"a\\tb\\nc\\x01\"");
        assertThat(HistoryText.goQuote("é")).isEqualTo("\"é\"");
    }
}
