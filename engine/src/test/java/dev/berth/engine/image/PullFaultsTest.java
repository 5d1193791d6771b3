package dev.berth.engine.image;

import dev.berth.engine.Engine;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Descriptor;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.ImageManifest;
import dev.berth.engine.oci.MediaTypes;
import dev.berth.engine.registry.BlobContent;
import dev.berth.engine.registry.RegistryRepository;
import dev.berth.engine.state.Json;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.Layer;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.RootOnly;
import dev.berth.testkit.TempEngine;
import dev.berth.testkit.WithRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pulls that go wrong on the way: corrupt and cut-short blobs, a lying config, a cancel. */
@RootOnly
@WithRegistry
class PullFaultsTest {

    LocalRegistry registry;

    @TempDir
    Path tmp;

    TempEngine t;
    Engine engine;
    FaultyProxy proxy;

    @BeforeEach
    void start() throws Exception {
        t = TempEngine.start();
        engine = t.engine();
        proxy = new FaultyProxy(registry.url());
    }

    @AfterEach
    void stop() {
        proxy.close();
        t.close();
    }

    private Reference viaProxy(String repoAndTag) {
        return Reference.parse(proxy.host() + "/" + repoAndTag);
    }

    private void assertNothingStoredFor(Digest blob) {
        assertThat(engine.content().exists(blob)).as("no blob under " + blob).isFalse();
        assertThat(ImageTestSupport.committed(engine.snapshots())).as("no snapshot committed").isEmpty();
        assertThat(ImageTestSupport.allSnapshots(engine.snapshots())).as("no scratch snapshot left").isEmpty();
        assertThat(engine.images().list()).isEmpty();
    }

    @Test
    void aCorruptedBlobFailsNamingItsDigestStoresNothingAndTheNextPullSucceeds() throws Exception {
        BusyboxImage image = BusyboxImage.build(tmp.resolve("img"));
        image.pushTo(registry, "faults/corrupt:latest");
        Digest layer = image.layers().getFirst().digest();
        proxy.fault(FaultyProxy.Fault.CORRUPT, layer.toString());
        ImageTestSupport.Recorder progress = new ImageTestSupport.Recorder();

        assertThatThrownBy(() -> engine.imageService().pull(viaProxy("faults/corrupt"), ImageService.PullOptions.defaults(),
                progress)).isInstanceOf(EngineException.class).hasMessageContaining(layer.toString());
        assertNothingStoredFor(layer);
        assertThat(engine.content().ingests()).as("corrupt bytes are not kept for a resume").isEmpty();
        assertThat(progress.phasesOf(layer.shortId())).contains(ImageService.Phase.FAILED);

        proxy.fault(FaultyProxy.Fault.NONE, "");
        ImageRecord r = engine.imageService().pull(viaProxy("faults/corrupt"), ImageService.PullOptions.defaults(), null);
        assertThat(r.id()).isEqualTo(image.config().digest());
        assertThat(engine.content().exists(layer)).isTrue();
        assertThat(ImageTestSupport.corruptBlobs(engine.content())).isEmpty();
    }

    @Test
    void aTruncatedBlobFailsStoresNothingAndTheNextPullResumesAndSucceeds() throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(7).nextBytes(data);
        BusyboxImage image = BusyboxImage.builder().compression(BusyboxImage.Compression.NONE)
                .layer(Layer.builder().file("/data.bin", data).build()).build(tmp.resolve("img"));
        image.pushTo(registry, "faults/truncated:latest");
        Digest big = image.layers().get(1).digest();
        proxy.fault(FaultyProxy.Fault.TRUNCATE, big.toString());

        assertThatThrownBy(() -> engine.imageService().pull(viaProxy("faults/truncated"),
                ImageService.PullOptions.defaults(), null)).isInstanceOf(EngineException.class)
                .hasMessageContaining(big.toString());
        assertNothingStoredFor(big);

        proxy.fault(FaultyProxy.Fault.NONE, "");
        ImageRecord r = engine.imageService().pull(viaProxy("faults/truncated"), ImageService.PullOptions.defaults(), null);
        assertThat(r.layers()).containsExactly(image.layers().get(0).digest(), big);
        assertThat(ImageTestSupport.corruptBlobs(engine.content())).isEmpty();
        assertThat(engine.content().ingests()).isEmpty();
        assertThat(ImageTestSupport.tree(engine.snapshots(), dev.berth.engine.snapshot.ChainIds.top(r.diffIds()),
                tmp.resolve("mnt"))).containsEntry("/data.bin", "f:" + Digest.sha256(data));
    }

    @Test
    void aConfigWhoseDiffIdDoesNotMatchTheLayerFailsNamingTheLayer() throws Exception {
        BusyboxImage image = BusyboxImage.build(tmp.resolve("img"));
        BusyboxImage.LayerBlob layer = image.layers().getFirst();
        RegistryRepository repo = RegistryRepository.of(registry.host(), "faults/diffid");
        var client = engine.registry();
        client.pushBlob(repo, layer.digest(), layer.size(), BlobContent.of(image.blob(layer.digest())), null, null);
        Digest wrong = Digest.sha256("not this layer".getBytes(StandardCharsets.UTF_8));
        byte[] config = Json.toBytes(Map.of("architecture", "amd64", "os", "linux",
                "rootfs", Map.of("type", "layers", "diff_ids", List.of(wrong.toString()))));
        Digest configDigest = Digest.sha256(config);
        client.pushBlob(repo, configDigest, config.length, BlobContent.of(config), null, null);
        byte[] manifest = Json.toBytes(ImageManifest.of(MediaTypes.OCI_MANIFEST,
                Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, config.length),
                List.of(Descriptor.of(layer.mediaType(), layer.digest(), layer.size()))));
        client.putManifest(repo, "latest", MediaTypes.OCI_MANIFEST, manifest);

        assertThatThrownBy(() -> engine.imageService().pull(Reference.parse(registry.reference("faults/diffid")),
                ImageService.PullOptions.defaults(), null))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining(layer.digest().toString()).hasMessageContaining("DiffID")
                .hasMessageContaining(wrong.toString());
        assertNothingStoredFor(layer.digest());
    }

    @Test
    void interruptingThePullingThreadCancelsKeepsThePartialDownloadAndCommitsNoLayer() throws Exception {
        byte[] data = new byte[6 << 20];
        new Random(11).nextBytes(data);
        BusyboxImage image = BusyboxImage.builder().compression(BusyboxImage.Compression.NONE)
                .layer(Layer.builder().file("/data.bin", data).build()).build(tmp.resolve("img"));
        image.pushTo(registry, "faults/cancel:latest");
        Digest big = image.layers().get(1).digest();
        proxy.throttle(1 << 20);

        AtomicReference<Thread> puller = new AtomicReference<>();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread th = Thread.ofPlatform().start(() -> {
            try {
                engine.imageService().pull(viaProxy("faults/cancel"), ImageService.PullOptions.defaults(), null);
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        puller.set(th);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (engine.content().ingests().stream().noneMatch(i -> big.equals(i.expected()) && i.offset() > (1 << 20))) {
            assertThat(System.nanoTime()).as("download started").isLessThan(deadline);
            Thread.sleep(20);
        }
        th.interrupt();
        Throwable e = outcome.get(20, TimeUnit.SECONDS);
        assertThat(e).isInstanceOf(InterruptedException.class);
        assertThat(engine.content().exists(big)).isFalse();
        assertThat(ImageTestSupport.committed(engine.snapshots())).as("no layer of the image committed").isEmpty();
        assertThat(ImageTestSupport.allSnapshots(engine.snapshots())).isEmpty();
        long partial = engine.content().ingests().stream().filter(i -> big.equals(i.expected()))
                .mapToLong(dev.berth.engine.content.IngestStatus::offset).findFirst().orElse(0);
        assertThat(partial).as("partial download kept").isGreaterThan(1 << 20);

        proxy.throttle(0);
        ImageRecord r = engine.imageService().pull(viaProxy("faults/cancel"), ImageService.PullOptions.defaults(), null);
        assertThat(r.layers()).contains(big);
        assertThat(proxy.rangeRequests()).anyMatch(l -> l.contains(big.toString()));
        assertThat(ImageTestSupport.corruptBlobs(engine.content())).isEmpty();
    }
}
