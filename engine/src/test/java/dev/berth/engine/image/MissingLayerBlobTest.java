package dev.berth.engine.image;

import dev.berth.engine.Engine;
import dev.berth.engine.errors.EngineException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.layer.Changeset;
import dev.berth.engine.oci.Descriptor;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.ImageManifest;
import dev.berth.engine.oci.MediaTypes;
import dev.berth.engine.registry.BlobContent;
import dev.berth.engine.registry.RegistryRepository;
import dev.berth.engine.snapshot.Mounts;
import dev.berth.engine.state.Json;
import dev.berth.engine.snapshot.ChainIds;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.Http;
import dev.berth.testkit.Layer;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.RootOnly;
import dev.berth.testkit.TempEngine;
import dev.berth.testkit.WithRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Images whose manifest names a layer blob the content store does not hold while the layer itself
 * is unpacked: the state a pull used to leave after a {@code docker load} had brought the shared
 * base layer back uncompressed, or that a collected blob leaves. Push and save must still work,
 * against the real registry.
 */
@RootOnly
@WithRegistry
class MissingLayerBlobTest {

    LocalRegistry registry;

    @TempDir
    Path tmp;

    TempEngine t;
    Engine engine;
    ImageService images;

    @BeforeEach
    void start() {
        t = TempEngine.start();
        engine = t.engine();
        images = engine.imageService();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private Reference ref(String repoAndTag) {
        return Reference.parse(registry.reference(repoAndTag));
    }

    private ImageRecord pull(String repoAndTag) throws InterruptedException {
        return images.pull(ref(repoAndTag), ImageService.PullOptions.defaults(), null);
    }

    /** busybox and busybox plus one layer, pushed: two images sharing their (gzip) base layer blob. */
    private BusyboxImage[] baseAndChild(String base, String child) {
        BusyboxImage b = BusyboxImage.builder().label("role", "base").build(tmp.resolve("base"));
        b.pushTo(registry, base);
        BusyboxImage c = BusyboxImage.builder().label("role", "child")
                .layer(Layer.builder().createdBy("COPY app /app").file("/app/run.sh", "echo child\n").build())
                .build(tmp.resolve("child"));
        c.pushTo(registry, child);
        assertThat(c.layers().getFirst().digest()).isEqualTo(b.layers().getFirst().digest());
        return new BusyboxImage[] {b, c};
    }

    /** Progress of the last pull of {@link #childPulledAfterBaseWasLoadedBack}. */
    ImageTestSupport.Recorder childPull;

    /** Pull base, save it, rmi it, load it back (its layer now stored uncompressed), then pull child. */
    private BusyboxImage[] childPulledAfterBaseWasLoadedBack() throws Exception {
        BusyboxImage[] bc = baseAndChild("fix/base:1", "fix/child:1");
        pull("fix/base:1");
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        images.save(List.of(registry.reference("fix/base:1")), saved);
        images.remove(registry.reference("fix/base:1"), false, false);
        assertThat(engine.content().list()).isEmpty();
        images.load(new ByteArrayInputStream(saved.toByteArray()), null);
        Digest baseBlob = bc[0].layers().getFirst().digest();
        assertThat(engine.content().exists(baseBlob)).as("the archive's layer is the uncompressed tar").isFalse();
        assertThat(engine.content().exists(bc[0].layers().getFirst().diffId())).isTrue();

        childPull = new ImageTestSupport.Recorder();
        images.pull(ref("fix/child:1"), ImageService.PullOptions.defaults(), childPull);
        return bc;
    }

    @Test
    void aPullLeavesEveryBlobItsManifestNamesEvenWhenTheLayerWasAlreadyUnpacked() throws Exception {
        BusyboxImage[] bc = childPulledAfterBaseWasLoadedBack();
        for (BusyboxImage.LayerBlob l : bc[1].layers()) {
            assertThat(engine.content().exists(l.digest())).as("blob " + l.digest()).isTrue();
        }
        assertThat(ImageTestSupport.corruptBlobs(engine.content())).isEmpty();
        // the unpacked base layer is not extracted again: only its blob is downloaded
        assertThat(childPull.phasesOf(bc[1].layers().getFirst().digest().shortId()))
                .contains(ImageService.Phase.DOWNLOADING, ImageService.Phase.PULL_COMPLETE)
                .doesNotContain(ImageService.Phase.EXTRACTING, ImageService.Phase.ALREADY_EXISTS);
        assertThat(ImageTestSupport.committed(engine.snapshots())).hasSize(2);
    }

    @Test
    void pushOfAnImagePulledOnTopOfALoadedBaseSendsEveryLayer() throws Exception {
        BusyboxImage[] bc = childPulledAfterBaseWasLoadedBack();
        images.tag(registry.reference("fix/child:1"), ref("fix/copy:1"));

        ImageService.PushResult pushed = images.push(ref("fix/copy:1"), Optional.empty(), null);
        assertThat(pushed.digest()).isEqualTo(bc[1].manifest().digest());

        try (TempEngine other = TempEngine.start()) {
            ImageRecord back = other.engine().imageService().pull(ref("fix/copy:1"), ImageService.PullOptions.defaults(),
                    null);
            assertThat(back.id()).isEqualTo(bc[1].config().digest());
        }
    }

    @Test
    void saveOfAnImagePulledOnTopOfALoadedBaseWorksAfterTheLoadedBaseIsGone() throws Exception {
        BusyboxImage[] bc = childPulledAfterBaseWasLoadedBack();
        images.remove(bc[0].config().digest().toString(), false, false);
        assertThat(engine.content().exists(bc[0].layers().getFirst().diffId())).as("the loaded tar is collected")
                .isFalse();

        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        images.save(List.of(registry.reference("fix/child:1")), saved);

        try (TempEngine other = TempEngine.start()) {
            List<String> lines = other.engine().imageService().load(new ByteArrayInputStream(saved.toByteArray()), null);
            assertThat(lines).containsExactly("Loaded image: " + registry.reference("fix/child:1"));
            ImageRecord loaded = other.engine().images().resolve(registry.reference("fix/child:1"));
            assertThat(loaded.id()).isEqualTo(bc[1].config().digest());
            assertThat(other.engine().unpacker().isCommitted(ChainIds.top(loaded.diffIds()))).isTrue();
        }
    }

    @Test
    void pushOfAnImageWhoseLayerBlobWasCollectedNamesTheImageAndLayerWhenItsFilesDoNotGiveTheDiffIdAgain()
            throws Exception {
        BusyboxImage[] bc = baseAndChild("fix/base:1", "fix/child:1");
        ImageRecord child = pull("fix/child:1");
        BusyboxImage.LayerBlob base = bc[1].layers().getFirst();
        engine.content().delete(base.digest()); // collected while the chain stayed
        images.tag(registry.reference("fix/child:1"), ref("fix/copy:1"));

        assertThatThrownBy(() -> images.push(ref("fix/copy:1"), Optional.empty(), null))
                .isInstanceOf(EngineException.FailedPrecondition.class)
                .hasMessageContaining(base.diffId().toString())
                .hasMessageContaining(base.digest().toString())
                .hasMessageContaining(registry.host() + "/fix/copy:1")
                .hasMessageContaining("no longer give the same tar")
                .hasMessageContaining("pull or load the image again");
        assertThat(engine.images().get(child.id())).contains(child);
        assertThat(engine.content().ingests()).isEmpty();
        assertThat(ImageTestSupport.allSnapshots(engine.snapshots())).hasSize(2);
    }

    /** An image as commit and build make them: busybox plus a layer diffed from an upper dir, whose blob is gone. */
    private record Made(Digest id, ImageRecord base, Digest baseDiffId, Digest diffId, Digest chain, Digest gone,
                        Digest oldManifest) {}

    private Made imageWithAGoneLayerBerthWrote() throws Exception {
        BusyboxImage busybox = BusyboxImage.build(tmp.resolve("busybox"));
        busybox.pushTo(registry, "fix/busybox:1");
        ImageRecord base = pull("fix/busybox:1");
        Digest baseDiffId = base.diffIds().getFirst();
        // a layer made as commit and build make theirs: files in an upper dir, diffed into a tar
        Mounts work = engine.snapshots().prepare("work", baseDiffId.toString());
        Path upper = work.upperDir().orElseThrow();
        Files.createDirectories(upper.resolve("srv"));
        Files.writeString(upper.resolve("srv/made"), "made here\n");
        ByteArrayOutputStream layerTar = new ByteArrayOutputStream();
        Changeset.diff(work.lowerDirs(), upper, layerTar);
        Digest diffId = Digest.sha256(layerTar.toByteArray());
        Digest chain = ChainIds.next(baseDiffId, diffId);
        engine.snapshots().commit(chain.toString(), "work");

        ObjectNode config = (ObjectNode) Json.mapper().readTree(busybox.configBytes());
        ((ArrayNode) config.get("rootfs").get("diff_ids")).add(diffId.toString());
        ((ArrayNode) config.get("history")).addObject().put("created_by", "berth commit");
        byte[] configBytes = Json.mapper().writeValueAsBytes(config);
        Digest id = engine.content().put("test-config", configBytes, null);
        Digest gone = Digest.sha256("a blob that was collected".getBytes(StandardCharsets.UTF_8));
        Descriptor baseLayer = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, base.layers().getFirst(),
                engine.content().info(base.layers().getFirst()).size());
        byte[] manifestBytes = Json.toBytes(ImageManifest.of(MediaTypes.OCI_MANIFEST,
                Descriptor.of(MediaTypes.OCI_CONFIG, id, configBytes.length),
                List.of(baseLayer, Descriptor.of(MediaTypes.OCI_LAYER_GZIP, gone, 1234))));
        Digest oldManifest = engine.content().put("test-manifest", manifestBytes, null);
        engine.images().put(new ImageRecord(id, oldManifest, MediaTypes.OCI_MANIFEST,
                List.of(base.layers().getFirst(), gone), List.of(baseDiffId, diffId), 0, null, null));
        return new Made(id, base, baseDiffId, diffId, chain, gone, oldManifest);
    }

    @Test
    void concurrentSavesOfALayerRegeneratedFromItsSnapshotEachGetTheTarAndLeaveNothingBehind() throws Exception {
        Made made = imageWithAGoneLayerBerthWrote();
        int rounds = 4;
        java.util.concurrent.Callable<List<byte[]>> saves = () -> {
            List<byte[]> archives = new java.util.ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                images.save(List.of(made.id().toString()), out);
                archives.add(out.toByteArray());
            }
            return archives;
        };
        List<byte[]> all = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            var a = pool.submit(saves);
            var b = pool.submit(saves);
            all.addAll(a.get());
            all.addAll(b.get());
        }

        assertThat(all).hasSize(2 * rounds);
        for (byte[] archive : all) {
            assertThat(archive).isEqualTo(all.getFirst()); // every save wrote the same archive, regenerated layer included
        }
        assertThat(tarEntryNames(all.getFirst())).contains("blobs/sha256/" + made.diffId().encoded());
        assertThat(engine.content().exists(made.diffId())).as("the regenerated tar is never stored").isFalse();
        assertThat(engine.content().ingests()).isEmpty();
        assertThat(ImageTestSupport.allSnapshots(engine.snapshots())).as("no transient snapshot left").hasSize(2);
    }

    private static List<String> tarEntryNames(byte[] archive) throws java.io.IOException {
        List<String> names = new java.util.ArrayList<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(archive))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }

    @Test
    void pushRegeneratesALayerBerthWroteWhoseBlobIsGoneAndRewritesTheManifestToNameTheNewBlob() throws Exception {
        Made made = imageWithAGoneLayerBerthWrote();
        Digest id = made.id();
        ImageRecord base = made.base();
        Digest baseDiffId = made.baseDiffId();
        Digest diffId = made.diffId();
        Digest chain = made.chain();
        Digest gone = made.gone();
        Digest oldManifest = made.oldManifest();
        images.tag(id.toString(), ref("fix/made:1"));

        ImageTestSupport.Recorder progress = new ImageTestSupport.Recorder();
        ImageService.PushResult pushed = images.push(ref("fix/made:1"), Optional.empty(), progress);

        ImageRecord after = engine.images().get(id).orElseThrow();
        Digest regenerated = after.layers().get(1);
        assertThat(regenerated).isNotEqualTo(gone);
        assertThat(after.layers().getFirst()).isEqualTo(base.layers().getFirst());
        assertThat(after.diffIds()).containsExactly(baseDiffId, diffId);
        assertThat(after.manifestDigest()).isEqualTo(pushed.digest()).isNotEqualTo(oldManifest);
        for (Digest d : after.layers()) {
            assertThat(engine.content().exists(d)).as("blob " + d).isTrue();
        }
        var answer = Http.get(registry.url() + "/v2/fix/made/manifests/1", "Accept", MediaTypes.OCI_MANIFEST);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Digest.sha256(answer.body())).isEqualTo(pushed.digest());
        ImageManifest sent = Json.mapper().readValue(answer.body(), ImageManifest.class);
        assertThat(sent.layers()).extracting(Descriptor::digest).containsExactly(base.layers().getFirst(), regenerated);
        assertThat(sent.layers().get(1).mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
        assertThat(progress.phasesOf(regenerated.shortId())).contains(ImageService.Phase.PUSHED);
        assertThat(engine.content().exists(diffId)).as("the regenerated tar is not kept").isFalse();
        assertThat(engine.content().ingests()).isEmpty();
        assertThat(ImageTestSupport.corruptBlobs(engine.content())).isEmpty();

        try (TempEngine other = TempEngine.start()) {
            ImageRecord back = other.engine().imageService().pull(ref("fix/made:1"), ImageService.PullOptions.defaults(),
                    null);
            assertThat(back.id()).isEqualTo(id);
            assertThat(ImageTestSupport.tree(other.engine().snapshots(), chain, tmp.resolve("mnt")))
                    .containsEntry("/srv/made", "f:made here\n").containsKey("/bin/busybox");
        }
    }

    @Test
    void loadOfAnArchiveWhoseLayersArePulledWithOtherCompressionKeepsThePulledImageAndLeavesNoExtraBlobs()
            throws Exception {
        BusyboxImage[] bc = baseAndChild("fix/base:1", "fix/child:1");
        ImageRecord child = pull("fix/child:1");
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        images.save(List.of(registry.reference("fix/child:1")), saved);
        var blobsBefore = engine.content().list();
        var snapshotsBefore = ImageTestSupport.allSnapshots(engine.snapshots());

        List<String> lines = images.load(new ByteArrayInputStream(saved.toByteArray()), null);

        assertThat(lines).containsExactly("Loaded image: " + registry.reference("fix/child:1"));
        assertThat(engine.images().get(child.id())).as("the pulled record, its gzip blobs and manifest").contains(child);
        assertThat(engine.images().repoDigests(child.id())).extracting(Reference::digest)
                .containsExactly(bc[1].manifest().digest());
        assertThat(engine.content().list()).as("the archive's uncompressed layers are not kept unreferenced")
                .containsExactlyInAnyOrderElementsOf(blobsBefore);
        assertThat(ImageTestSupport.allSnapshots(engine.snapshots())).containsExactlyInAnyOrderElementsOf(snapshotsBefore);
        images.tag(registry.reference("fix/child:1"), ref("fix/copy:1"));
        assertThat(images.push(ref("fix/copy:1"), Optional.empty(), null).digest()).isEqualTo(bc[1].manifest().digest());
    }

    @Test
    void loadGivesAnImageWhoseLayerBlobWasCollectedTheArchiveLayersAndItPushesAgain() throws Exception {
        BusyboxImage[] bc = baseAndChild("fix/base:1", "fix/child:1");
        ImageRecord child = pull("fix/child:1");
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        images.save(List.of(registry.reference("fix/child:1")), saved);
        engine.content().delete(bc[1].layers().getFirst().digest()); // collected while the chain stayed

        images.load(new ByteArrayInputStream(saved.toByteArray()), null);

        ImageRecord after = engine.images().get(child.id()).orElseThrow();
        assertThat(after.diffIds()).isEqualTo(child.diffIds());
        for (Digest d : after.layers()) {
            assertThat(engine.content().exists(d)).as("blob " + d).isTrue();
        }
        assertThat(engine.content().exists(after.manifestDigest())).isTrue();
        images.tag(registry.reference("fix/child:1"), ref("fix/copy:1"));
        ImageService.PushResult pushed = images.push(ref("fix/copy:1"), Optional.empty(), null);
        try (TempEngine other = TempEngine.start()) {
            ImageRecord back = other.engine().imageService().pull(ref("fix/copy").withDigest(pushed.digest()),
                    ImageService.PullOptions.defaults(), null);
            assertThat(back.id()).isEqualTo(child.id());
        }
    }

    @Test
    void aBlobFetchedForAnUnpackedLayerThatDoesNotDecompressToItsDiffIdIsRefusedAndNotStored() throws Exception {
        BusyboxImage busybox = BusyboxImage.build(tmp.resolve("busybox"));
        busybox.pushTo(registry, "fix/busybox:1");
        ImageRecord base = pull("fix/busybox:1");
        BusyboxImage other = BusyboxImage.builder()
                .layer(Layer.builder().createdBy("COPY x /x").file("/x", "not the base layer\n").build())
                .build(tmp.resolve("other"));
        BusyboxImage.LayerBlob foreign = other.layers().getLast();
        // a manifest naming that blob for the unpacked base layer: its config claims the base layer's DiffID
        RegistryRepository repo = RegistryRepository.of(registry.host(), "fix/liar");
        engine.registry().pushBlob(repo, foreign.digest(), foreign.size(), BlobContent.of(other.blob(foreign.digest())),
                null, null);
        byte[] config = Json.toBytes(Map.of("architecture", "amd64", "os", "linux",
                "rootfs", Map.of("type", "layers", "diff_ids", List.of(base.diffIds().getFirst().toString()))));
        Digest configDigest = Digest.sha256(config);
        engine.registry().pushBlob(repo, configDigest, config.length, BlobContent.of(config), null, null);
        engine.registry().putManifest(repo, "1", MediaTypes.OCI_MANIFEST, Json.toBytes(ImageManifest.of(
                MediaTypes.OCI_MANIFEST, Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, config.length),
                List.of(Descriptor.of(foreign.mediaType(), foreign.digest(), foreign.size())))));

        assertThatThrownBy(() -> pull("fix/liar:1"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining(foreign.digest().toString())
                .hasMessageContaining(foreign.diffId().toString())
                .hasMessageContaining(base.diffIds().getFirst().toString());
        assertThat(engine.content().exists(foreign.digest())).isFalse();
        assertThat(engine.content().ingests()).isEmpty();
        assertThat(engine.images().get(configDigest)).isEmpty();
        assertThat(ImageTestSupport.committed(engine.snapshots())).containsExactly(base.diffIds().getFirst().toString());
    }
}
