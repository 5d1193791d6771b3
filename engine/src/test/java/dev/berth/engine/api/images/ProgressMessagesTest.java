package dev.berth.engine.api.images;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.image.ImageService.Phase;
import dev.berth.engine.image.ImageService.Progress;
import dev.berth.engine.state.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressMessagesTest {

    static final String LAYER = "sha256:3f4d90098f5b5a6f6a76e9d217da85aa39b2081e30fa1f7d287138d6e7bf0ad7";

    static String json(JsonMessage m) {
        return new String(Json.toBytes(m), StandardCharsets.UTF_8);
    }

    @Test
    void humanSizesUseDecimalUnitsAndFourSignificantDigits() {
        assertThat(ProgressBar.humanSize(0)).isEqualTo("0B");
        assertThat(ProgressBar.humanSize(999)).isEqualTo("999B");
        assertThat(ProgressBar.humanSize(1000)).isEqualTo("1kB");
        assertThat(ProgressBar.humanSize(1_234_567)).isEqualTo("1.235MB");
        assertThat(ProgressBar.humanSize(3_400_000)).isEqualTo("3.4MB");
        assertThat(ProgressBar.humanSize(2_000_000_000L)).isEqualTo("2GB");
    }

    @Test
    void theBarHasFiftyStepsAndTheCounts() {
        String half = ProgressBar.render(1_700_000, 3_400_000);
        assertThat(half).isEqualTo("[" + "=".repeat(25) + ">" + " ".repeat(25) + "]    1.7MB/3.4MB");
        assertThat(ProgressBar.render(3_400_000, 3_400_000)).startsWith("[" + "=".repeat(50) + ">]");
        assertThat(ProgressBar.render(0, 0)).isEmpty();
        assertThat(ProgressBar.render(5_000, 0)).isEqualTo("     5kB");
        assertThat(ProgressBar.render(5_000, 1_000)).endsWith("     5kB").doesNotContain("/");
    }

    @Test
    void shortIdsAreTheFirstTwelveHexDigitsOfADigest() {
        assertThat(ProgressMessages.shortId(LAYER)).isEqualTo("3f4d90098f5b");
        assertThat(ProgressMessages.shortId("3f4d90098f5b5a6f6a76e9d2")).isEqualTo("3f4d90098f5b");
        assertThat(ProgressMessages.shortId("latest")).isEqualTo("latest");
    }

    @Test
    void aPulledLayerGoesThroughDockersWordsWithCountsWhileDownloading() {
        ProgressMessages m = new ProgressMessages(ProgressMessages.Operation.PULL);
        List<String> lines = new java.util.ArrayList<>();
        for (Progress p : List.of(
                new Progress(LAYER, Phase.WAITING, 0, 0, null),
                new Progress(LAYER, Phase.DOWNLOADING, 1_200_000, 3_400_000, null),
                new Progress(LAYER, Phase.VERIFYING, 0, 0, null),
                new Progress(LAYER, Phase.DONE, 0, 0, null),
                new Progress(LAYER, Phase.EXTRACTING, 3_400_000, 3_400_000, null),
                new Progress(LAYER, Phase.PULL_COMPLETE, 0, 0, null))) {
            m.translate(p).forEach(j -> lines.add(json(j)));
        }
        assertThat(lines).containsExactly(
                "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"3f4d90098f5b\"}",
                "{\"status\":\"Waiting\",\"progressDetail\":{},\"id\":\"3f4d90098f5b\"}",
                "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":1200000,\"total\":3400000},"
                        + "\"progress\":\"[=================>                                 ]    1.2MB/3.4MB\","
                        + "\"id\":\"3f4d90098f5b\"}",
                "{\"status\":\"Verifying Checksum\",\"progressDetail\":{},\"id\":\"3f4d90098f5b\"}",
                "{\"status\":\"Download complete\",\"progressDetail\":{},\"id\":\"3f4d90098f5b\"}",
                "{\"status\":\"Extracting\",\"progressDetail\":{\"current\":3400000,\"total\":3400000},"
                        + "\"progress\":\"[==================================================>]    3.4MB/3.4MB\","
                        + "\"id\":\"3f4d90098f5b\"}",
                "{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"3f4d90098f5b\"}");
    }

    @Test
    void aLayerAlreadyStoredIsOneLine() {
        ProgressMessages m = new ProgressMessages(ProgressMessages.Operation.PULL);
        assertThat(m.translate(new Progress(LAYER, Phase.ALREADY_EXISTS, 0, 0, null)))
                .containsExactly(JsonMessage.layer("3f4d90098f5b", "Already exists"));
    }

    @Test
    void pushUsesItsOwnWords() {
        ProgressMessages m = new ProgressMessages(ProgressMessages.Operation.PUSH);
        assertThat(m.translate(new Progress(LAYER, Phase.PREPARING, 0, 0, null)))
                .containsExactly(JsonMessage.layer("3f4d90098f5b", "Preparing"));
        assertThat(m.translate(new Progress(LAYER, Phase.ALREADY_EXISTS, 0, 0, null)))
                .containsExactly(JsonMessage.layer("3f4d90098f5b", "Layer already exists"));
        assertThat(m.translate(new Progress(LAYER, Phase.MOUNTED, 0, 0, "library/busybox")))
                .containsExactly(JsonMessage.layer("3f4d90098f5b", "Mounted from library/busybox"));
        assertThat(m.translate(new Progress(LAYER, Phase.PUSHING, 10, 20, null)).getFirst().status()).isEqualTo("Pushing");
        assertThat(m.translate(new Progress(LAYER, Phase.PUSHED, 0, 0, null)))
                .containsExactly(JsonMessage.layer("3f4d90098f5b", "Pushed"));
        assertThat(m.translate(new Progress(LAYER, Phase.DONE, 0, 0, null))).as("a repeated step is one line").isEmpty();
    }

    @Test
    void statusReportsPassThroughAndWholeImageStepsWithoutWordsAreDropped() {
        ProgressMessages m = new ProgressMessages(ProgressMessages.Operation.PULL);
        assertThat(m.translate(new Progress(null, Phase.STATUS, 0, 0, "Digest: sha256:abc")))
                .containsExactly(JsonMessage.status("Digest: sha256:abc"));
        assertThat(m.translate(new Progress("latest", Phase.STATUS, 0, 0, "Pulling from library/busybox")))
                .containsExactly(JsonMessage.status("Pulling from library/busybox", "latest"));
        assertThat(m.translate(new Progress("latest", Phase.STATUS, 0, 0, "latest: digest: sha256:abc size: 527")))
                .as("a line that names its id already is not prefixed with it again")
                .containsExactly(JsonMessage.status("latest: digest: sha256:abc size: 527"));
        assertThat(m.translate(new Progress(null, Phase.RESOLVING, 0, 0, "resolving"))).isEmpty();
        assertThat(m.translate(new Progress(null, Phase.DONE, 0, 0, null))).isEmpty();
        assertThat(m.translate(new Progress(LAYER, Phase.FAILED, 0, 0, "boom")))
                .as("a failed layer announces itself, the error comes once at the end")
                .containsExactly(JsonMessage.layer("3f4d90098f5b", "Pulling fs layer"));
    }

    @Test
    void errorsAndAuxHaveDockersShape() throws Exception {
        JsonNode err = Json.mapper().readTree(Json.toBytes(JsonMessage.error("manifest unknown")));
        assertThat(err.path("errorDetail").path("message").asText()).isEqualTo("manifest unknown");
        assertThat(err.path("error").asText()).isEqualTo("manifest unknown");
        assertThat(json(JsonMessage.aux(new ImageResponses.PushAux("latest", "sha256:abc", 527))))
                .isEqualTo("{\"progressDetail\":{},\"aux\":{\"Tag\":\"latest\",\"Digest\":\"sha256:abc\",\"Size\":527}}");
        assertThat(json(JsonMessage.stream("Loaded image: busybox:latest\n")))
                .isEqualTo("{\"stream\":\"Loaded image: busybox:latest\\n\"}");
    }
}
