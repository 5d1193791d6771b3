package dev.berth.engine.content;

import dev.berth.engine.oci.Digest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FilesystemContentStoreTest extends ContentStoreContract {

    @Override
    protected ContentStore open(Path dir) {
        return new FilesystemContentStore(dir);
    }

    @Test
    void blobsLiveUnderBlobsAlgorithmHexAndIngestsUnderTheHashOfTheirRef() throws IOException {
        ContentStore store = open(dir);
        byte[] content = "layout".getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256(content);
        Writer w = store.writer("my ref", content.length, d);
        w.write(content, 0, 3);
        Path ingest = dir.resolve("ingest").resolve(Digest.sha256("my ref".getBytes(StandardCharsets.UTF_8)).encoded());
        assertThat(ingest.resolve("data")).hasSize(3);
        assertThat(ingest.resolve("ref")).hasContent("my ref");
        assertThat(Files.readString(ingest.resolve("expected"))).contains(d.toString());
        w.write(content, 3, content.length - 3);
        w.commit(content.length, d);
        w.close();
        assertThat(store.path(d)).isEqualTo(dir.resolve("blobs/sha256/" + d.encoded()));
        assertThat(ingest).doesNotExist();
    }

    @Test
    void aPutCutShortByACrashLeavesNoBlobAndItsTempFileGoesWhenTheStoreOpens() throws IOException {
        ContentStore store = open(dir);
        byte[] content = "half written".getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256(content);
        // the state a crash between writing the temp file and renaming it leaves
        Path left = dir.resolve("ingest/.put-" + d.encoded() + "-1234");
        Files.write(left, content, java.nio.file.StandardOpenOption.CREATE_NEW);
        assertThat(store.exists(d)).isFalse();
        assertThat(store.ingests()).isEmpty();
        ContentStore reopened = open(dir);
        assertThat(left).doesNotExist();
        assertThat(reopened.put("again", content, d)).isEqualTo(d);
        assertThat(reopened.path(d)).hasBinaryContent(content);
        try (var names = Files.list(dir.resolve("ingest"))) {
            assertThat(names).isEmpty();
        }
    }

    @Test
    void strayFilesInTheBlobDirectoryAreNotListedAsBlobs() throws IOException {
        ContentStore store = open(dir);
        Digest d = put(store, "real");
        Files.writeString(dir.resolve("blobs/sha256/not-a-digest"), "x");
        assertThat(store.list()).extracting(Info::digest).containsExactly(d);
    }
}
