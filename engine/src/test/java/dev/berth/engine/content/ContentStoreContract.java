package dev.berth.engine.content;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ContentStore} must do. An implementation's test extends this and says how
 * to open a store on a directory; "reopening" the same directory stands for an engine restart
 * after a crash.
 */
public abstract class ContentStoreContract {

    @TempDir
    protected Path dir;

    /** A store on {@code dir}; called again on the same directory to simulate a restart. */
    protected abstract ContentStore open(Path dir);

    protected static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] readAll(ContentStore store, Digest d) throws IOException {
        try (InputStream in = store.open(d)) {
            return in.readAllBytes();
        }
    }

    @Test
    void writtenBlobIsReadBackByDigestAfterCommit() throws IOException {
        ContentStore store = open(dir);
        byte[] content = bytes(200_000, 1);
        Digest d = Digest.sha256(content);
        assertThat(store.exists(d)).isFalse();
        try (Writer w = store.writer("pull-" + d, content.length, d)) {
            w.write(content, 0, 1000);
            w.write(content, 1000, content.length - 1000);
            assertThat(w.offset()).isEqualTo(content.length);
            assertThat(w.digest()).isEqualTo(d);
            assertThat(store.exists(d)).as("not visible before commit").isFalse();
            assertThat(w.commit(content.length, d)).isEqualTo(d);
        }
        assertThat(store.exists(d)).isTrue();
        assertThat(readAll(store, d)).isEqualTo(content);
        assertThat(Files.readAllBytes(store.path(d))).isEqualTo(content);
        Info info = store.info(d);
        assertThat(info.size()).isEqualTo(content.length);
        assertThat(info.digest()).isEqualTo(d);
        assertThat(info.created()).isNotNull();
        assertThat(store.list()).extracting(Info::digest).containsExactly(d);
        assertThat(store.ingests()).isEmpty();
    }

    @Test
    void blobWithTheWrongDigestIsDiscardedAndNamedInTheError() {
        ContentStore store = open(dir);
        byte[] content = "the registry sent this".getBytes(StandardCharsets.UTF_8);
        Digest claimed = Digest.sha256("what the manifest promised".getBytes(StandardCharsets.UTF_8));
        Digest actual = Digest.sha256(content);
        Writer w = store.writer("layer", content.length, claimed);
        w.write(content);
        assertThatThrownBy(() -> w.commit(content.length, claimed))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining(claimed.toString())
                .hasMessageContaining(actual.toString());
        assertThat(store.exists(claimed)).isFalse();
        assertThat(store.exists(actual)).isFalse();
        assertThat(store.list()).isEmpty();
        assertThat(store.ingests()).isEmpty();
        assertThatThrownBy(() -> store.path(claimed)).isInstanceOf(EngineException.NotFound.class);
        // the ref is free again
        store.writer("layer", content.length, claimed).close();
    }

    @Test
    void blobWithTheWrongSizeIsDiscarded() {
        ContentStore store = open(dir);
        byte[] content = bytes(1000, 2);
        Digest d = Digest.sha256(content);
        Writer w = store.writer("short", -1, null);
        w.write(content, 0, 999);
        assertThatThrownBy(() -> w.commit(1000, d))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("expected 1000 bytes, got 999");
        assertThat(store.exists(d)).isFalse();
        assertThat(store.list()).isEmpty();
        assertThat(store.ingests()).isEmpty();
    }

    @Test
    void writingPastTheAnnouncedSizeIsRefusedAndDiscarded() {
        ContentStore store = open(dir);
        Writer w = store.writer("too-long", 10, null);
        w.write(new byte[8]);
        assertThatThrownBy(() -> w.write(new byte[8]))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("larger than the expected 10 bytes");
        assertThat(store.ingests()).isEmpty();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void interruptedIngestResumesAtItsOffset() throws IOException {
        byte[] content = bytes(300_000, 3);
        Digest d = Digest.sha256(content);
        ContentStore store = open(dir);
        Writer first = store.writer("resume-me", content.length, d);
        first.write(content, 0, 123_456);
        first.close(); // e.g. the connection dropped

        try (Writer again = store.writer("resume-me", content.length, d)) {
            assertThat(again.offset()).isEqualTo(123_456);
            again.write(content, 123_456, content.length - 123_456);
            assertThat(again.commit(content.length, d)).isEqualTo(d);
        }
        assertThat(readAll(store, d)).isEqualTo(content);
    }

    @Test
    void ingestResumesAfterACrashOfTheWholeStore() throws IOException {
        byte[] content = bytes(100_000, 4);
        Digest d = Digest.sha256(content);
        ContentStore crashed = open(dir);
        Writer abandoned = crashed.writer("crash", content.length, d);
        abandoned.write(content, 0, 40_000);
        // no close, no commit: the process "died"; a new engine opens the same directory

        ContentStore restarted = open(dir);
        assertThat(restarted.ingests()).singleElement().satisfies(s -> {
            assertThat(s.ref()).isEqualTo("crash");
            assertThat(s.offset()).isEqualTo(40_000);
            assertThat(s.expected()).isEqualTo(d);
            assertThat(s.expectedSize()).isEqualTo(content.length);
        });
        try (Writer w = restarted.writer("crash", content.length, d)) {
            assertThat(w.offset()).isEqualTo(40_000);
            w.write(content, 40_000, content.length - 40_000);
            w.commit(content.length, d);
        }
        assertThat(readAll(restarted, d)).isEqualTo(content);
    }

    @Test
    void resumedBytesAreHashedSoCorruptionIsStillCaught() {
        byte[] content = bytes(10_000, 5);
        Digest d = Digest.sha256(content);
        ContentStore store = open(dir);
        Writer first = store.writer("partial", content.length, d);
        byte[] wrongStart = Arrays.copyOf(content, 5000);
        wrongStart[0] ^= 1;
        first.write(wrongStart);
        first.close();
        Writer again = store.writer("partial", content.length, d);
        again.write(content, 5000, content.length - 5000);
        assertThatThrownBy(() -> again.commit(content.length, d))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("expected " + d);
        assertThat(store.exists(d)).isFalse();
    }

    @Test
    void truncateRestartsAnIngestWhenTheServerIgnoresRange() {
        byte[] content = bytes(5000, 6);
        Digest d = Digest.sha256(content);
        ContentStore store = open(dir);
        try (Writer w = store.writer("no-range", content.length, d)) {
            w.write(content, 0, 3000);
            w.truncate(0);
            assertThat(w.offset()).isZero();
            w.write(content);
            assertThat(w.commit(content.length, d)).isEqualTo(d);
        }
        assertThat(store.info(d).size()).isEqualTo(5000);
    }

    @Test
    void ingestLeftForOtherContentUnderTheSameRefIsStartedOver() {
        byte[] a = bytes(1000, 7);
        byte[] b = bytes(2000, 8);
        ContentStore store = open(dir);
        Writer w = store.writer("same-ref", a.length, Digest.sha256(a));
        w.write(a, 0, 500);
        w.close();
        try (Writer other = store.writer("same-ref", b.length, Digest.sha256(b))) {
            assertThat(other.offset()).isZero();
            other.write(b);
            other.commit(b.length, Digest.sha256(b));
        }
        assertThat(store.exists(Digest.sha256(b))).isTrue();
    }

    @Test
    void secondWriterOnTheSameRefIsRefused() {
        ContentStore store = open(dir);
        try (Writer first = store.writer("busy", -1, null)) {
            assertThatThrownBy(() -> store.writer("busy", -1, null))
                    .isInstanceOf(EngineException.Conflict.class)
                    .hasMessageContaining("ref busy locked");
            assertThatThrownBy(() -> store.abort("busy")).isInstanceOf(EngineException.Conflict.class);
            // other refs are independent
            store.writer("other", -1, null).close();
            first.write(new byte[] {1});
        }
        // released by close
        try (Writer again = store.writer("busy", -1, null)) {
            assertThat(again.offset()).isEqualTo(1);
        }
    }

    @Test
    void racingWritersOnOneRefGetExactlyOneWriter() throws Exception {
        ContentStore store = open(dir);
        int threads = 8;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        java.util.concurrent.atomic.AtomicInteger won = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<Writer> winners = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                pool.submit(() -> {
                    start.await();
                    try {
                        winners.add(store.writer("contended", -1, null));
                        won.incrementAndGet();
                    } catch (EngineException.Conflict e) {
                        refused.incrementAndGet();
                    }
                    return null;
                });
            }
        }
        assertThat(won.get()).isEqualTo(1);
        assertThat(refused.get()).isEqualTo(threads - 1);
        winners.forEach(Writer::close);
    }

    @Test
    void committingContentThatExistsKeepsTheOneBlob() throws IOException {
        ContentStore store = open(dir);
        byte[] content = "twice".getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256(content);
        for (String ref : new String[] {"a", "b"}) {
            try (Writer w = store.writer(ref, content.length, d)) {
                w.write(content);
                assertThat(w.commit(content.length, d)).isEqualTo(d);
            }
        }
        assertThat(store.list()).extracting(Info::digest).containsExactly(d);
        assertThat(store.ingests()).isEmpty();
        assertThat(readAll(store, d)).isEqualTo(content);
    }

    @Test
    void commitWithoutAnExpectationStoresUnderTheComputedDigest() {
        ContentStore store = open(dir);
        byte[] content = bytes(777, 9);
        Digest d;
        try (Writer w = store.writer("layer-from-build", -1, null)) {
            w.write(content);
            d = w.commit(-1, null);
        }
        assertThat(d).isEqualTo(Digest.sha256(content));
        assertThat(store.exists(d)).isTrue();
    }

    @Test
    void sha512BlobsAreVerifiedWithSha512() throws Exception {
        ContentStore store = open(dir);
        byte[] content = bytes(4096, 10);
        Digest d = new Digest("sha512", java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-512").digest(content)));
        try (Writer w = store.writer("sha512", content.length, d)) {
            w.write(content);
            assertThat(w.commit(content.length, d)).isEqualTo(d);
        }
        assertThat(readAll(store, d)).isEqualTo(content);
        // a writer opened without an expectation hashes sha256, and still verifies a sha512 at commit
        Digest wrong = new Digest("sha512", "0".repeat(128));
        Writer w = store.writer("sha512-late", -1, null);
        w.write(content);
        assertThatThrownBy(() -> w.commit(content.length, wrong))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("got " + d);
    }

    @Test
    void gcKeepsWhatTheRootsReachAndRemovesTheRest() {
        ContentStore store = open(dir);
        Digest layer = put(store, "layer");
        Digest config = put(store, "config");
        Digest manifest = put(store, "manifest");
        Digest index = put(store, "index");
        Digest orphanLayer = put(store, "orphan layer");
        Digest orphanManifest = put(store, "orphan manifest");
        Map<Digest, Set<Digest>> graph = Map.of(
                index, Set.of(manifest),
                manifest, Set.of(config, layer),
                orphanManifest, Set.of(orphanLayer));
        long orphanBytes = store.info(orphanLayer).size() + store.info(orphanManifest).size();

        GcResult result = store.gc(Set.of(index), d -> graph.getOrDefault(d, Set.of()));

        assertThat(result.removedBlobs()).containsExactlyInAnyOrder(orphanLayer, orphanManifest);
        assertThat(result.bytesFreed()).isEqualTo(orphanBytes);
        assertThat(store.list()).extracting(Info::digest).containsExactlyInAnyOrder(index, manifest, config, layer);
        assertThat(store.exists(orphanLayer)).isFalse();
    }

    @Test
    void gcRemovesAbandonedIngestsButNotFreshOrActiveOnes() throws IOException {
        ContentStore store = open(dir);
        Writer old = store.writer("abandoned", -1, null);
        old.write(new byte[100]);
        old.close();
        Writer fresh = store.writer("fresh", -1, null);
        fresh.write(new byte[10]);
        fresh.close();
        Writer active = store.writer("active", -1, null);
        active.write(new byte[10]);
        ageIngest("abandoned", Duration.ofHours(2));
        ageIngest("active", Duration.ofHours(2));

        GcResult result = store.gc(Set.of(), d -> Set.of(), Duration.ofHours(1));

        assertThat(result.removedIngests()).containsExactly("abandoned");
        assertThat(result.bytesFreed()).isEqualTo(100);
        assertThat(store.ingests()).extracting(IngestStatus::ref).containsExactlyInAnyOrder("fresh", "active");
        active.close();
    }

    @Test
    void gcDeletesNothingWhenARootCannotBeRead() {
        ContentStore store = open(dir);
        Digest root = put(store, "root");
        Digest other = put(store, "other");
        assertThatThrownBy(() -> store.gc(Set.of(root), d -> {
            throw new EngineException.InvalidArgument("broken manifest " + d);
        })).isInstanceOf(EngineException.InvalidArgument.class);
        assertThat(store.exists(other)).isTrue();
    }

    @Test
    void deleteAndAbortRemoveWhatTheyName() {
        ContentStore store = open(dir);
        Digest d = put(store, "gone soon");
        store.delete(d);
        assertThat(store.exists(d)).isFalse();
        assertThatThrownBy(() -> store.delete(d)).isInstanceOf(EngineException.NotFound.class)
                .hasMessageContaining(d.toString());
        assertThatThrownBy(() -> store.info(d)).isInstanceOf(EngineException.NotFound.class);
        assertThatThrownBy(() -> store.open(d)).isInstanceOf(EngineException.NotFound.class);

        store.writer("half", -1, null).close();
        assertThat(store.ingests()).extracting(IngestStatus::ref).containsExactly("half");
        store.abort("half");
        assertThat(store.ingests()).isEmpty();
        assertThatThrownBy(() -> store.abort("half")).isInstanceOf(EngineException.NotFound.class);
    }

    @Test
    void committedBlobsAreReadOnlyFiles() throws IOException {
        ContentStore store = open(dir);
        Digest d = put(store, "read only");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.path(d)))).isEqualTo("r--r--r--");
    }

    @Test
    void putStoresASmallBlobInOneCallAndLeavesNoIngest() throws IOException {
        ContentStore store = open(dir);
        byte[] config = "{\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256(config);
        assertThat(store.put("build-config", config, d)).isEqualTo(d);
        assertThat(readAll(store, d)).isEqualTo(config);
        assertThat(store.info(d).size()).isEqualTo(config.length);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.path(d)))).isEqualTo("r--r--r--");
        assertThat(store.ingests()).isEmpty();
        // again, and without an expectation: the one blob, unchanged
        assertThat(store.put("build-config", config, null)).isEqualTo(d);
        assertThat(store.list()).extracting(Info::digest).containsExactly(d);
        assertThat(readAll(open(dir), d)).isEqualTo(config);
    }

    @Test
    void putRefusesBytesThatDoNotHaveTheExpectedDigestAndStoresNothing() {
        ContentStore store = open(dir);
        byte[] content = "manifest".getBytes(StandardCharsets.UTF_8);
        Digest wrong = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.put("build-manifest", content, wrong))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining(wrong.toString())
                .hasMessageContaining(Digest.sha256(content).toString());
        assertThat(store.exists(Digest.sha256(content))).isFalse();
        assertThat(store.exists(wrong)).isFalse();
        assertThat(store.list()).isEmpty();
        assertThat(store.ingests()).isEmpty();
    }

    @Test
    void hostileDigestsAndRefsCannotNameAPathOutsideTheStore() throws IOException {
        for (String hostile : new String[] {"sha256:../../../etc/passwd", "sha256/../../x:" + "a".repeat(64),
                "../sha256:" + "a".repeat(64), "sha256:" + "A".repeat(64), "sha256:" + "a".repeat(63) + "/"}) {
            assertThatThrownBy(() -> Digest.parse(hostile)).as(hostile)
                    .isInstanceOf(EngineException.InvalidArgument.class);
        }
        ContentStore store = open(dir);
        Digest sha512 = new Digest("sha512", "b".repeat(128));
        assertThat(store.exists(sha512)).isFalse();
        byte[] content = "ref games".getBytes(StandardCharsets.UTF_8);
        Path outside = dir.resolveSibling(dir.getFileName() + "-evil");
        String hostileRef = "../../../" + dir.getFileName() + "-evil/data";
        try (Writer w = store.writer(hostileRef, content.length, null)) {
            w.write(content, 0, 4);
            assertThat(store.ingests()).extracting(IngestStatus::ref).containsExactly(hostileRef);
            w.write(content, 4, content.length - 4);
            w.commit(content.length, Digest.sha256(content));
        }
        assertThat(outside).doesNotExist();
        try (var walk = Files.walk(dir)) {
            assertThat(walk.filter(Files::isRegularFile)).allSatisfy(p -> assertThat(p.normalize()).startsWith(dir));
        }
        assertThat(store.path(Digest.sha256(content)).normalize()).startsWith(dir);
    }

    /** Makes the ingest's bytes look untouched for {@code age} (implementations override if not file-based). */
    protected void ageIngest(String ref, Duration age) throws IOException {
        Path data = dir.resolve("ingest").resolve(Digest.sha256(ref.getBytes(StandardCharsets.UTF_8)).encoded())
                .resolve("data");
        Files.setLastModifiedTime(data, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(age)));
    }

    protected static Digest put(ContentStore store, String text) {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256(content);
        try (Writer w = store.writer("put-" + d, content.length, d)) {
            w.write(content);
            return w.commit(content.length, d);
        }
    }
}
