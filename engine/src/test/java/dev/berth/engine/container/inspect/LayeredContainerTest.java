package dev.berth.engine.container.inspect;

import dev.berth.engine.image.ConfigChanges;
import dev.berth.engine.content.ContentStore;
import dev.berth.engine.content.FilesystemContentStore;
import dev.berth.engine.content.Writer;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.image.Reference;
import dev.berth.engine.layer.Changeset;
import dev.berth.engine.layer.LayerApplier;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.ImageConfig;
import dev.berth.engine.oci.ImageManifest;
import dev.berth.engine.oci.MediaTypes;
import dev.berth.engine.runtime.ContainerHarness;
import dev.berth.engine.runtime.LogReader;
import dev.berth.engine.runtime.spec.RunSpec;
import dev.berth.engine.snapshot.ChainIds;
import dev.berth.engine.snapshot.Mounter;
import dev.berth.engine.snapshot.Mounts;
import dev.berth.engine.snapshot.OverlaySnapshotter;
import dev.berth.engine.snapshot.Snapshotter;
import dev.berth.engine.snapshot.Unpacker;
import dev.berth.engine.state.Json;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code docker diff} and {@code docker commit} of a real container on an overlay mount of the
 * busybox test image. The container (host network, so runc creates {@code /etc/hosts} and
 * {@code /etc/resolv.conf} as mount targets in its writable layer) writes {@code /hello}, deletes
 * {@code /etc/group} and makes {@code /tmp/d/f}.
 */
@RootOnly
class LayeredContainerTest {

    @TempDir
    static Path dir;

    static BusyboxImage image;
    static ContentStore content;
    static ImageStore images;
    static Snapshotter snapshots;
    static Unpacker unpacker;
    static ImageRecord parent;
    static Mounts mounts;
    static Path rootfs;
    static ContainerHarness h;
    static final List<Path> mounted = new ArrayList<>();

    @BeforeAll
    static void runContainer() throws Exception {
        image = BusyboxImage.build(dir.resolve("image"));
        content = new FilesystemContentStore(dir.resolve("content"));
        images = new ImageStore(dir.resolve("images"));
        snapshots = OverlaySnapshotter.open(dir.resolve("snapshots"));
        unpacker = new Unpacker(snapshots, LayerApplier.overlay());
        store(image.configBytes());
        store(image.manifestBytes());
        List<Unpacker.Layer> layers = new ArrayList<>();
        for (BusyboxImage.LayerBlob l : image.layers()) {
            store(image.blob(l.digest()));
            layers.add(new Unpacker.Layer(l.diffId(), l.digest().toString(), () -> new ByteArrayInputStream(image.blob(l.digest()))));
        }
        Digest top = unpacker.unpack(layers);
        parent = new ImageRecord(image.config().digest(), image.manifest().digest(), image.manifest().mediaType(),
                image.layers().stream().map(BusyboxImage.LayerBlob::digest).toList(),
                image.layers().stream().map(BusyboxImage.LayerBlob::diffId).toList(), 0, null, null);
        images.put(parent);

        String id = ContainerHarness.newId();
        mounts = snapshots.prepare("container-" + id, top.toString());
        rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Mounter.mount(mounts, rootfs);
        mounted.add(rootfs);
        h = new ContainerHarness(dir.resolve("run"));
        ContainerHarness.Ctr c = h.create(id, rootfs, RunSpec.builder(List.of("sh", "-c",
                "echo hello > /hello && rm /etc/group && mkdir /tmp/d && echo x > /tmp/d/f"))
                .network(new RunSpec.NetworkMode.Host()).build(), 0);
        h.runtime().start(c.id());
        assertThat(h.runtime().waitForExit(c.id(), Duration.ofSeconds(20))).as(() -> logOf(c)).hasValue(0);
    }

    private static String logOf(ContainerHarness.Ctr c) {
        return LogReader.read(c.log(), LogReader.Query.ALL).toString();
    }

    private static void store(byte[] bytes) {
        Digest d = Digest.sha256(bytes);
        try (Writer w = content.writer("test-" + d.encoded(), bytes.length, d)) {
            w.write(bytes);
            w.commit(bytes.length, d);
        }
    }

    @AfterAll
    static void cleanUp() {
        if (h != null) {
            h.close();
        }
        for (Path p : mounted.reversed()) {
            Mounter.unmount(p);
        }
    }

    @Test
    void diffListsTheContainersChangesWithDockersKindsSortedByPath() {
        List<ContainerDiff.Change> changes = ContainerDiff.changes(mounts.lowerDirs(), mounts.upperDir().orElseThrow());
        assertThat(changes).extracting(ContainerDiff.Change::toString)
                .containsExactly("C /etc", "D /etc/group", "A /hello", "C /tmp", "A /tmp/d", "A /tmp/d/f");
        assertThat(changes).extracting(ContainerDiff.Change::kind).containsExactly(0, 2, 1, 0, 1, 1);
        assertThat(new String(Json.toBytes(changes.get(1)))).isEqualTo("{\"Path\":\"/etc/group\",\"Kind\":2}");
    }

    @Test
    void mountTargetsTheRuntimeCreatedAreHiddenButWouldOtherwiseShow() {
        // the raw overlay changes do hold what runc created for its bind mounts
        List<String> raw = Changeset.changes(mounts.lowerDirs(), mounts.upperDir().orElseThrow()).stream()
                .map(c -> c.kind() + " " + c.path()).toList();
        assertThat(raw).contains("ADDED /etc/hosts", "ADDED /etc/resolv.conf");
        // with nothing hidden, they show
        assertThat(ContainerDiff.changes(mounts.lowerDirs(), mounts.upperDir().orElseThrow(), java.util.Set.of()))
                .extracting(ContainerDiff.Change::toString).contains("A /etc/hosts", "A /etc/resolv.conf");
    }

    @Test
    void commitMakesAnImageWhoseViewHasTheContainersChanges() throws Exception {
        ImageConfig parentConfig = Json.mapper().readValue(image.configBytes(), ImageConfig.class);
        ImageConfig.Config containerConfig = new ImageConfig.Config(null, null, List.of(BusyboxImage.PATH_ENV, "FROM_CONTAINER=1"),
                null, List.of("sh", "-c", "echo hello > /hello"), null, null, null, null, null, null, null, null);
        ImageCommitter committer = new ImageCommitter(content, images, unpacker, Clock.systemUTC());

        ImageCommitter.Committed done = committer.commit(new ImageCommitter.Request(parent, image.configBytes(),
                mounts.lowerDirs(), mounts.upperDir().orElseThrow(), containerConfig,
                List.of("CMD [\"cat\", \"/hello\"]", "ENV GREETING=\"hello world\" OTHER=2", "LABEL org.example.x=y",
                        "EXPOSE 8080", "WORKDIR /tmp", "USER nobody", "STOPSIGNAL SIGINT", "VOLUME /data"),
                "Ann <ann@example.com>", "added hello", Optional.of(Reference.parse("committed:v1")), null));

        // the image is stored and tagged; its ID is its config's digest
        assertThat(images.resolve("committed:v1").id()).isEqualTo(done.imageId());
        byte[] configBytes;
        try (InputStream in = content.open(done.imageId())) {
            configBytes = in.readAllBytes();
        }
        assertThat(Digest.sha256(configBytes)).isEqualTo(done.imageId());
        ImageConfig cfg = Json.mapper().readValue(configBytes, ImageConfig.class);
        assertThat(cfg.config().cmd()).containsExactly("cat", "/hello");
        assertThat(cfg.config().env()).containsExactly(BusyboxImage.PATH_ENV, "FROM_CONTAINER=1", "GREETING=hello world", "OTHER=2");
        assertThat(cfg.config().labels()).containsEntry("org.example.x", "y");
        assertThat(cfg.config().exposedPorts()).containsOnlyKeys("8080/tcp");
        assertThat(cfg.config().workingDir()).isEqualTo("/tmp");
        assertThat(cfg.config().user()).isEqualTo("nobody");
        assertThat(cfg.config().stopSignal()).isEqualTo("SIGINT");
        assertThat(cfg.config().volumes()).containsOnlyKeys("/data");
        assertThat(cfg.author()).isEqualTo("Ann <ann@example.com>");
        assertThat(cfg.architecture()).isEqualTo(parentConfig.architecture());
        assertThat(cfg.rootfs().diffIds()).hasSize(parent.diffIds().size() + 1).endsWith(done.diffId());
        assertThat(cfg.history()).hasSize(parentConfig.history().size() + 1);
        ImageConfig.History last = cfg.history().getLast();
        assertThat(last.comment()).isEqualTo("added hello");
        assertThat(last.createdBy()).isEqualTo("sh -c echo hello > /hello");
        assertThat(last.author()).isEqualTo("Ann <ann@example.com>");

        // the layer blob is gzip, its digest is what it is stored under, its uncompressed digest the DiffID
        byte[] blob;
        try (InputStream in = content.open(done.layerDigest())) {
            blob = in.readAllBytes();
        }
        assertThat(Digest.sha256(blob)).isEqualTo(done.layerDigest());
        byte[] tar = new GZIPInputStream(new ByteArrayInputStream(blob)).readAllBytes();
        assertThat(Digest.sha256(tar)).isEqualTo(done.diffId());
        // what the container changed, and not the files runc made as mount targets (Docker's init layer holds those)
        assertThat(Tars.read(tar).keySet()).containsExactly("etc/", "etc/.wh.group", "hello", "tmp/", "tmp/d/", "tmp/d/f");
        // the manifest is OCI, names the config and every layer
        ImageManifest m;
        try (InputStream in = content.open(done.manifestDigest())) {
            m = Json.mapper().readValue(in, ImageManifest.class);
        }
        assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(m.config().digest()).isEqualTo(done.imageId());
        assertThat(m.config().mediaType()).isEqualTo(MediaTypes.OCI_CONFIG);
        assertThat(m.layers()).hasSize(parent.layers().size() + 1);
        assertThat(m.layers().getLast().mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
        assertThat(m.layers().getLast().size()).isEqualTo(blob.length);
        assertThat(done.record().layers()).containsExactlyElementsOf(m.layers().stream().map(d -> d.digest()).toList());

        // the new image's snapshot is committed: a view of it shows the container's changes
        Digest chain = ChainIds.top(cfg.rootfs().diffIds());
        assertThat(unpacker.isCommitted(chain)).isTrue();
        Mounts view = snapshots.view("view-" + done.imageId().encoded(), chain.toString());
        Path target = Files.createDirectories(dir.resolve("view"));
        Mounter.mount(view, target);
        mounted.add(target);
        assertThat(target.resolve("hello")).hasContent("hello");
        assertThat(target.resolve("etc/group")).doesNotExist();
        assertThat(target.resolve("etc/passwd")).hasContent(BusyboxImage.PASSWD.strip());
        assertThat(target.resolve("tmp/d/f")).hasContent("x");
        assertThat(target.resolve("bin/busybox")).isRegularFile();
        assertThat(target.resolve("etc/hosts")).doesNotExist();
        assertThat(target.resolve("etc/resolv.conf")).doesNotExist();
    }

    @Test
    void changeInstructionsFollowDockerfileRules() {
        ImageConfig.Config base = new ImageConfig.Config(null, null, List.of("A=1"), null, List.of("old"), null, "/app", null, null,
                null, null, null, null);
        ImageConfig.Config c = ConfigChanges.apply(base, List.of("ENTRYPOINT /start.sh", "ENV A 2 and more", "WORKDIR sub",
                "EXPOSE 53/udp 80", "ONBUILD RUN make"));
        assertThat(c.entrypoint()).containsExactly("/bin/sh", "-c", "/start.sh");
        assertThat(c.cmd()).as("ENTRYPOINT without an earlier CMD clears it").isNull();
        assertThat(c.env()).containsExactly("A=2 and more");
        assertThat(c.workingDir()).isEqualTo("/app/sub");
        assertThat(c.exposedPorts()).containsOnlyKeys("53/udp", "80/tcp");
        assertThat(c.onBuild()).containsExactly("RUN make");

        ImageConfig.Config kept = ConfigChanges.apply(base, List.of("CMD [\"run\"]", "ENTRYPOINT [\"/e\"]"));
        assertThat(kept.cmd()).containsExactly("run");
        assertThat(kept.entrypoint()).containsExactly("/e");

        assertThatThrownBy(() -> ConfigChanges.apply(base, List.of("RUN rm -rf /")))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("RUN is not a valid change command");
        assertThatThrownBy(() -> ConfigChanges.apply(base, List.of("LABEL a=\"unterminated")))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("unterminated quote");
        assertThatThrownBy(() -> ConfigChanges.apply(base, List.of("EXPOSE http")))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("invalid port http");
    }
}
