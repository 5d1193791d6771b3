package dev.berth.engine.image.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdOutputStream;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.Event;
import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.image.Reference;
import dev.berth.engine.layer.Changeset;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.ImageConfig;
import dev.berth.engine.oci.Platform;
import dev.berth.engine.snapshot.ChainIds;
import dev.berth.engine.snapshot.Mounts;
import dev.berth.engine.state.Json;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.Layer;
import dev.berth.testkit.RootOnly;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@RootOnly
class ImageArchivesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** busybox plus a layer that adds a file, deletes /etc/group and replaces /var. */
    private BusyboxImage busybox(Path dir) {
        Layer extra = Layer.builder().createdBy("RUN change things")
                .file("/etc/motd", "hello from the second layer\n")
                .whiteout("/etc/group")
                .opaque("/var")
                .file("/var/new", "new\n")
                .build();
        return BusyboxImage.builder().layer(extra).label("k", "v").build(dir);
    }

    private static void assertBusyboxTree(Path root) {
        assertThat(root.resolve("bin/busybox")).isRegularFile().isExecutable();
        assertThat(root.resolve("bin/sh")).isSymbolicLink();
        assertThat(root.resolve("etc/motd")).hasContent("hello from the second layer");
        assertThat(root.resolve("etc/group")).doesNotExist();
        assertThat(root.resolve("etc/passwd")).exists();
        assertThat(root.resolve("var/new")).hasContent("new");
    }

    @Test
    void saveThenLoadIntoAFreshStoreKeepsImageIdTagsAndLayerTree() throws Exception {
        BusyboxImage image = busybox(tmp.resolve("layout"));
        ArchiveFixture a = new ArchiveFixture(tmp.resolve("a"));
        List<String> first = a.archives.load(new ByteArrayInputStream(ArchiveFixture.tarOf(image.layout())),
                ImageService.ProgressListener.NONE);
        Digest id = image.config().digest();
        assertThat(first).containsExactly("Loaded image ID: " + id);
        a.images.tag(Reference.parse("busybox:latest"), id);
        a.images.tag(Reference.parse("127.0.0.1:5000/team/busybox:1.0"), id);

        Path archive = tmp.resolve("saved.tar");
        try (OutputStream out = Files.newOutputStream(archive)) {
            a.archives.save(List.of(a.images.resolve("busybox")), out);
        }
        assertThat(a.events.recent()).extracting(Event::action).contains("load", "save");

        ArchiveFixture b = new ArchiveFixture(tmp.resolve("b"));
        List<ImageService.Progress> progress = new ArrayList<>();
        List<String> lines;
        try (InputStream in = Files.newInputStream(archive)) {
            lines = b.archives.load(in, progress::add);
        }
        assertThat(lines).containsExactlyInAnyOrder("Loaded image: busybox:latest",
                "Loaded image: 127.0.0.1:5000/team/busybox:1.0");
        ImageRecord loaded = b.images.resolve("busybox:latest");
        assertThat(loaded.id()).isEqualTo(id);
        assertThat(b.images.resolve("127.0.0.1:5000/team/busybox:1.0").id()).isEqualTo(id);
        List<Digest> diffIds = image.layers().stream().map(BusyboxImage.LayerBlob::diffId).toList();
        assertThat(loaded.diffIds()).isEqualTo(diffIds);
        // docker save layers are the uncompressed tars: their blob digests are the DiffIDs
        assertThat(loaded.layers()).isEqualTo(diffIds);
        assertThat(loaded.size()).isGreaterThan(Files.size(BusyboxImage.HOST_BUSYBOX));
        assertThat(progress).extracting(ImageService.Progress::phase).contains(ImageService.Phase.DONE);
        assertThat(b.events.recent()).filteredOn(e -> e.action().equals("load"))
                .extracting(e -> e.attributes().get("name"))
                .containsExactlyInAnyOrder("busybox:latest", "127.0.0.1:5000/team/busybox:1.0");
        b.withRootfs(ChainIds.top(diffIds), ImageArchivesTest::assertBusyboxTree);
    }

    @Test
    void savedArchiveIsBothDockerSaveAndOciLayout() throws Exception {
        BusyboxImage image = busybox(tmp.resolve("layout"));
        ArchiveFixture a = new ArchiveFixture(tmp.resolve("a"));
        a.archives.load(new ByteArrayInputStream(ArchiveFixture.tarOf(image.layout())), ImageService.ProgressListener.NONE);
        Digest id = image.config().digest();
        a.images.tag(Reference.parse("busybox:latest"), id);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        a.archives.save(List.of(a.images.get(id).orElseThrow()), out);

        Map<String, byte[]> files = untar(out.toByteArray());
        assertThat(files).containsKeys("manifest.json", "index.json", "oci-layout", "repositories",
                "blobs/sha256/" + id.encoded());
        JsonNode manifest = JSON.readTree(files.get("manifest.json"));
        assertThat(manifest.get(0).get("Config").asText()).isEqualTo("blobs/sha256/" + id.encoded());
        assertThat(manifest.get(0).get("RepoTags").get(0).asText()).isEqualTo("busybox:latest");
        for (BusyboxImage.LayerBlob l : image.layers()) {
            byte[] layer = files.get("blobs/sha256/" + l.diffId().encoded());
            assertThat(layer).as("uncompressed layer named by its DiffID").isNotNull();
            assertThat(Digest.sha256(layer)).isEqualTo(l.diffId());
        }
        JsonNode index = JSON.readTree(files.get("index.json"));
        JsonNode entry = index.get("manifests").get(0);
        assertThat(entry.get("annotations").get("io.containerd.image.name").asText())
                .isEqualTo("docker.io/library/busybox:latest");
        assertThat(entry.get("annotations").get("org.opencontainers.image.ref.name").asText()).isEqualTo("latest");
        byte[] ociManifest = files.get("blobs/sha256/" + Digest.parse(entry.get("digest").asText()).encoded());
        assertThat(Digest.sha256(ociManifest).toString()).isEqualTo(entry.get("digest").asText());
        assertThat(JSON.readTree(ociManifest).get("layers")).hasSize(image.layers().size());
        assertThat(JSON.readTree(files.get("repositories")).get("busybox").get("latest").asText())
                .isEqualTo(image.layers().getLast().diffId().encoded());
    }

    @Test
    void loadsAGzipCompressedSaveArchive() throws Exception {
        BusyboxImage image = busybox(tmp.resolve("layout"));
        ArchiveFixture a = new ArchiveFixture(tmp.resolve("a"));
        a.archives.load(new ByteArrayInputStream(ArchiveFixture.tarOf(image.layout())), ImageService.ProgressListener.NONE);
        a.images.tag(Reference.parse("busybox:gz"), image.config().digest());
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            a.archives.save(List.of(a.images.resolve("busybox:gz")), z);
        }
        ArchiveFixture b = new ArchiveFixture(tmp.resolve("b"));
        assertThat(b.archives.load(new ByteArrayInputStream(gz.toByteArray()), ImageService.ProgressListener.NONE))
                .containsExactly("Loaded image: busybox:gz");
        assertThat(b.images.resolve("busybox:gz").id()).isEqualTo(image.config().digest());
    }

    @Test
    void loadsAnOciLayoutTarWithFullNameAnnotationAndPicksTheHostPlatformFromAnIndex() throws Exception {
        BusyboxImage image = BusyboxImage.builder().multiPlatform().build(tmp.resolve("layout"));
        Path indexJson = image.layout().resolve("index.json");
        Map<String, Object> index = JSON.readValue(indexJson.toFile(), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = ((List<Map<String, Object>>) index.get("manifests")).getFirst();
        entry.put("annotations", Map.of("io.containerd.image.name", "docker.io/library/busybox:multi",
                "org.opencontainers.image.ref.name", "multi"));
        Files.write(indexJson, JSON.writeValueAsBytes(index));

        ArchiveFixture f = new ArchiveFixture(tmp.resolve("store"));
        List<String> lines = f.archives.load(new ByteArrayInputStream(ArchiveFixture.tarOf(image.layout())),
                ImageService.ProgressListener.NONE);
        assertThat(lines).containsExactly("Loaded image: busybox:multi");
        ImageRecord r = f.images.resolve("busybox:multi");
        BusyboxImage.PlatformImage amd64 = image.images().stream().filter(i -> i.architecture().equals("amd64"))
                .findFirst().orElseThrow();
        assertThat(r.id()).isEqualTo(amd64.config().digest());
        assertThat(r.manifestDigest()).isEqualTo(amd64.manifest().digest());
        assertThat(r.layers()).isEqualTo(amd64.layers().stream().map(BusyboxImage.LayerBlob::digest).toList());
        assertThat(f.content.exists(amd64.layers().getFirst().digest())).isTrue();
        f.withRootfs(ChainIds.top(r.diffIds()), root -> assertThat(root.resolve("bin/busybox")).isRegularFile());
    }

    /** Docker's pre-25 save layout: {@code <id>/layer.tar} directories, {@code <hex>.json} config, a shared layer as a symlink. */
    private static byte[] legacyArchive(BusyboxImage image, List<Layer> layers, boolean swapLayers) {
        String configHex = image.config().digest().encoded();
        ArchiveFixture.RawTar tar = new ArchiveFixture.RawTar();
        String base = "1111111111111111111111111111111111111111111111111111111111111111";
        String top = "2222222222222222222222222222222222222222222222222222222222222222";
        String alias = "3333333333333333333333333333333333333333333333333333333333333333";
        tar.file(base + "/VERSION", "1.0").file(base + "/json", "{\"id\":\"" + base + "\"}")
                .file(base + "/layer.tar", layers.get(0).tar());
        tar.file(top + "/VERSION", "1.0").file(top + "/json", "{\"id\":\"" + top + "\",\"parent\":\"" + base + "\"}")
                .file(top + "/layer.tar", layers.get(1).tar());
        // Docker's old save wrote a layer that two images share once, and a relative symlink for the other
        tar.symlink(alias + "/layer.tar", "../" + top + "/layer.tar");
        tar.file(configHex + ".json", image.configBytes());
        tar.file("repositories", "{\"busybox\":{\"legacy\":\"" + top + "\"}}");
        String first = (swapLayers ? alias : base) + "/layer.tar";
        String second = (swapLayers ? base : alias) + "/layer.tar";
        tar.file("manifest.json", "[{\"Config\":\"" + configHex + ".json\",\"RepoTags\":[\"busybox:legacy\"],"
                + "\"Layers\":[\"" + first + "\",\"" + second + "\"]}]");
        return tar.bytes();
    }

    private static List<Layer> legacyLayers() {
        return List.of(BusyboxImage.baseLayer(), Layer.builder().createdBy("RUN change things")
                .file("/etc/motd", "hello from the second layer\n")
                .whiteout("/etc/group").opaque("/var").file("/var/new", "new\n").build());
    }

    @Test
    void loadsTheLegacyDockerSaveLayoutWithLayerDirectoriesAndSymlinkedLayers() throws Exception {
        BusyboxImage image = busybox(tmp.resolve("layout"));
        List<Layer> layers = legacyLayers();
        ArchiveFixture f = new ArchiveFixture(tmp.resolve("store"));
        List<String> lines = f.archives.load(new ByteArrayInputStream(legacyArchive(image, layers, false)),
                ImageService.ProgressListener.NONE);
        assertThat(lines).containsExactly("Loaded image: busybox:legacy");
        ImageRecord r = f.images.resolve("busybox:legacy");
        assertThat(r.id()).isEqualTo(image.config().digest());
        assertThat(r.manifestDigest()).isNull();
        assertThat(r.diffIds()).containsExactly(Digest.sha256(layers.get(0).tar()), Digest.sha256(layers.get(1).tar()));
        f.withRootfs(ChainIds.top(r.diffIds()), ImageArchivesTest::assertBusyboxTree);
    }

    @Test
    void aLayerWhoseDiffIdContradictsTheConfigIsRefusedAndNoImageIsRecorded() throws Exception {
        BusyboxImage image = busybox(tmp.resolve("layout"));
        List<Layer> layers = legacyLayers();
        ArchiveFixture f = new ArchiveFixture(tmp.resolve("store"));
        assertThatThrownBy(() -> f.archives.load(new ByteArrayInputStream(legacyArchive(image, layers, true)),
                ImageService.ProgressListener.NONE))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("DiffID " + Digest.sha256(layers.get(1).tar()))
                .hasMessageContaining(Digest.sha256(layers.get(0).tar()).toString());
        assertThat(f.images.list()).isEmpty();
        assertThat(f.content.list()).isEmpty();
        List<String> snapshots = new ArrayList<>();
        f.snapshots.walk(i -> snapshots.add(i.key()));
        assertThat(snapshots).isEmpty();
    }

    @Test
    void aCorruptBlobIsRefusedNamingItsDigestAndNothingIsStoredForIt() throws Exception {
        BusyboxImage image = busybox(tmp.resolve("layout"));
        BusyboxImage.LayerBlob victim = image.layers().getLast();
        Path blob = image.layout().resolve("blobs/sha256/" + victim.digest().encoded());
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(blob, bytes);

        ArchiveFixture f = new ArchiveFixture(tmp.resolve("store"));
        assertThatThrownBy(() -> f.archives.load(new ByteArrayInputStream(ArchiveFixture.tarOf(image.layout())),
                ImageService.ProgressListener.NONE))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining(victim.digest().toString())
                .hasMessageContaining("corrupt");
        assertThat(f.content.exists(victim.digest())).isFalse();
        assertThat(f.images.list()).isEmpty();
        assertThat(f.content.list()).as("blobs the failed load added are dropped again").isEmpty();
        assertThat(f.content.ingests()).isEmpty();
    }

    @Test
    void hostileArchiveEntriesAreRefusedAndNothingIsWrittenOutside() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path canary = tmp.resolve("canary");
        Files.writeString(canary, "untouched");
        ArchiveFixture f = new ArchiveFixture(work.resolve("store"));
        record Case(byte[] tar, String expected) {}
        List<Case> cases = List.of(
                new Case(new ArchiveFixture.RawTar().file("../../canary", "owned").bytes(), "outside the archive"),
                new Case(new ArchiveFixture.RawTar().file("/" + canary.toString().substring(1), "owned").bytes(),
                        "absolute path"),
                new Case(new ArchiveFixture.RawTar().file("blobs/../../canary", "owned").bytes(), "outside the archive"),
                new Case(new ArchiveFixture.RawTar().symlink("manifest.json", "../../canary").bytes(),
                        "points outside the archive"),
                new Case(new ArchiveFixture.RawTar().symlink("x.json", "/etc/passwd").bytes(), "points outside the archive"),
                new Case(new ArchiveFixture.RawTar().hardlink("index.json", "../../canary").bytes(), "outside the archive"),
                new Case(new ArchiveFixture.RawTar().hardlink("index.json", "/etc/passwd").bytes(), "absolute path"),
                new Case(new ArchiveFixture.RawTar().file("manifest.json",
                        "[{\"Config\":\"../../canary\",\"RepoTags\":[\"evil:latest\"],\"Layers\":[\"a/layer.tar\"]}]").bytes(),
                        "outside the archive"),
                new Case(new ArchiveFixture.RawTar().file("manifest.json",
                        "[{\"Config\":\"" + canary + "\",\"RepoTags\":[],\"Layers\":[]}]").bytes(), "absolute path"));
        for (Case c : cases) {
            assertThatThrownBy(() -> f.archives.load(new ByteArrayInputStream(c.tar()), ImageService.ProgressListener.NONE))
                    .isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessageContaining(c.expected());
        }
        assertThat(canary).hasContent("untouched");
        try (var listing = Files.list(tmp)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("canary", "work");
        }
        try (var listing = Files.list(work)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("store");
        }
        assertThat(f.images.list()).isEmpty();
        assertThat(f.content.list()).isEmpty();
    }

    @Test
    void importTurnsARootfsTarIntoAOneLayerImageWithTheChangesInItsConfig() throws Exception {
        Layer rootfs = Layer.builder().file("/hello", "hi\n").dir("/w").build();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(rootfs.tar());
        }
        ArchiveFixture f = new ArchiveFixture(tmp.resolve("store"));
        ImageRecord r = f.archives.importRootfs(new ByteArrayInputStream(gz.toByteArray()),
                Optional.of(Reference.parse("imported:1")),
                List.of("CMD [\"sh\"]", "ENV A=1", "WORKDIR /w", "EXPOSE 80/tcp", "LABEL k=v", "ENTRYPOINT echo hi",
                        "USER nobody", "VOLUME /data", "STOPSIGNAL SIGTERM", "ONBUILD RUN true", "env B \"two words\""),
                "my message", Optional.of(Platform.parse("linux/arm64/v8")));

        assertThat(f.images.resolve("imported:1")).isEqualTo(r);
        assertThat(r.diffIds()).containsExactly(Digest.sha256(rootfs.tar()));
        ImageConfig config;
        try (InputStream in = f.content.open(r.id())) {
            byte[] bytes = in.readAllBytes();
            assertThat(Digest.sha256(bytes)).isEqualTo(r.id());
            config = Json.mapper().readValue(bytes, ImageConfig.class);
        }
        ImageConfig.Config c = config.config();
        assertThat(c.cmd()).containsExactly("sh");
        assertThat(c.entrypoint()).containsExactly("/bin/sh", "-c", "echo hi");
        assertThat(c.env()).containsExactly("A=1", "B=two words");
        assertThat(c.workingDir()).isEqualTo("/w");
        assertThat(c.exposedPorts()).containsOnlyKeys("80/tcp");
        assertThat(c.labels()).containsExactly(Map.entry("k", "v"));
        assertThat(c.user()).isEqualTo("nobody");
        assertThat(c.volumes()).containsOnlyKeys("/data");
        assertThat(c.stopSignal()).isEqualTo("SIGTERM");
        assertThat(c.onBuild()).containsExactly("RUN true");
        assertThat(config.architecture()).isEqualTo("arm64");
        assertThat(config.variant()).isEqualTo("v8");
        assertThat(config.os()).isEqualTo("linux");
        assertThat(config.created()).isNotNull();
        assertThat(config.history()).singleElement().extracting(ImageConfig.History::comment).isEqualTo("my message");
        // the layer is kept gzip-compressed
        try (InputStream in = f.content.open(r.layers().getFirst())) {
            byte[] head = in.readNBytes(2);
            assertThat(head[0] & 0xff).isEqualTo(0x1f);
            assertThat(head[1] & 0xff).isEqualTo(0x8b);
        }
        assertThat(f.events.recent()).filteredOn(e -> e.action().equals("import")).singleElement()
                .extracting(Event::actorId).isEqualTo(r.id().toString());
        f.withRootfs(ChainIds.top(r.diffIds()), root -> assertThat(root.resolve("hello")).hasContent("hi"));
    }

    @Test
    void importAcceptsZstdAndPlainTarsAndDefaultsTheComment() throws Exception {
        Layer rootfs = Layer.builder().file("/a", "a\n").build();
        ByteArrayOutputStream zst = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(zst)) {
            z.write(rootfs.tar());
        }
        ArchiveFixture f = new ArchiveFixture(tmp.resolve("store"));
        ImageRecord fromZstd = f.archives.importRootfs(new ByteArrayInputStream(zst.toByteArray()), Optional.empty(),
                List.of(), "", Optional.empty());
        ImageRecord fromPlain = f.archives.importRootfs(new ByteArrayInputStream(rootfs.tar()), Optional.empty(),
                List.of(), null, Optional.empty());
        assertThat(fromZstd.diffIds()).isEqualTo(fromPlain.diffIds()).containsExactly(Digest.sha256(rootfs.tar()));
        try (InputStream in = f.content.open(fromPlain.id())) {
            ImageConfig config = Json.mapper().readValue(in, ImageConfig.class);
            assertThat(config.history().getFirst().comment()).isEqualTo("Imported from -");
            assertThat(config.platform().toString()).isEqualTo(Platform.host().toString());
        }
    }

    @Test
    void anInvalidChangeIsRefusedNamingTheInstructionAndNothingIsStored() {
        ArchiveFixture f = new ArchiveFixture(tmp.resolve("store"));
        byte[] tar = Layer.builder().file("/a", "a").build().tar();
        assertThatThrownBy(() -> f.archives.importRootfs(new ByteArrayInputStream(tar), Optional.empty(),
                List.of("ENV A=1", "RUN rm -rf /"), "", Optional.empty()))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("RUN is not a valid change command");
        assertThatThrownBy(() -> f.archives.importRootfs(new ByteArrayInputStream(tar), Optional.empty(),
                List.of("EXPOSE 99999"), "", Optional.empty()))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("99999");
        assertThatThrownBy(() -> f.archives.importRootfs(new ByteArrayInputStream(tar),
                Optional.of(Reference.parse("x@sha256:" + "a".repeat(64))), List.of(), "", Optional.empty()))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("not given a digest");
        assertThat(f.images.list()).isEmpty();
        assertThat(f.content.list()).isEmpty();
    }

    @Test
    void importOfSomethingThatIsNotATarIsRefusedAndItsBlobDropped() {
        ArchiveFixture f = new ArchiveFixture(tmp.resolve("store"));
        byte[] junk = "this is not a tar archive, just text that goes on and on".repeat(40)
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> f.archives.importRootfs(new ByteArrayInputStream(junk), Optional.empty(), List.of(),
                "", Optional.empty()))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageStartingWith("the imported archive is corrupt or truncated");
        assertThat(f.images.list()).isEmpty();
        assertThat(f.content.list()).isEmpty();
    }

    @Test
    void saveRegeneratesALayerWhoseBlobIsGoneFromItsSnapshotWhenBerthWroteThatLayer() throws Exception {
        BusyboxImage image = BusyboxImage.build(tmp.resolve("layout"));
        ArchiveFixture f = new ArchiveFixture(tmp.resolve("store"));
        f.archives.load(new ByteArrayInputStream(ArchiveFixture.tarOf(image.layout())), ImageService.ProgressListener.NONE);
        Digest base = image.layers().getFirst().diffId();
        // a layer made the way commit and build make theirs: files in an upper dir, diffed into a tar
        Mounts work = f.snapshots.prepare("work", base.toString());
        Path upper = work.upperDir().orElseThrow();
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/motd"), "made here\n");
        Files.createDirectories(upper.resolve("srv/data"));
        Files.writeString(upper.resolve("srv/data/file"), "data\n");
        ByteArrayOutputStream layerTar = new ByteArrayOutputStream();
        Changeset.diff(work.lowerDirs(), upper, layerTar);
        Digest diffId = Digest.sha256(layerTar.toByteArray());
        f.snapshots.commit(ChainIds.next(base, diffId).toString(), "work");

        ObjectNode config = (ObjectNode) JSON.readTree(image.configBytes());
        ((ArrayNode) config.get("rootfs").get("diff_ids")).add(diffId.toString());
        ((ArrayNode) config.get("history")).addObject().put("created_by", "berth commit");
        Digest id = f.archives.storeBytes(JSON.writeValueAsBytes(config));
        Digest goneBlob = Digest.sha256("never stored".getBytes(StandardCharsets.UTF_8));
        f.images.put(new ImageRecord(id, null, null, List.of(image.layers().getFirst().digest(), goneBlob),
                List.of(base, diffId), 0, null, null));
        f.images.tag(Reference.parse("made:1"), id);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.archives.save(List.of(f.images.resolve("made:1")), out);
        assertThat(untar(out.toByteArray()).get("blobs/sha256/" + diffId.encoded())).isEqualTo(layerTar.toByteArray());
        assertThat(f.content.exists(diffId)).as("the regenerated tar is not kept").isFalse();
        assertThat(f.content.ingests()).isEmpty();
        List<String> keys = new ArrayList<>();
        f.snapshots.walk(i -> keys.add(i.key()));
        assertThat(keys).containsExactlyInAnyOrder(base.toString(), ChainIds.next(base, diffId).toString());

        ArchiveFixture b = new ArchiveFixture(tmp.resolve("b"));
        assertThat(b.archives.load(new ByteArrayInputStream(out.toByteArray()), ImageService.ProgressListener.NONE))
                .containsExactly("Loaded image: made:1");
        assertThat(b.images.resolve("made:1").id()).isEqualTo(id);
        b.withRootfs(ChainIds.next(base, diffId), root -> {
            assertThat(root.resolve("etc/motd")).hasContent("made here");
            assertThat(root.resolve("srv/data/file")).hasContent("data");
            assertThat(root.resolve("bin/busybox")).isRegularFile();
        });
    }

    @Test
    void saveRefusesALayerWhoseBlobIsGoneAndWhoseSnapshotDoesNotReproduceItNamingTheLayer() throws Exception {
        BusyboxImage image = busybox(tmp.resolve("layout"));
        ArchiveFixture f = new ArchiveFixture(tmp.resolve("store"));
        f.archives.load(new ByteArrayInputStream(ArchiveFixture.tarOf(image.layout())), ImageService.ProgressListener.NONE);
        Digest gone = image.layers().getLast().digest();
        f.content.delete(gone);
        assertThatThrownBy(() -> f.archives.save(List.of(f.images.get(image.config().digest()).orElseThrow()),
                OutputStream.nullOutputStream()))
                .isInstanceOf(EngineException.FailedPrecondition.class)
                .hasMessageContaining(image.layers().getLast().diffId().toString())
                .hasMessageContaining(gone.toString())
                .hasMessageContaining("no longer give the same tar");
        assertThat(f.content.ingests()).isEmpty();
        List<String> keys = new ArrayList<>();
        f.snapshots.walk(i -> keys.add(i.key()));
        assertThat(keys).as("the scratch snapshot is removed").hasSize(image.layers().size());
    }

    @Test
    void skopeoReadsTheSavedArchiveAndItsOwnDockerArchiveLoadsBack() throws Exception {
        BusyboxImage image = busybox(tmp.resolve("layout"));
        ArchiveFixture a = new ArchiveFixture(tmp.resolve("a"));
        a.archives.load(new ByteArrayInputStream(ArchiveFixture.tarOf(image.layout())), ImageService.ProgressListener.NONE);
        Digest id = image.config().digest();
        a.images.tag(Reference.parse("busybox:latest"), id);
        Path saved = tmp.resolve("saved.tar");
        try (OutputStream out = Files.newOutputStream(saved)) {
            a.archives.save(List.of(a.images.get(id).orElseThrow()), out);
        }

        String inspect = run("skopeo", "inspect", "--config", "docker-archive:" + saved);
        JsonNode cfg = JSON.readTree(inspect);
        assertThat(cfg.get("config").get("Labels").get("k").asText()).isEqualTo("v");
        String raw = run("skopeo", "inspect", "docker-archive:" + saved);
        assertThat(JSON.readTree(raw).get("Layers")).hasSize(image.layers().size());

        Path oci = tmp.resolve("oci");
        run("skopeo", "--insecure-policy", "copy", "--quiet", "docker-archive:" + saved, "oci:" + oci + ":busybox:latest");
        JsonNode ociIndex = JSON.readTree(oci.resolve("index.json").toFile());
        assertThat(ociIndex.get("manifests")).hasSize(1);
        Digest ociManifest = Digest.parse(ociIndex.get("manifests").get(0).get("digest").asText());
        // skopeo re-serialises the config when it converts to OCI (and gzips the layers), so the id it
        // ends up with is the digest of its config; the layers (DiffIDs) stay the same
        Digest skopeoId = Digest.parse(JSON.readTree(oci.resolve("blobs/sha256/" + ociManifest.encoded()).toFile())
                .get("config").get("digest").asText());
        List<Digest> diffIds = image.layers().stream().map(BusyboxImage.LayerBlob::diffId).toList();

        Path back = tmp.resolve("back.tar");
        run("skopeo", "--insecure-policy", "copy", "--quiet", "oci:" + oci + ":busybox:latest",
                "docker-archive:" + back + ":busybox:copied");
        ArchiveFixture b = new ArchiveFixture(tmp.resolve("b"));
        List<String> lines;
        try (InputStream in = Files.newInputStream(back)) {
            lines = b.archives.load(in, ImageService.ProgressListener.NONE);
        }
        assertThat(lines).containsExactly("Loaded image: busybox:copied");
        ImageRecord r = b.images.resolve("busybox:copied");
        assertThat(r.id()).isEqualTo(skopeoId);
        assertThat(r.diffIds()).isEqualTo(diffIds);
        b.withRootfs(ChainIds.top(r.diffIds()), ImageArchivesTest::assertBusyboxTree);

        // skopeo's OCI layout names the image "busybox:latest" in its ref.name annotation
        ArchiveFixture c = new ArchiveFixture(tmp.resolve("c"));
        assertThat(c.archives.load(new ByteArrayInputStream(ArchiveFixture.tarOf(oci)), ImageService.ProgressListener.NONE))
                .containsExactly("Loaded image: busybox:latest");
        assertThat(c.images.resolve("busybox:latest").id()).isEqualTo(skopeoId);
        assertThat(c.images.resolve("busybox:latest").manifestDigest()).isEqualTo(ociManifest);
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        assertThat(rc).as(String.join(" ", cmd) + " failed: " + err).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> untar(byte[] tar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.isFile()) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }
}
