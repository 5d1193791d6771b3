package dev.berth.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import dev.berth.engine.oci.Digest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@WithRegistry
class BusyboxImageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    LocalRegistry registry;

    @TempDir
    Path dir;

    /** A tar entry as read back: type, link target, mode and content. */
    record Read(TarArchiveEntry entry, byte[] content) {}

    @Test
    void pushedImageIsServedBackWithTheSameDigests() throws IOException {
        BusyboxImage image = BusyboxImage.build(dir.resolve("layout"));
        Digest pushed = image.pushTo(registry, "library/busybox:latest");
        assertThat(pushed).isEqualTo(image.manifest().digest());

        HttpResponse<byte[]> manifest = Http.get(registry.url() + "/v2/library/busybox/manifests/latest",
                "Accept", image.manifest().mediaType());
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(Digest.sha256(manifest.body())).isEqualTo(image.manifest().digest());
        assertThat(manifest.headers().firstValue("Docker-Content-Digest")).contains(image.manifest().digest().toString());

        JsonNode m = JSON.readTree(manifest.body());
        List<String> blobs = new ArrayList<>();
        blobs.add(m.path("config").path("digest").asText());
        m.path("layers").forEach(l -> blobs.add(l.path("digest").asText()));
        assertThat(blobs).containsExactly(image.config().digest().toString(),
                image.layers().getFirst().digest().toString());
        for (String digest : blobs) {
            HttpResponse<byte[]> blob = Http.get(registry.url() + "/v2/library/busybox/blobs/" + digest);
            assertThat(blob.statusCode()).as(digest).isEqualTo(200);
            assertThat(Digest.sha256(blob.body()).toString()).isEqualTo(digest);
        }
    }

    @Test
    void baseLayerHoldsTheHostBusyboxAppletLinksAndAccounts() throws IOException {
        BusyboxImage image = BusyboxImage.build(dir.resolve("layout"));
        byte[] gz = image.blob(image.layers().getFirst().digest());
        byte[] tar = new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes();
        assertThat(Digest.sha256(tar)).isEqualTo(image.layers().getFirst().diffId());

        Map<String, Read> entries = readTar(tar);
        assertThat(entries.get("bin/busybox").content()).isEqualTo(Files.readAllBytes(BusyboxImage.HOST_BUSYBOX));
        assertThat(entries.get("bin/busybox").entry().getMode() & 07777).isEqualTo(0755);
        for (String applet : List.of("sh", "echo", "ls", "[", "sleep", "wget", "nc")) {
            TarArchiveEntry link = entries.get("bin/" + applet).entry();
            assertThat(link.isSymbolicLink()).as(applet).isTrue();
            assertThat(link.getLinkName()).isEqualTo("/bin/busybox");
        }
        assertThat(new String(entries.get("etc/passwd").content())).isEqualTo(
                "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n");
        assertThat(new String(entries.get("etc/group").content())).isEqualTo("root:x:0:\nnogroup:x:65534:\n");
        assertThat(entries.get("tmp/").entry().isDirectory()).isTrue();
        assertThat(entries.get("tmp/").entry().getMode() & 07777).isEqualTo(01777);
        assertThat(entries).containsKeys("proc/", "sys/", "dev/", "root/", "home/", "var/", "etc/");

        JsonNode config = JSON.readTree(image.configBytes());
        assertThat(config.path("architecture").asText()).isEqualTo("amd64");
        assertThat(config.path("os").asText()).isEqualTo("linux");
        assertThat(config.path("config").path("Cmd").get(0).asText()).isEqualTo("sh");
        assertThat(config.path("config").path("Env").get(0).asText()).startsWith("PATH=");
        assertThat(config.path("rootfs").path("diff_ids").get(0).asText())
                .isEqualTo(image.layers().getFirst().diffId().toString());
        assertThat(config.path("history")).hasSize(1);
    }

    @Test
    void buildingTwiceGivesTheSameDigests() {
        BusyboxImage a = BusyboxImage.build(dir.resolve("a"));
        BusyboxImage b = BusyboxImage.build(dir.resolve("b"));
        assertThat(b.manifest()).isEqualTo(a.manifest());
        assertThat(b.layers()).isEqualTo(a.layers());
    }

    @Test
    void extraLayerCarriesFilesWhiteoutsAndOpaqueDirectories() throws IOException {
        Layer extra = Layer.builder()
                .file("/srv/www/index.html", "hello\n")
                .whiteout("/etc/group")
                .opaque("/var")
                .symlink("/srv/current", "www")
                .build();
        BusyboxImage image = BusyboxImage.builder().layer(extra).build(dir.resolve("layout"));
        assertThat(image.layers()).hasSize(2);
        byte[] tar = new GZIPInputStream(new ByteArrayInputStream(image.blob(image.layers().get(1).digest())))
                .readAllBytes();
        Map<String, Read> entries = readTar(tar);
        assertThat(entries.keySet()).containsExactly(
                "etc/", "etc/.wh.group", "srv/", "srv/current", "srv/www/", "srv/www/index.html",
                "var/", "var/.wh..wh..opq");
        assertThat(new String(entries.get("srv/www/index.html").content())).isEqualTo("hello\n");

        JsonNode config = JSON.readTree(image.configBytes());
        assertThat(config.path("rootfs").path("diff_ids")).hasSize(2);
        assertThat(config.path("history")).hasSize(2);
    }

    @Test
    void dockerSchema2ImageIsPushedWithDockerMediaTypes() throws IOException {
        BusyboxImage image = BusyboxImage.builder().mediaTypes(BusyboxImage.MediaTypes.DOCKER)
                .build(dir.resolve("layout"));
        assertThat(image.manifest().mediaType()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        Digest pushed = image.pushTo(registry, "docker/busybox:v2s2");
        assertThat(pushed).isEqualTo(image.manifest().digest());

        HttpResponse<byte[]> manifest = Http.get(registry.url() + "/v2/docker/busybox/manifests/v2s2",
                "Accept", "application/vnd.docker.distribution.manifest.v2+json");
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(manifest.body()).isEqualTo(image.manifestBytes());
        JsonNode m = JSON.readTree(manifest.body());
        assertThat(m.path("config").path("mediaType").asText()).isEqualTo("application/vnd.docker.container.image.v1+json");
        assertThat(m.path("layers").get(0).path("mediaType").asText())
                .isEqualTo("application/vnd.docker.image.rootfs.diff.tar.gzip");
    }

    @Test
    void dockerManifestListIsPushedWithBothImages() throws IOException {
        BusyboxImage image = BusyboxImage.builder().mediaTypes(BusyboxImage.MediaTypes.DOCKER).multiPlatform()
                .build(dir.resolve("layout"));
        BusyboxImage.Descriptor list = image.index().orElseThrow();
        assertThat(list.mediaType()).isEqualTo("application/vnd.docker.distribution.manifest.list.v2+json");
        assertThat(image.pushTo(registry, "docker/multi:latest")).isEqualTo(list.digest());
        HttpResponse<byte[]> served = Http.get(registry.url() + "/v2/docker/multi/manifests/latest",
                "Accept", list.mediaType());
        assertThat(served.body()).isEqualTo(image.indexBytes().orElseThrow());
        BusyboxImage.PlatformImage arm = image.images().get(1);
        HttpResponse<byte[]> child = Http.get(registry.url() + "/v2/docker/multi/manifests/" + arm.manifest().digest(),
                "Accept", arm.manifest().mediaType());
        assertThat(child.body()).isEqualTo(arm.manifestBytes());
    }

    @Test
    void zstdAndUncompressedLayersDecodeToTheDiffId() throws IOException {
        BusyboxImage zstd = BusyboxImage.builder().compression(BusyboxImage.Compression.ZSTD).build(dir.resolve("z"));
        BusyboxImage.LayerBlob z = zstd.layers().getFirst();
        assertThat(z.mediaType()).isEqualTo("application/vnd.oci.image.layer.v1.tar+zstd");
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(zstd.blob(z.digest())))) {
            assertThat(Digest.sha256(in.readAllBytes())).isEqualTo(z.diffId());
        }
        assertThat(zstd.pushTo(registry, "zstd/busybox:1")).isEqualTo(zstd.manifest().digest());

        BusyboxImage plain = BusyboxImage.builder().compression(BusyboxImage.Compression.NONE).build(dir.resolve("p"));
        BusyboxImage.LayerBlob p = plain.layers().getFirst();
        assertThat(p.mediaType()).isEqualTo("application/vnd.oci.image.layer.v1.tar");
        assertThat(p.digest()).isEqualTo(p.diffId()).isEqualTo(z.diffId());
    }

    @Test
    void dockerTypesHaveNoZstd() {
        assertThatThrownBy(() -> BusyboxImage.builder().mediaTypes(BusyboxImage.MediaTypes.DOCKER)
                .compression(BusyboxImage.Compression.ZSTD).build(dir.resolve("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zstd");
    }

    @Test
    void multiPlatformIndexIsPushedWithBothImages() throws IOException {
        BusyboxImage image = BusyboxImage.builder().multiPlatform().build(dir.resolve("layout"));
        BusyboxImage.Descriptor index = image.index().orElseThrow();
        assertThat(image.images()).extracting(BusyboxImage.PlatformImage::platform)
                .containsExactly("linux/amd64", "linux/arm64/v8");
        assertThat(image.pushTo(registry, "multi/busybox:latest")).isEqualTo(index.digest());

        HttpResponse<byte[]> served = Http.get(registry.url() + "/v2/multi/busybox/manifests/latest",
                "Accept", index.mediaType());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(Digest.sha256(served.body())).isEqualTo(index.digest());
        JsonNode manifests = JSON.readTree(served.body()).path("manifests");
        assertThat(manifests).hasSize(2);
        assertThat(manifests.get(1).path("platform").path("architecture").asText()).isEqualTo("arm64");
        assertThat(manifests.get(1).path("platform").path("variant").asText()).isEqualTo("v8");
        for (BusyboxImage.PlatformImage img : image.images()) {
            HttpResponse<byte[]> child = Http.get(registry.url() + "/v2/multi/busybox/manifests/" + img.manifest().digest(),
                    "Accept", img.manifest().mediaType());
            assertThat(child.statusCode()).as(img.platform()).isEqualTo(200);
            assertThat(child.body()).isEqualTo(img.manifestBytes());
            for (BusyboxImage.LayerBlob layer : img.layers()) {
                HttpResponse<byte[]> blob = Http.get(registry.url() + "/v2/multi/busybox/blobs/" + layer.digest());
                assertThat(Digest.sha256(blob.body())).isEqualTo(layer.digest());
            }
        }
    }

    @Test
    void rawEntriesAreWrittenVerbatimForHostileLayerTests() throws IOException {
        Layer hostile = Layer.builder()
                .rawEntry("../escape.txt", org.apache.commons.compress.archivers.tar.TarConstants.LF_NORMAL, null,
                        "x".getBytes(), 0644)
                .build();
        assertThat(readTar(hostile.tar())).containsOnlyKeys("../escape.txt");
        assertThatThrownBy(() -> Layer.builder().file("/a/../../b", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rawEntry");
    }

    static Map<String, Read> readTar(byte[] tar) throws IOException {
        Map<String, Read> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), new Read(e, in.readAllBytes()));
            }
        }
        return out;
    }
}
