package dev.berth.engine.image;

import dev.berth.engine.content.FilesystemContentStore;
import dev.berth.engine.content.Writer;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.registry.BlobContent;
import dev.berth.engine.registry.BlobProgress;
import dev.berth.engine.registry.BlobVerificationException;
import dev.berth.engine.registry.RegistryClient;
import dev.berth.engine.registry.RegistryConfig;
import dev.berth.engine.registry.RegistryRepository;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.WithRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The two-stage layer download against the real registry: the extractor's side sees exactly the
 * blob, the ingest gets every byte (hashed once, by its writer), a bad blob fails at its end naming
 * its digest, a resumed ingest is replayed first, and closing leaves no download thread writing.
 */
@WithRegistry
class LayerDownloadTest {

    /** Several chunks and a ragged end, so the queue hand-off and the last short chunk are both exercised. */
    private static final int SIZE = 5 * LayerDownload.CHUNK + 12_345;

    LocalRegistry registry;

    @TempDir
    Path tmp;

    RegistryClient client;
    FilesystemContentStore content;
    RegistryRepository repo;
    byte[] blob;
    Digest digest;

    @BeforeEach
    void push() {
        client = new RegistryClient(RegistryConfig.defaults(tmp.resolve("auth.json")).withRetries(2, Duration.ofMillis(5)));
        content = new FilesystemContentStore(tmp.resolve("content"));
        repo = new RegistryRepository(registry.host(), "download/blob");
        blob = new byte[SIZE];
        new Random(42).nextBytes(blob);
        digest = Digest.sha256(blob);
        client.pushBlob(repo, digest, blob.length, BlobContent.of(blob), null, null);
    }

    @AfterEach
    void close() {
        client.close();
    }

    private LayerDownload download(Writer w, RegistryRepository from) {
        return new LayerDownload(w, client, from, digest, blob.length, BlobProgress.NONE);
    }

    /** Reads in odd-sized pieces (and single bytes), as a decompressor would. */
    private static byte[] readAll(LayerDownload d) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[7_777];
        while (true) {
            int one = d.read();
            if (one < 0) {
                break;
            }
            out.write(one);
            int n = d.read(buf, 0, buf.length);
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void handsOnEveryByteInOrderAndTheIngestCommitsTheVerifiedBlob() throws Exception {
        try (Writer w = content.writer("layer-" + digest, blob.length, digest)) {
            byte[] seen;
            try (LayerDownload d = download(w, repo)) {
                seen = readAll(d);
                assertThat(d.finished()).isTrue();
                assertThat(d.verificationFailure()).isNull();
            }
            assertThat(seen).isEqualTo(blob);
            assertThat(w.offset()).isEqualTo(blob.length);
            assertThat(w.commit(blob.length, digest)).isEqualTo(digest);
        }
        try (var in = content.open(digest)) {
            assertThat(in.readAllBytes()).isEqualTo(blob);
        }
    }

    @Test
    void closingBeforeTheEndStillDownloadsAndVerifiesTheWholeBlob() throws Exception {
        try (Writer w = content.writer("layer-" + digest, blob.length, digest)) {
            try (LayerDownload d = download(w, repo)) {
                byte[] head = new byte[100];
                assertThat(d.read(head, 0, head.length)).isPositive();
                // the extractor stops here (end of the tar): closing reads the rest into the ingest
            }
            assertThat(w.offset()).isEqualTo(blob.length);
            assertThat(w.digest()).isEqualTo(digest);
        }
    }

    @Test
    void aCorruptedBlobFailsAtItsEndNamingTheDigestSoTheReaderNeverSeesACleanEnd() throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(registry.url())) {
            proxy.fault(FaultyProxy.Fault.CORRUPT, digest.toString());
            try (Writer w = content.writer("layer-" + digest, blob.length, digest)) {
                LayerDownload d = download(w, new RegistryRepository(proxy.host(), repo.path()));
                assertThatThrownBy(() -> readAll(d)).isInstanceOf(BlobVerificationException.class)
                        .hasMessageStartingWith("blob " + digest + " failed verification: got sha256:");
                d.close();
                assertThat(d.finished()).isFalse();
                assertThat(d.verificationFailure()).isNotNull();
                assertThat(w.offset()).as("every byte reached the ingest, whose commit refuses it too")
                        .isEqualTo(blob.length);
                assertThatThrownBy(() -> w.commit(blob.length, digest)).hasMessageContaining("digest mismatch");
            }
            assertThat(content.exists(digest)).isFalse();
        }
    }

    @Test
    void aResumedIngestIsReplayedFirstAndOnlyTheRestIsRequested() throws Exception {
        int had = 300_000;
        try (Writer w = content.writer("layer-" + digest, blob.length, digest)) {
            w.write(blob, 0, had);
        }
        try (FaultyProxy proxy = new FaultyProxy(registry.url());
             Writer w = content.writer("layer-" + digest, blob.length, digest)) {
            assertThat(w.offset()).isEqualTo(had);
            byte[] seen;
            try (LayerDownload d = download(w, new RegistryRepository(proxy.host(), repo.path()))) {
                assertThat(d.resumedAt()).isEqualTo(had);
                seen = readAll(d);
                assertThat(d.finished()).isTrue();
            }
            assertThat(seen).isEqualTo(blob);
            assertThat(proxy.rangeRequests()).singleElement().asString().contains("range=bytes=" + had + "-");
            assertThat(proxy.blobBytesSent.get()).isEqualTo(blob.length - had);
            assertThat(w.commit(blob.length, digest)).isEqualTo(digest);
        }
    }

    @Test
    void interruptingTheReaderStopsTheDownloadAndKeepsWhatReachedTheIngest() throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(registry.url())) {
            proxy.throttle(256 * 1024);
            try (Writer w = content.writer("layer-" + digest, blob.length, digest)) {
                LayerDownload d = download(w, new RegistryRepository(proxy.host(), repo.path()));
                byte[] buf = new byte[1000];
                assertThat(d.read(buf, 0, buf.length)).isPositive();
                Thread.currentThread().interrupt();
                try {
                    assertThatThrownBy(() -> d.read(buf, 0, buf.length)).isInstanceOf(InterruptedIOException.class)
                            .hasMessageContaining(digest.toString());
                    d.close(); // returns once the download thread has stopped, without reading on
                    assertThat(Thread.currentThread().isInterrupted()).as("the cancel is still visible").isTrue();
                } finally {
                    Thread.interrupted();
                }
                assertThat(d.finished()).isFalse();
                long kept = w.offset();
                assertThat(kept).isBetween((long) LayerDownload.CHUNK, (long) blob.length - 1);
                Thread.sleep(500);
                assertThat(w.offset()).as("nothing writes the ingest after close").isEqualTo(kept);
                // the writer is the caller's again: what was kept is the blob's first bytes
                try (var in = w.openWritten()) {
                    assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOf(blob, (int) kept));
                }
            }
        }
    }
}
