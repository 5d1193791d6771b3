package dev.berth.engine.image;

import dev.berth.engine.Engine;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.oci.Descriptor;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.ImageManifest;
import dev.berth.engine.oci.MediaTypes;
import dev.berth.engine.registry.BlobContent;
import dev.berth.engine.registry.RegistryRepository;
import dev.berth.engine.snapshot.ChainIds;
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

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.berth.engine.image.ImageService.Phase.ALREADY_EXISTS;
import static dev.berth.engine.image.ImageService.Phase.MOUNTED;
import static dev.berth.engine.image.ImageService.Phase.PUSHED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Push, tag, rmi with garbage collection, inspect, history, images filters, prune, df, search. */
@RootOnly
@WithRegistry
class ImageOperationsTest {

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

    /** busybox, and busybox plus one layer: two images sharing their base layer. */
    private BusyboxImage[] baseAndChild(String base, String child) {
        BusyboxImage b = BusyboxImage.builder().label("role", "base").build(tmp.resolve(base.replace(':', '_')));
        b.pushTo(registry, base);
        BusyboxImage c = BusyboxImage.builder().label("role", "child")
                .layer(Layer.builder().createdBy("COPY app /app").file("/app/run.sh", "echo child\n").build())
                .build(tmp.resolve(child.replace(':', '_')));
        c.pushTo(registry, child);
        return new BusyboxImage[] {b, c};
    }

    @Test
    void pushToASecondRepositoryMountsTheBlobsAndPullsBackByDigest() throws Exception {
        BusyboxImage image = BusyboxImage.builder().layer(Layer.builder().file("/x", "x").build()).build(tmp.resolve("p"));
        image.pushTo(registry, "ops/source:1");
        ImageRecord r = pull("ops/source:1");
        images.tag(registry.reference("ops/source:1"), ref("ops/copy:2"));

        ImageTestSupport.Recorder progress = new ImageTestSupport.Recorder();
        try (EventBus.Subscription events = engine.events().subscribe(e -> e.action().equals("push"))) {
            ImageService.PushResult pushed = images.push(ref("ops/copy:2"), Optional.empty(), progress);
            assertThat(pushed.digest()).isEqualTo(image.manifest().digest());
            Event e = events.poll(5, TimeUnit.SECONDS);
            assertThat(e).isNotNull();
            assertThat(e.actorId()).isEqualTo(registry.host() + "/ops/copy:2");
        }
        for (BusyboxImage.LayerBlob l : image.layers()) {
            assertThat(progress.phasesOf(l.digest().shortId())).as("cross-repository mount of " + l.digest())
                    .contains(MOUNTED).doesNotContain(PUSHED);
        }
        ImageTestSupport.Recorder again = new ImageTestSupport.Recorder();
        images.push(ref("ops/copy:2"), Optional.empty(), again);
        assertThat(again.phasesOf(image.layers().getFirst().digest().shortId())).contains(ALREADY_EXISTS);

        images.remove(registry.reference("ops/source:1"), false, false);
        images.remove(registry.reference("ops/copy:2"), false, false);
        assertThat(engine.images().list()).isEmpty();
        ImageRecord back = images.pull(ref("ops/copy").withDigest(image.manifest().digest()),
                ImageService.PullOptions.defaults(), null);
        assertThat(back.id()).isEqualTo(r.id());
        assertThat(engine.images().tags(back.id())).isEmpty();
    }

    @Test
    void pushUploadsToAnotherRegistryOnlyWhenTaggedForIt() throws Exception {
        BusyboxImage image = BusyboxImage.build(tmp.resolve("p"));
        image.pushTo(registry, "ops/here:latest");
        pull("ops/here");
        try (LocalRegistry other = LocalRegistry.start()) {
            Reference there = Reference.parse(other.reference("ops/there:latest"));
            assertThatThrownBy(() -> images.push(there, Optional.empty(), null))
                    .isInstanceOf(EngineException.NotFound.class)
                    .hasMessageContaining("An image does not exist locally with the tag: " + other.host() + "/ops/there");
            images.tag(registry.reference("ops/here"), there);
            ImageTestSupport.Recorder progress = new ImageTestSupport.Recorder();
            images.push(there, Optional.empty(), progress);
            assertThat(progress.phasesOf(image.layers().getFirst().digest().shortId())).contains(PUSHED);
        }
    }

    @Test
    void rmiUntagsWhileOtherTagsRemainThenDeletesAndCollectsBlobsAndSnapshots() throws Exception {
        BusyboxImage image = BusyboxImage.build(tmp.resolve("r"));
        image.pushTo(registry, "ops/rmi:latest");
        ImageRecord r = pull("ops/rmi");
        images.tag(registry.reference("ops/rmi"), ref("ops/other:v1"));

        try (EventBus.Subscription events = engine.events().subscribe(e -> e.type().equals("image"))) {
            List<ImageService.RemovedImage> first = images.remove(registry.reference("ops/rmi"), false, false);
            assertThat(first).containsExactly(new ImageService.RemovedImage(registry.host() + "/ops/rmi:latest", null),
                    new ImageService.RemovedImage(registry.host() + "/ops/rmi@" + image.manifest().digest(), null));
            assertThat(engine.images().get(r.id())).isPresent();
            assertThat(engine.content().exists(image.layers().getFirst().digest())).isTrue();

            List<ImageService.RemovedImage> second = images.remove(registry.host() + "/ops/other:v1", false, false);
            assertThat(second).contains(new ImageService.RemovedImage(registry.host() + "/ops/other:v1", null),
                    new ImageService.RemovedImage(null, r.id().toString()));
            List<String> actions = new ArrayList<>();
            Event e;
            while ((e = events.poll(200, TimeUnit.MILLISECONDS)) != null) {
                actions.add(e.action());
            }
            assertThat(actions).containsSubsequence("untag", "untag", "untag", "delete");
        }
        assertThat(engine.images().list()).isEmpty();
        assertThat(engine.content().list()).as("no orphan blobs").isEmpty();
        assertThat(ImageTestSupport.allSnapshots(engine.snapshots())).as("no orphan snapshots").isEmpty();
        assertThatThrownBy(() -> images.remove(registry.reference("ops/rmi"), false, false))
                .isInstanceOf(EngineException.NotFound.class);
    }

    @Test
    void rmiByIdOfAnImageInSeveralRepositoriesNeedsForce() throws Exception {
        BusyboxImage.build(tmp.resolve("f")).pushTo(registry, "ops/force:latest");
        ImageRecord r = pull("ops/force");
        images.tag(r.id().toString(), ref("ops/elsewhere:latest"));
        assertThatThrownBy(() -> images.remove(r.id().shortId(), false, false))
                .isInstanceOf(EngineException.Conflict.class).hasMessageContaining("must be forced");
        List<ImageService.RemovedImage> removed = images.remove(r.id().shortId(), true, false);
        assertThat(removed).contains(new ImageService.RemovedImage(null, r.id().toString()));
        assertThat(engine.images().list()).isEmpty();
        assertThat(engine.content().list()).isEmpty();
    }

    @Test
    void anImageInUseByAContainerIsNotRemovedUnlessForcedAndThenKeepsItsLayers() throws Exception {
        BusyboxImage.build(tmp.resolve("u")).pushTo(registry, "ops/inuse:latest");
        ImageService withContainer = new LocalImageService(engine.images(), engine.content(), engine.snapshots(),
                engine.unpacker(), engine.registry(), engine.events(), id -> 1,
                LocalImageService.Settings.defaults(List.of()), tmp.resolve("sources.json"));
        ImageRecord r = withContainer.pull(ref("ops/inuse"), ImageService.PullOptions.defaults(), null);
        assertThatThrownBy(() -> withContainer.remove(registry.reference("ops/inuse"), false, false))
                .isInstanceOf(EngineException.Conflict.class).hasMessageContaining("must force")
                .hasMessageContaining("1 container is using its referenced image");
        assertThatThrownBy(() -> withContainer.remove(r.id().toString(), false, false))
                .isInstanceOf(EngineException.Conflict.class).hasMessageContaining("being used by 1 container");
        assertThat(engine.images().tags(r.id())).isNotEmpty();
        assertThat(withContainer.list(false, Map.of()).getFirst().containers()).isEqualTo(1);

        withContainer.remove(registry.reference("ops/inuse"), true, false);
        assertThat(engine.images().tags(r.id())).isEmpty();
        assertThat(engine.images().get(r.id())).as("the container's image stays").isPresent();
        assertThat(engine.snapshots().stat(ChainIds.top(r.diffIds()).toString())).isNotNull();
    }

    @Test
    void removingOneOfTwoImagesKeepsTheSharedBaseLayerAndDropsTheRest() throws Exception {
        BusyboxImage[] bc = baseAndChild("ops/gcbase:latest", "ops/gcchild:latest");
        ImageRecord base = pull("ops/gcbase");
        ImageRecord child = pull("ops/gcchild");
        Digest baseChain = ChainIds.top(base.diffIds());
        Digest childChain = ChainIds.top(child.diffIds());

        images.remove(registry.reference("ops/gcbase"), false, false);
        assertThat(ImageTestSupport.committed(engine.snapshots()))
                .containsExactlyInAnyOrder(baseChain.toString(), childChain.toString());
        assertThat(engine.content().exists(bc[0].config().digest())).isFalse();
        assertThat(engine.content().exists(bc[0].layers().getFirst().digest())).as("shared base blob").isTrue();

        images.remove(registry.reference("ops/gcchild"), false, false);
        assertThat(ImageTestSupport.allSnapshots(engine.snapshots())).isEmpty();
        assertThat(engine.content().list()).isEmpty();
    }

    @Test
    void historyAndInspectShowTheConfigNewestFirstWithEmptyLayersOfSizeZero() throws Exception {
        BusyboxImage image = BusyboxImage.builder().cmd("echo", "hello").env("MODE=test").label("a", "b")
                .layer(Layer.builder().createdBy("COPY one /one").file("/one", "1").build())
                .build(tmp.resolve("h"));
        image.pushTo(registry, "ops/history:latest");
        ImageRecord r = pull("ops/history");

        List<ImageService.HistoryEntry> h = images.history(registry.reference("ops/history"));
        assertThat(h).hasSize(2);
        assertThat(h.get(0).id()).isEqualTo(r.id().toString());
        assertThat(h.get(0).createdBy()).isEqualTo("COPY one /one");
        assertThat(h.get(0).tags()).containsExactly(registry.host() + "/ops/history:latest");
        assertThat(h.get(0).size()).isEqualTo(engine.snapshots().usage(ChainIds.top(r.diffIds()).toString()).size());
        assertThat(h.get(1).id()).isEqualTo("<missing>");
        assertThat(h.get(1).createdBy()).isEqualTo(BusyboxImage.baseLayer().createdBy());
        assertThat(h.get(1).size()).isGreaterThanOrEqualTo(java.nio.file.Files.size(BusyboxImage.HOST_BUSYBOX));
        assertThat(h.get(1).created()).isEqualTo(Layer.FIXED_TIME);

        ImageService.ImageDetails d = images.inspect(r.id().shortId());
        assertThat(d.config().config().cmd()).containsExactly("echo", "hello");
        assertThat(d.config().config().env()).containsExactly(BusyboxImage.PATH_ENV, "MODE=test");
        assertThat(d.config().config().labels()).containsEntry("a", "b");
        assertThat(d.config().architecture()).isEqualTo("amd64");
        assertThat(d.layerChainIds()).isEqualTo(ChainIds.of(r.diffIds()).stream().map(Digest::toString).toList());
        assertThat(d.digests()).containsExactly(ref("ops/history").withDigest(image.manifest().digest()));

        // a config with an empty_layer step (CMD) on top: size 0, the image id on top, <missing> below
        RegistryRepository repo = RegistryRepository.of(registry.host(), "ops/emptylayer");
        BusyboxImage.LayerBlob base = image.layers().getFirst();
        engine.registry().pushBlob(repo, base.digest(), base.size(), BlobContent.of(image.blob(base.digest())), null, null);
        byte[] config = Json.toBytes(Map.of("architecture", "amd64", "os", "linux", "created", "2025-02-01T00:00:00Z",
                "rootfs", Map.of("type", "layers", "diff_ids", List.of(base.diffId().toString())),
                "history", List.of(Map.of("created", "2025-01-01T00:00:00Z", "created_by", "ADD rootfs /"),
                        Map.of("created", "2025-02-01T00:00:00Z", "created_by", "CMD [\"sh\"]", "empty_layer", true))));
        Digest cd = Digest.sha256(config);
        engine.registry().pushBlob(repo, cd, config.length, BlobContent.of(config), null, null);
        engine.registry().putManifest(repo, "latest", MediaTypes.OCI_MANIFEST, Json.toBytes(ImageManifest.of(
                MediaTypes.OCI_MANIFEST, Descriptor.of(MediaTypes.OCI_CONFIG, cd, config.length),
                List.of(Descriptor.of(base.mediaType(), base.digest(), base.size())))));
        pull("ops/emptylayer");
        List<ImageService.HistoryEntry> e = images.history(registry.reference("ops/emptylayer"));
        assertThat(e).extracting(ImageService.HistoryEntry::createdBy).containsExactly("CMD [\"sh\"]", "ADD rootfs /");
        assertThat(e.get(0).size()).isZero();
        assertThat(e.get(0).id()).isEqualTo(cd.toString());
        assertThat(e.get(1).id()).isEqualTo("<missing>");
        assertThat(e.get(1).size()).isPositive();
    }

    @Test
    void listFiltersByDanglingReferenceGlobAndLabel() throws Exception {
        baseAndChild("ops/busybase:latest", "ops/appchild:latest");
        ImageRecord base = pull("ops/busybase");
        ImageRecord child = pull("ops/appchild");
        // a newer image under the child's tag leaves the old one dangling
        BusyboxImage newer = BusyboxImage.builder().label("role", "newer").build(tmp.resolve("newer"));
        newer.pushTo(registry, "ops/appchild:latest");
        ImageRecord replacement = pull("ops/appchild");

        assertThat(images.list(false, Map.of("dangling", List.of("true")))).extracting(s -> s.image().id())
                .containsExactly(child.id());
        assertThat(images.list(false, Map.of("dangling", List.of("false")))).extracting(s -> s.image().id())
                .containsExactlyInAnyOrder(base.id(), replacement.id());
        assertThat(images.list(false, Map.of("reference", List.of(registry.host() + "/ops/busy*"))))
                .extracting(s -> s.image().id()).containsExactly(base.id());
        assertThat(images.list(false, Map.of("reference", List.of("*appchild*"))))
                .as("a / is not matched by *").isEmpty();
        assertThat(images.list(false, Map.of("label", List.of("role=child")))).extracting(s -> s.image().id())
                .containsExactly(child.id());
        assertThat(images.list(false, Map.of("label", List.of("role")))).hasSize(3);
        assertThatThrownBy(() -> images.list(false, Map.of("colour", List.of("red"))))
                .isInstanceOf(EngineException.InvalidArgument.class);
    }

    /** Pushes busybox's base layer with a config created at {@code created}; returns the image id. */
    private Digest pushCreatedAt(String repo, String created, BusyboxImage image) {
        RegistryRepository r = RegistryRepository.of(registry.host(), repo);
        BusyboxImage.LayerBlob base = image.layers().getFirst();
        engine.registry().pushBlob(r, base.digest(), base.size(), BlobContent.of(image.blob(base.digest())), null, null);
        byte[] config = Json.toBytes(Map.of("architecture", "amd64", "os", "linux", "created", created,
                "rootfs", Map.of("type", "layers", "diff_ids", List.of(base.diffId().toString()))));
        Digest cd = Digest.sha256(config);
        engine.registry().pushBlob(r, cd, config.length, BlobContent.of(config), null, null);
        engine.registry().putManifest(r, "latest", MediaTypes.OCI_MANIFEST, Json.toBytes(ImageManifest.of(
                MediaTypes.OCI_MANIFEST, Descriptor.of(MediaTypes.OCI_CONFIG, cd, config.length),
                List.of(Descriptor.of(base.mediaType(), base.digest(), base.size())))));
        return cd;
    }

    @Test
    void listFiltersBeforeAndSinceAndPruneUntilUseTheCreatedTime() throws Exception {
        BusyboxImage image = BusyboxImage.build(tmp.resolve("t"));
        Digest jan = pushCreatedAt("ops/jan", "2025-01-01T00:00:00Z", image);
        Digest feb = pushCreatedAt("ops/feb", "2025-02-01T00:00:00Z", image);
        Digest mar = pushCreatedAt("ops/mar", "2025-03-01T00:00:00Z", image);
        pull("ops/jan");
        pull("ops/feb");
        pull("ops/mar");
        assertThat(images.list(false, Map.of("before", List.of(registry.reference("ops/feb")))))
                .extracting(s -> s.image().id()).containsExactly(jan);
        assertThat(images.list(false, Map.of("since", List.of(registry.reference("ops/feb")))))
                .extracting(s -> s.image().id()).containsExactly(mar);
        ImageService.PruneReport p = images.prune(true, Map.of("until", List.of("2025-02-15T00:00:00Z")));
        assertThat(p.removed()).extracting(ImageService.RemovedImage::deleted).filteredOn(java.util.Objects::nonNull)
                .contains(jan.toString(), feb.toString()).doesNotContain(mar.toString());
        assertThat(engine.images().list()).extracting(ImageRecord::id).containsExactly(mar);
    }

    @Test
    void pruneRemovesDanglingImagesOrEveryUnusedOne() throws Exception {
        BusyboxImage.builder().label("v", "1").build(tmp.resolve("v1")).pushTo(registry, "ops/prune:latest");
        ImageRecord old = pull("ops/prune");
        BusyboxImage.builder().label("v", "2").build(tmp.resolve("v2")).pushTo(registry, "ops/prune:latest");
        ImageRecord current = pull("ops/prune");

        ImageService.PruneReport dangling = images.prune(false, Map.of());
        assertThat(dangling.removed()).contains(new ImageService.RemovedImage(null, old.id().toString()));
        assertThat(dangling.spaceReclaimed()).isPositive(); // the old config blob at least
        assertThat(engine.images().get(current.id())).isPresent();

        ImageService.PruneReport all = images.prune(true, Map.of());
        assertThat(all.removed()).contains(new ImageService.RemovedImage(null, current.id().toString()));
        assertThat(engine.images().list()).isEmpty();
        assertThat(engine.content().list()).isEmpty();
        assertThat(ImageTestSupport.allSnapshots(engine.snapshots())).isEmpty();
    }

    @Test
    void diskUsageCountsTheSharedBaseLayerAsSharedAndTheRestAsUnique() throws Exception {
        baseAndChild("ops/dfbase:latest", "ops/dfchild:latest");
        ImageRecord base = pull("ops/dfbase");
        ImageRecord child = pull("ops/dfchild");
        long baseLayer = engine.snapshots().usage(ChainIds.top(base.diffIds()).toString()).size();
        long childLayer = engine.snapshots().usage(ChainIds.top(child.diffIds()).toString()).size();

        ImageService.DiskUsage df = images.diskUsage();
        ImageService.DiskUsage.ImageUsage b = df.images().stream().filter(i -> i.image().id().equals(base.id())).findFirst().orElseThrow();
        ImageService.DiskUsage.ImageUsage c = df.images().stream().filter(i -> i.image().id().equals(child.id())).findFirst().orElseThrow();
        assertThat(b.sharedSize()).isEqualTo(baseLayer);
        assertThat(b.uniqueSize()).isZero();
        assertThat(c.size()).isEqualTo(baseLayer + childLayer);
        assertThat(c.sharedSize()).isEqualTo(baseLayer);
        assertThat(c.uniqueSize()).isEqualTo(childLayer);
        assertThat(df.layersSize()).isEqualTo(baseLayer + childLayer);
        assertThat(images.list(false, Map.of()).stream().filter(s -> s.image().id().equals(child.id())).findFirst()
                .orElseThrow().sharedSize()).isEqualTo(baseLayer);
    }

    @Test
    void aSavedAndLoadedImageCanBePushedAndPulledBackUnchanged() throws Exception {
        BusyboxImage image = BusyboxImage.build(tmp.resolve("sl"));
        image.pushTo(registry, "ops/saved:latest");
        ImageRecord r = pull("ops/saved");
        java.io.ByteArrayOutputStream archive = new java.io.ByteArrayOutputStream();
        images.save(List.of(registry.reference("ops/saved")), archive);
        images.remove(registry.reference("ops/saved"), false, false);
        assertThat(engine.content().list()).isEmpty();

        List<String> loaded = images.load(new java.io.ByteArrayInputStream(archive.toByteArray()), null);
        assertThat(loaded).anyMatch(l -> l.contains("ops/saved"));
        assertThat(engine.images().resolve(registry.reference("ops/saved")).id()).isEqualTo(r.id());
        images.tag(registry.reference("ops/saved"), ref("ops/reloaded:1"));
        ImageService.PushResult pushed = images.push(ref("ops/reloaded:1"), Optional.empty(), null);

        try (TempEngine other = TempEngine.start()) {
            ImageRecord back = other.engine().imageService().pull(ref("ops/reloaded").withDigest(pushed.digest()),
                    ImageService.PullOptions.defaults(), null);
            assertThat(back.id()).isEqualTo(r.id());
            assertThat(ImageTestSupport.tree(other.engine().snapshots(), ChainIds.top(back.diffIds()), tmp.resolve("mnt")))
                    .containsEntry("/bin/sh", "l:/bin/busybox");
        }
    }

    @Test
    void anImageWithoutAManifestIsPushedWithAnOciManifestMadeFromItsBlobs() throws Exception {
        BusyboxImage image = BusyboxImage.builder().compression(BusyboxImage.Compression.ZSTD)
                .layer(Layer.builder().file("/z", "z").build()).build(tmp.resolve("nm"));
        image.pushTo(registry, "ops/nomanifest:latest");
        ImageRecord r = pull("ops/nomanifest");
        // as a legacy docker-save load records it: no manifest
        engine.images().put(new ImageRecord(r.id(), null, null, r.layers(), r.diffIds(), r.size(), r.created(), r.added()));
        images.tag(r.id().toString(), ref("ops/madeup:1"));
        ImageService.PushResult pushed = images.push(ref("ops/madeup:1"), Optional.empty(), null);
        assertThat(engine.images().get(r.id()).orElseThrow().manifestDigest()).isEqualTo(pushed.digest());
        try (TempEngine other = TempEngine.start()) {
            ImageRecord back = other.engine().imageService().pull(ref("ops/madeup:1"), ImageService.PullOptions.defaults(), null);
            assertThat(back.id()).isEqualTo(r.id());
            assertThat(back.manifestMediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
            assertThat(ImageTestSupport.tree(other.engine().snapshots(), ChainIds.top(back.diffIds()), tmp.resolve("mnt")))
                    .containsEntry("/z", "f:z");
        }
    }

    @Test
    void anImportedRootfsIsAnImageThatCanBePushed() throws Exception {
        byte[] rootfs = Layer.builder().file("/hello.txt", "hello\n").build().tar();
        ImageRecord imported = images.importImage(new java.io.ByteArrayInputStream(rootfs), Optional.of(ref("ops/imported:1")),
                List.of("CMD [\"/bin/cat\", \"/hello.txt\"]"), "from a test", Optional.empty());
        assertThat(images.inspect(imported.id().toString()).config().config().cmd()).containsExactly("/bin/cat", "/hello.txt");
        ImageTestSupport.Recorder progress = new ImageTestSupport.Recorder();
        images.push(ref("ops/imported:1"), Optional.empty(), progress);
        assertThat(progress.phasesOf(imported.layers().getFirst().shortId())).contains(PUSHED);
        try (TempEngine other = TempEngine.start()) {
            ImageRecord back = other.engine().imageService().pull(ref("ops/imported:1"), ImageService.PullOptions.defaults(), null);
            assertThat(back.id()).isEqualTo(imported.id());
        }
    }

    @Test
    void searchListsThePrivateRegistrysCatalogAndSaysWhenDockerHubIsUnreachable() throws Exception {
        BusyboxImage image = BusyboxImage.build(tmp.resolve("s"));
        image.pushTo(registry, "tools/searchable-one:latest");
        image.pushTo(registry, "tools/other:latest");
        assertThat(images.search(registry.host() + "/searchable", 10))
                .containsExactly(new ImageService.SearchResult(registry.host() + "/tools/searchable-one", "", 0, false));

        ImageService offline = new LocalImageService(engine.images(), engine.content(), engine.snapshots(),
                engine.unpacker(), engine.registry(), engine.events(), ContainerUsage.NONE,
                new LocalImageService.Settings(3, URI.create("http://127.0.0.1:1"), List.of()), tmp.resolve("s.json"));
        assertThatThrownBy(() -> offline.search("busybox", 10)).isInstanceOf(EngineException.Unavailable.class)
                .hasMessageContaining("Docker Hub");
    }
}
