package dev.berth.app.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The Docker API's image JSON (as dockerd writes it) read into the Images pane's records. */
class ImagesClientJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void imagesListRowsKeepTagsAndTreatNoneAsDangling() throws Exception {
        ImageSummary tagged = ImagesClient.parseSummary(json("""
                {"Id":"sha256:27a71e19c95622dce4f4e2b59b41b9ea56cc5ae0a8a6a8e8d1bd4e1dbd26d1b0","ParentId":"",
                 "RepoTags":["busybox:latest"],"RepoDigests":["busybox@sha256:5b0f33c8"],
                 "Created":1727306400,"Size":4261550,"SharedSize":-1,"Labels":null,"Containers":2}"""));
        assertThat(tagged.repoTags()).containsExactly("busybox:latest");
        assertThat(tagged.created()).isEqualTo(Instant.ofEpochSecond(1727306400));
        assertThat(tagged.size()).isEqualTo(4261550);
        assertThat(tagged.containers()).isEqualTo(2);
        assertThat(tagged.shortId()).isEqualTo("27a71e19c956");
        ImageSummary dangling = ImagesClient.parseSummary(json("""
                {"Id":"sha256:aa","RepoTags":["<none>:<none>"],"RepoDigests":["<none>@<none>"],"Created":0,"Size":1}"""));
        assertThat(dangling.dangling()).isTrue();
        assertThat(dangling.repoDigests()).isEmpty();
        assertThat(dangling.created()).isNull();
        assertThat(dangling.containers()).isEqualTo(-1);
    }

    @Test
    void progressLinesBecomePhasesPerLayer() throws Exception {
        ImageProgress d = ImagesClient.parseProgress(json("""
                {"status":"Downloading","progressDetail":{"current":1048576,"total":2154738},"progress":"[==>  ]","id":"a46fbb00284b"}"""));
        assertThat(d).isEqualTo(new ImageProgress("a46fbb00284b", ImageProgress.Phase.DOWNLOADING, 1048576, 2154738, "Downloading"));
        assertThat(ImagesClient.parseProgress(json("{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"a46fbb00284b\"}")).phase())
                .isEqualTo(ImageProgress.Phase.PULL_COMPLETE);
        assertThat(ImagesClient.parseProgress(json("{\"status\":\"Mounted from library/busybox\",\"id\":\"a46fbb00284b\"}")).phase())
                .isEqualTo(ImageProgress.Phase.MOUNTED);
        ImageProgress whole = ImagesClient.parseProgress(json("{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}"));
        assertThat(whole.aboutImage()).isTrue();
        assertThat(whole.message()).isEqualTo("Pulling from library/busybox");
    }

    @Test
    void errorLinesAreClassifiedForPlainWords() {
        assertThat(ImagesClient.streamError("manifest for 127.0.0.1:5000/busybox:nope not found: manifest unknown"))
                .isInstanceOf(EngineException.NotFound.class);
        assertThat(ImagesClient.streamError("Head \"https://r/v2/x/manifests/1\": unauthorized: authentication required"))
                .isInstanceOf(EngineException.Unauthorized.class);
        assertThat(ImagesClient.streamError("filesystem layer verification failed for digest sha256:ab"))
                .isInstanceOf(EngineException.FailedPrecondition.class);
        assertThat(ImagesClient.streamError("Get \"http://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused"))
                .isInstanceOf(EngineException.Unavailable.class);
    }
}
