package dev.berth.engine.image;

import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.snapshot.ChainIds;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.Layer;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.Mounts;
import dev.berth.testkit.RootOnly;
import dev.berth.testkit.WithRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An engine process killed with SIGKILL in the middle of a large pull: the next engine on the same
 * root finishes the pull from the partial download (a Range request), and every blob verifies.
 */
@RootOnly
@WithRegistry
class KillMidPullTest {

    LocalRegistry registry;

    @TempDir
    Path tmp;

    @Test
    void aPullKilledMidDownloadResumesFromThePartialIngestAndEveryBlobVerifies() throws Exception {
        byte[] data = new byte[100 << 20];
        new Random(42).nextBytes(data);
        BusyboxImage image = BusyboxImage.builder().compression(BusyboxImage.Compression.NONE)
                .layer(Layer.builder().createdBy("ADD big.bin /").file("/big.bin", data).build())
                .build(tmp.resolve("layout"));
        image.pushTo(registry, "kill/big:latest");
        Digest big = image.layers().get(1).digest();
        Digest dataDigest = Digest.sha256(data);
        data = null;

        Path root = tmp.resolve("root");
        try (FaultyProxy proxy = new FaultyProxy(registry.url())) {
            proxy.throttle(8L << 20);
            String reference = proxy.host() + "/kill/big:latest";
            String java = ProcessHandle.current().info().command().orElse("java");
            Path log = tmp.resolve("pull.log");
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), PullMain.class.getName(), root.toString(), reference)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (proxy.blobBytesSent.get() < (24L << 20)) {
                    assertThat(p.isAlive()).as(() -> "puller still running: " + read(log)).isTrue();
                    assertThat(System.nanoTime()).as("download under way").isLessThan(deadline);
                    Thread.sleep(20);
                }
            } finally {
                p.destroyForcibly(); // SIGKILL
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(read(log)).doesNotContain("PULLED");

            proxy.throttle(0);
            try (Engine engine = Engine.start(new EngineConfig(root, tmp.resolve("berth.sock")))) {
                long partial = engine.content().ingests().stream().filter(i -> big.equals(i.expected()))
                        .mapToLong(dev.berth.engine.content.IngestStatus::offset).max().orElse(0);
                assertThat(partial).as("the killed pull left its partial download").isGreaterThan(1 << 20);
                assertThat(engine.content().exists(big)).isFalse();

                ImageRecord r = engine.imageService().pull(Reference.parse(reference),
                        ImageService.PullOptions.defaults(), null);

                assertThat(r.layers()).contains(big);
                assertThat(proxy.rangeRequests()).as(proxy.log.toString())
                        .anyMatch(l -> l.contains(big.toString()) && !l.contains("bytes=0-"));
                assertThat(ImageTestSupport.corruptBlobs(engine.content())).isEmpty();
                assertThat(engine.content().ingests()).isEmpty();
                assertThat(ImageTestSupport.allSnapshots(engine.snapshots()))
                        .containsExactlyInAnyOrderElementsOf(ChainIds.of(r.diffIds()).stream().map(Digest::toString).toList());
                assertThat(ImageTestSupport.tree(engine.snapshots(), ChainIds.top(r.diffIds()), tmp.resolve("mnt")))
                        .containsEntry("/big.bin", "f:" + dataDigest);
            } finally {
                Mounts.unmountAllUnder(tmp);
            }
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
