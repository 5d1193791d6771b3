package dev.berth.engine.api.images;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.state.Json;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.DockerCli;
import dev.berth.testkit.EngineExtension;
import dev.berth.testkit.Layer;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.RootOnly;
import dev.berth.testkit.WithRegistry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** docker save, load and import against Berth's socket. */
@RootOnly
@WithRegistry
class DockerCliArchivesTest {

    @TempDir
    static Path tmp;
    static LocalRegistry registry;

    @RegisterExtension
    static final EngineExtension engine = EngineExtension.start().serving();

    static DockerCli docker;
    static String app;

    @BeforeAll
    static void start() {
        BusyboxImage.builder()
                .layer(Layer.builder().createdBy("ADD app /app # archive test").file("/app/hello.txt", "hello\n").build())
                .build(tmp.resolve("app")).pushTo(registry, "team/saved:1");
        app = registry.reference("team/saved:1");
        docker = new DockerCli(engine.socket(), tmp);
    }

    static ImageService images() {
        return engine.engine().imageService();
    }

    static Set<String> tarNames(Path tar) throws Exception {
        Set<String> names = new HashSet<>();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        return names;
    }

    @Test
    void saveRemoveAndLoadBringsTheSameImageBack() throws Exception {
        docker.ok("pull", app);
        String id = images().inspect(app).image().id().toString();
        Path archive = tmp.resolve("saved.tar");
        docker.ok("save", "-o", archive.toString(), app);
        assertThat(tarNames(archive)).contains("manifest.json", "index.json", "oci-layout");

        DockerCli.Run rmi = docker.ok("rmi", "-f", id);
        assertThat(rmi.out()).contains("Untagged: " + app).contains("Deleted: " + id);
        assertThat(docker.run("image", "inspect", app).exit()).isEqualTo(1);

        DockerCli.Run load = docker.ok("load", "-i", archive.toString());
        assertThat(load.out()).contains("Loaded image: " + app);
        assertThat(images().inspect(app).image().id().toString()).isEqualTo(id);
        JsonNode inspect = Json.mapper().readTree(docker.ok("image", "inspect", app).out()).get(0);
        assertThat(inspect.path("RootFS").path("Layers")).hasSize(2);
    }

    @Test
    void saveOfAnUnknownImageFailsBeforeWritingAnything() throws Exception {
        Path archive = tmp.resolve("nothing.tar");
        DockerCli.Run r = docker.run("save", "-o", archive.toString(), registry.reference("never/here:1"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("No such image");
    }

    @Test
    void getStreamsOneArchiveForSeveralNamesAndLoadReadsItBack() throws Exception {
        docker.ok("pull", app);
        String copy = registry.reference("team/copy-of-saved:2");
        docker.ok("tag", app, copy);
        Path archive = tmp.resolve("both.tar");
        try (UnixHttp c = UnixHttp.get(engine.socket(), "/v1.47/images/get?names=" + ImagesApiTest.q(app)
                + "&names=" + ImagesApiTest.q(copy))) {
            assertThat(c.status).isEqualTo(200);
            assertThat(c.headers.get("content-type")).isEqualTo("application/x-tar");
            Files.write(archive, c.body());
        }
        JsonNode manifest;
        try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null && !e.getName().equals("manifest.json")) {
                // look for the manifest
            }
            assertThat(e).isNotNull();
            manifest = Json.mapper().readTree(t.readAllBytes());
        }
        assertThat(manifest.get(0).path("RepoTags")).extracting(JsonNode::asText).contains(app, copy);

        try (UnixHttp c = UnixHttp.get(engine.socket(), "/v1.47/images/" + copy + "/get")) {
            assertThat(c.status).isEqualTo(200);
            assertThat(c.body().length).isGreaterThan(1024);
        }

        docker.ok("rmi", "-f", app, copy);
        try (UnixHttp c = UnixHttp.request(engine.socket(), "POST", "/v1.47/images/load?quiet=1",
                java.util.Map.of("Content-Type", "application/x-tar"), Files.readAllBytes(archive))) {
            assertThat(c.status).isEqualTo(200);
            String body = c.text();
            assertThat(body).contains("{\"stream\":\"Loaded image: " + app + "\\n\"}")
                    .contains("{\"stream\":\"Loaded image: " + copy + "\\n\"}")
                    .doesNotContain("progressDetail");
        }
        assertThat(images().inspect(copy).image().id()).isEqualTo(images().inspect(app).image().id());
    }

    @Test
    void loadingSomethingThatIsNotAnArchiveIsAPlainError() throws Exception {
        byte[] junk = "this is not a tar archive at all, just words".repeat(40).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (UnixHttp c = UnixHttp.request(engine.socket(), "POST", "/v1.47/images/load",
                java.util.Map.of("Content-Type", "application/x-tar"), junk)) {
            assertThat(c.status).isEqualTo(400);
            assertThat(Json.mapper().readTree(c.body()).path("message").asText()).isNotBlank();
        }
    }

    @Test
    void importMakesAOneLayerImageWithTheChanges() throws Exception {
        Path rootfs = tmp.resolve("rootfs.tar");
        Files.write(rootfs, Layer.builder().dir("/etc").file("/etc/imported", "yes\n").build().tar());
        String target = registry.reference("team/imported:1");
        DockerCli.Run r = docker.ok("import", "--change", "CMD [\"cat\", \"/etc/imported\"]", "--change", "ENV A=b",
                "--message", "from a tar", rootfs.toString(), target);
        String id = r.out().strip();
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        JsonNode inspect = Json.mapper().readTree(docker.ok("image", "inspect", target).out()).get(0);
        assertThat(inspect.path("Id").asText()).isEqualTo(id);
        assertThat(inspect.path("Config").path("Cmd")).extracting(JsonNode::asText).containsExactly("cat", "/etc/imported");
        assertThat(inspect.path("Config").path("Env")).extracting(JsonNode::asText).contains("A=b");
        assertThat(inspect.path("Comment").asText()).isEqualTo("from a tar");
        assertThat(inspect.path("RootFS").path("Layers")).hasSize(1);
    }
}
