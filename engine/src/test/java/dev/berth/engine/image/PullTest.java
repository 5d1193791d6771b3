package dev.berth.engine.image;

import dev.berth.engine.Engine;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.Platform;
import dev.berth.engine.snapshot.ChainIds;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.berth.engine.image.ImageService.Phase.ALREADY_EXISTS;
import static dev.berth.engine.image.ImageService.Phase.DOWNLOADING;
import static dev.berth.engine.image.ImageService.Phase.PULL_COMPLETE;
import static dev.berth.engine.image.ImageService.Phase.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pulls from a real docker-registry on 127.0.0.1 into a real engine root, unpacked on overlayfs. */
@RootOnly
@WithRegistry
class PullTest {

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

    @Test
    void pullOfAnOciImageStoresVerifiedBlobsTagsAndAnUnpackedRootfs() throws Exception {
        BusyboxImage image = BusyboxImage.builder().cmd("echo", "hi").build(tmp.resolve("oci"));
        image.pushTo(registry, "pull/oci:1.0");
        ImageTestSupport.Recorder progress = new ImageTestSupport.Recorder();
        try (EventBus.Subscription events = engine.events().subscribe(e -> e.type().equals("image"))) {
            ImageRecord r = images.pull(ref("pull/oci:1.0"), ImageService.PullOptions.defaults(), progress);

            assertThat(r.id()).isEqualTo(image.config().digest());
            assertThat(r.manifestDigest()).isEqualTo(image.manifest().digest());
            assertThat(r.diffIds()).containsExactly(image.layers().getFirst().diffId());
            assertThat(r.size()).isGreaterThan(Files.size(BusyboxImage.HOST_BUSYBOX));
            assertThat(engine.images().tags(r.id())).containsExactly(ref("pull/oci:1.0"));
            assertThat(engine.images().repoDigests(r.id()))
                    .containsExactly(ref("pull/oci").withDigest(image.manifest().digest()));
            for (Digest d : java.util.List.of(image.config().digest(), image.manifest().digest(),
                    image.layers().getFirst().digest())) {
                assertThat(engine.content().exists(d)).as(d.toString()).isTrue();
            }
            assertThat(ImageTestSupport.corruptBlobs(engine.content())).isEmpty();
            assertThat(engine.content().ingests()).isEmpty();

            Map<String, String> tree = ImageTestSupport.tree(engine.snapshots(), ChainIds.top(r.diffIds()), tmp.resolve("mnt"));
            assertThat(tree).containsEntry("/bin/busybox", "f:" + Digest.sha256(Files.readAllBytes(BusyboxImage.HOST_BUSYBOX)))
                    .containsEntry("/bin/sh", "l:/bin/busybox")
                    .containsEntry("/etc/passwd", "f:" + BusyboxImage.PASSWD)
                    .containsEntry("/tmp", "d");

            String layer = image.layers().getFirst().digest().shortId();
            assertThat(progress.phasesOf(layer)).contains(WAITING, DOWNLOADING, PULL_COMPLETE);
            assertThat(progress.statusLines()).containsExactly("Pulling from pull/oci",
                    "Digest: " + image.manifest().digest(),
                    "Status: Downloaded newer image for " + registry.host() + "/pull/oci:1.0");
            Event pull = events.poll(5, TimeUnit.SECONDS);
            assertThat(pull).isNotNull();
            assertThat(pull.action()).isEqualTo("pull");
            assertThat(pull.actorId()).isEqualTo(registry.host() + "/pull/oci:1.0");
        }
    }

    @Test
    void pullOfADockerV2Schema2ImageKeepsItsMediaType() throws Exception {
        BusyboxImage image = BusyboxImage.builder().mediaTypes(BusyboxImage.MediaTypes.DOCKER).build(tmp.resolve("v2s2"));
        image.pushTo(registry, "pull/v2s2:latest");
        ImageRecord r = images.pull(ref("pull/v2s2"), ImageService.PullOptions.defaults(), null);
        assertThat(r.manifestMediaType()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        assertThat(r.id()).isEqualTo(image.config().digest());
        assertThat(ImageTestSupport.tree(engine.snapshots(), ChainIds.top(r.diffIds()), tmp.resolve("mnt")))
                .containsEntry("/bin/ls", "l:/bin/busybox");
    }

    @Test
    void deletedFilesAndAnOpaqueDirectoryAreGoneFromTheMountedRootfs() throws Exception {
        Layer second = Layer.builder().createdBy("ADD app /app")
                .file("/app/keep.txt", "keep")
                .file("/app/old.txt", "old")
                .file("/app/conf/a.conf", "a")
                .file("/app/conf/b.conf", "b")
                .build();
        Layer third = Layer.builder().createdBy("RUN rm /app/old.txt && replace /app/conf")
                .whiteout("/app/old.txt")
                .whiteout("/etc/group")
                .opaque("/app/conf")
                .file("/app/conf/c.conf", "c")
                .build();
        BusyboxImage image = BusyboxImage.builder().compression(BusyboxImage.Compression.ZSTD)
                .layer(second).layer(third).build(tmp.resolve("multi"));
        image.pushTo(registry, "pull/multi:latest");

        ImageRecord r = images.pull(ref("pull/multi"), ImageService.PullOptions.defaults(), null);
        assertThat(r.layers()).hasSize(3);
        Map<String, String> tree = ImageTestSupport.tree(engine.snapshots(), ChainIds.top(r.diffIds()), tmp.resolve("mnt"));
        Map<String, String> app = new TreeMap<>();
        tree.forEach((k, v) -> {
            if (k.startsWith("/app")) {
                app.put(k, v);
            }
        });
        assertThat(app).isEqualTo(Map.of("/app", "d", "/app/keep.txt", "f:keep", "/app/conf", "d",
                "/app/conf/c.conf", "f:c"));
        assertThat(tree).doesNotContainKey("/etc/group").containsKey("/etc/passwd");
        assertThat(ImageTestSupport.committed(engine.snapshots()))
                .containsExactlyInAnyOrderElementsOf(ChainIds.of(r.diffIds()).stream().map(Digest::toString).toList());
    }

    @Test
    void anIndexGivesTheHostPlatformByDefaultAndArm64WhenAsked() throws Exception {
        BusyboxImage image = BusyboxImage.builder().multiPlatform().build(tmp.resolve("index"));
        image.pushTo(registry, "pull/multiarch:latest");
        BusyboxImage.PlatformImage amd64 = image.images().get(0);
        BusyboxImage.PlatformImage arm64 = image.images().get(1);

        ImageRecord def = images.pull(ref("pull/multiarch"), ImageService.PullOptions.defaults(), null);
        assertThat(def.id()).isEqualTo(amd64.config().digest());
        assertThat(def.manifestDigest()).isEqualTo(amd64.manifest().digest());
        assertThat(engine.images().repoDigests(def.id()))
                .containsExactly(ref("pull/multiarch").withDigest(image.index().orElseThrow().digest()));
        assertThat(engine.content().exists(image.index().orElseThrow().digest())).isTrue();

        ImageRecord arm = images.pull(ref("pull/multiarch"),
                new ImageService.PullOptions(Optional.of(Platform.parse("linux/arm64")), Optional.empty()), null);
        assertThat(arm.id()).isEqualTo(arm64.config().digest());
        assertThat(ImageTestSupport.tree(engine.snapshots(), ChainIds.top(arm.diffIds()), tmp.resolve("mnt")))
                .containsEntry("/etc/arch", "f:linux/arm64/v8\n").doesNotContainKey("/bin/busybox");
        // the tag moved to the arm64 image, as docker pull --platform does
        assertThat(engine.images().resolve(registry.reference("pull/multiarch:latest")).id()).isEqualTo(arm.id());

        assertThatThrownBy(() -> images.pull(ref("pull/multiarch"),
                new ImageService.PullOptions(Optional.of(Platform.parse("linux/s390x")), Optional.empty()), null))
                .hasMessageContaining("linux/s390x").hasMessageContaining("linux/amd64");
    }

    @Test
    void pullingTheSameImageTwiceIsUpToDateAndUnpacksNothing() throws Exception {
        BusyboxImage image = BusyboxImage.build(tmp.resolve("twice"));
        image.pushTo(registry, "pull/twice:latest");
        images.pull(ref("pull/twice"), ImageService.PullOptions.defaults(), null);
        Map<String, Object> before = new TreeMap<>();
        engine.snapshots().walk(i -> before.put(i.key(), i.created()));

        ImageTestSupport.Recorder progress = new ImageTestSupport.Recorder();
        images.pull(ref("pull/twice"), ImageService.PullOptions.defaults(), progress);

        Map<String, Object> after = new TreeMap<>();
        engine.snapshots().walk(i -> after.put(i.key(), i.created()));
        assertThat(after).isEqualTo(before);
        String layer = image.layers().getFirst().digest().shortId();
        assertThat(progress.phasesOf(layer)).containsExactly(ALREADY_EXISTS);
        assertThat(progress.statusLines()).last().isEqualTo("Status: Image is up to date for " + registry.host() + "/pull/twice:latest");
    }

    @Test
    void twoImagesSharingABaseLayerUnpackItOnce() throws Exception {
        BusyboxImage base = BusyboxImage.build(tmp.resolve("base"));
        base.pushTo(registry, "pull/base:latest");
        BusyboxImage child = BusyboxImage.builder().layer(Layer.builder().file("/hello", "world").build())
                .build(tmp.resolve("child"));
        child.pushTo(registry, "pull/child:latest");

        ImageRecord b = images.pull(ref("pull/base"), ImageService.PullOptions.defaults(), null);
        Object baseCreated = engine.snapshots().stat(ChainIds.top(b.diffIds()).toString()).created();
        ImageTestSupport.Recorder progress = new ImageTestSupport.Recorder();
        ImageRecord c = images.pull(ref("pull/child"), ImageService.PullOptions.defaults(), progress);

        assertThat(c.diffIds().getFirst()).isEqualTo(b.diffIds().getFirst());
        assertThat(progress.phasesOf(child.layers().get(0).digest().shortId())).containsExactly(ALREADY_EXISTS);
        assertThat(progress.phasesOf(child.layers().get(1).digest().shortId())).contains(DOWNLOADING, PULL_COMPLETE);
        assertThat(ImageTestSupport.committed(engine.snapshots())).hasSize(2);
        assertThat(engine.snapshots().stat(ChainIds.top(b.diffIds()).toString()).created()).isEqualTo(baseCreated);
        assertThat(ImageTestSupport.tree(engine.snapshots(), ChainIds.top(c.diffIds()), tmp.resolve("mnt")))
                .containsEntry("/hello", "f:world").containsKey("/bin/busybox");
    }

    @Test
    void twoConcurrentPullsOfTheSameImageBothSucceedAndUnpackEachLayerOnce() throws Exception {
        BusyboxImage image = BusyboxImage.builder().layer(Layer.builder().file("/a", "a").build()).build(tmp.resolve("c"));
        image.pushTo(registry, "pull/concurrent:latest");
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<ImageRecord> a = pool.submit(() -> images.pull(ref("pull/concurrent"), ImageService.PullOptions.defaults(), null));
            Future<ImageRecord> b = pool.submit(() -> images.pull(ref("pull/concurrent"), ImageService.PullOptions.defaults(), null));
            assertThat(a.get(60, TimeUnit.SECONDS).id()).isEqualTo(image.config().digest());
            assertThat(b.get(60, TimeUnit.SECONDS).id()).isEqualTo(image.config().digest());
        }
        assertThat(ImageTestSupport.allSnapshots(engine.snapshots())).hasSize(2);
        assertThat(ImageTestSupport.committed(engine.snapshots())).hasSize(2);
        assertThat(engine.content().ingests()).isEmpty();
        assertThat(ImageTestSupport.corruptBlobs(engine.content())).isEmpty();
        assertThat(engine.content().list()).hasSize(4); // two layers, config, manifest
    }

    @Test
    void anUnknownTagIsNotFound() {
        assertThatThrownBy(() -> images.pull(ref("pull/nothing:here"), ImageService.PullOptions.defaults(), null))
                .isInstanceOf(dev.berth.engine.errors.EngineException.NotFound.class);
        assertThat(engine.images().list()).isEmpty();
    }
}
