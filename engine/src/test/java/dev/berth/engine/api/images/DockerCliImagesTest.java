package dev.berth.engine.api.images;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.state.Json;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.DockerCli;
import dev.berth.testkit.EngineExtension;
import dev.berth.testkit.Layer;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.RegistryExtension;
import dev.berth.testkit.RootOnly;
import dev.berth.testkit.WithRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The installed docker CLI against Berth's socket, pulling from and pushing to a real registry on 127.0.0.1. */
@RootOnly
@WithRegistry
class DockerCliImagesTest {

    @TempDir
    static Path tmp;
    static LocalRegistry registry;

    @RegisterExtension
    static final EngineExtension engine = EngineExtension.start().serving();

    static DockerCli docker;
    static String busybox;
    static String app;

    @BeforeAll
    static void start() {
        BusyboxImage.build(tmp.resolve("busybox")).pushTo(registry, "library/busybox:latest");
        BusyboxImage.builder()
                .layer(Layer.builder().createdBy("ADD app /app # cli test").file("/app/hello.txt", "hello\n").build())
                .label("org.example.role", "cli-test").cmd("cat", "/app/hello.txt")
                .build(tmp.resolve("app")).pushTo(registry, "team/app:1.0");
        busybox = registry.reference("library/busybox:latest");
        app = registry.reference("team/app:1.0");
        docker = new DockerCli(engine.socket(), tmp);
    }

    static ImageService images() {
        return engine.engine().imageService();
    }

    @Test
    void pullShowsLayerProgressAndTheDigestThenImagesListsIt() throws Exception {
        Digest manifest = BusyboxImage.builder()
                .layer(Layer.builder().createdBy("ADD first /first # cli test").file("/first.txt", "first\n").build())
                .build(tmp.resolve("first")).pushTo(registry, "cli/first:latest");
        String first = registry.reference("cli/first:latest");
        DockerCli.Run pull = docker.ok("pull", first);
        assertThat(pull.out()).contains("latest: Pulling from cli/first")
                .containsPattern("(?m)^[0-9a-f]{12}: Pull complete$")
                .contains("Digest: " + manifest)
                .contains("Status: Downloaded newer image for " + first)
                .endsWith(first + "\n");

        DockerCli.Run again = docker.ok("pull", first);
        assertThat(again.out()).contains("Status: Image is up to date for " + first).doesNotContain("Pull complete");

        String id = images().inspect(first).image().id().shortId();
        DockerCli.Run list = docker.ok("images");
        assertThat(list.out()).startsWith("REPOSITORY").containsPattern("(?m)^"
                + java.util.regex.Pattern.quote(registry.host() + "/cli/first") + "\\s+latest\\s+" + id + "\\s");
        DockerCli.Run quiet = docker.ok("images", "-q", "--no-trunc");
        assertThat(quiet.out()).contains(images().inspect(first).image().id().toString());
    }

    @Test
    void pullOfAnUnknownTagFailsWithDockersErrorAndExitOne() throws Exception {
        DockerCli.Run r = docker.run("pull", registry.reference("library/busybox:no-such-tag"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("Error response from daemon").contains("no-such-tag").containsIgnoringCase("not found");
        assertThat(r.out()).doesNotContain("Pulling from");
    }

    @Test
    void inspectAndHistoryShowTheImagesConfig() throws Exception {
        docker.ok("pull", app);
        JsonNode inspect = Json.mapper().readTree(docker.ok("image", "inspect", app).out());
        assertThat(inspect.isArray()).isTrue();
        JsonNode i = inspect.get(0);
        ImageService.ImageDetails d = images().inspect(app);
        assertThat(i.path("Id").asText()).isEqualTo(d.image().id().toString());
        assertThat(i.path("RepoTags").get(0).asText()).isEqualTo(app);
        assertThat(i.path("RepoDigests").get(0).asText()).startsWith(registry.reference("team/app@sha256:"));
        assertThat(i.path("Config").path("Cmd")).extracting(JsonNode::asText).containsExactly("cat", "/app/hello.txt");
        assertThat(i.path("Config").path("Labels").path("org.example.role").asText()).isEqualTo("cli-test");
        assertThat(i.path("Config").path("Env").get(0).asText()).isEqualTo(BusyboxImage.PATH_ENV);
        assertThat(i.path("Os").asText()).isEqualTo("linux");
        assertThat(i.path("Architecture").asText()).isEqualTo("amd64");
        assertThat(i.path("Size").asLong()).isEqualTo(d.image().size()).isPositive();
        assertThat(i.path("RootFS").path("Layers")).hasSize(2);
        assertThat(i.path("GraphDriver").path("Name").asText()).isEqualTo("overlayfs");

        String format = docker.ok("image", "inspect", "--format", "{{.Id}} {{.Os}} {{index .Config.Labels \"org.example.role\"}}",
                app).out().strip();
        assertThat(format).isEqualTo(d.image().id() + " linux cli-test");

        DockerCli.Run history = docker.ok("history", "--no-trunc", app);
        assertThat(history.out()).contains("ADD app /app # cli test").contains("ADD busybox /bin/busybox # berth testkit");
        assertThat(history.out()).contains(d.image().id().toString());
    }

    @Test
    void tagPushRemoveAndPullBack() throws Exception {
        docker.ok("pull", busybox);
        String copy = registry.reference("team/copy:v1");
        docker.ok("tag", busybox, copy);
        assertThat(docker.ok("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").out())
                .contains(copy + " " + images().inspect(busybox).image().id().shortId());

        DockerCli.Run push = docker.ok("push", copy);
        assertThat(push.out()).contains("The push refers to repository [" + registry.host() + "/team/copy]")
                .containsPattern("v1: digest: sha256:[0-9a-f]{64} size: \\d+");

        DockerCli.Run untag = docker.ok("rmi", copy);
        assertThat(untag.out()).contains("Untagged: " + copy).doesNotContain("Deleted:");
        assertThat(docker.ok("images", "--format", "{{.Repository}}:{{.Tag}}").out()).doesNotContain(copy)
                .contains(busybox);

        DockerCli.Run back = docker.ok("pull", copy);
        assertThat(back.out()).contains("Digest: sha256:").contains("Status: Downloaded newer image for " + copy);
        assertThat(images().inspect(copy).image().id()).isEqualTo(images().inspect(busybox).image().id());
    }

    @Test
    void rmiUntagsWhileOtherTagsRemainAndDeletesByIdOtherwise() throws Exception {
        String only = registry.reference("team/app:1.0");
        docker.ok("pull", only);
        String id = images().inspect(only).image().id().toString();
        String second = registry.reference("team/app:second");
        docker.ok("tag", only, second);
        DockerCli.Run untag = docker.ok("rmi", second);
        assertThat(untag.out().strip()).isEqualTo("Untagged: " + second);
        assertThat(images().inspect(only).image().id().toString()).isEqualTo(id);

        DockerCli.Run delete = docker.ok("rmi", id.substring("sha256:".length(), 19));
        assertThat(delete.out()).contains("Untagged: " + only).contains("Deleted: " + id);
        DockerCli.Run gone = docker.run("image", "inspect", only);
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("No such image");
    }

    @Test
    void rmiOfAnUnknownImageFailsWithNoSuchImage() throws Exception {
        DockerCli.Run r = docker.run("rmi", registry.reference("nothing/here:1"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("No such image");
    }

    @Test
    void imagePruneDeletesTheImageATagMovedAwayFrom() throws Exception {
        String moving = registry.reference("team/moving:1");
        BusyboxImage.builder()
                .layer(Layer.builder().createdBy("ADD old /old # prune test").file("/old.txt", "old\n").build())
                .build(tmp.resolve("old")).pushTo(registry, "team/moving:1");
        docker.ok("pull", moving);
        String oldId = images().inspect(moving).image().id().toString();
        BusyboxImage.build(tmp.resolve("new")).pushTo(registry, "team/moving:1");
        docker.ok("pull", moving);
        assertThat(images().inspect(moving).image().id().toString()).isNotEqualTo(oldId);
        assertThat(docker.ok("images", "--filter", "dangling=true", "-q", "--no-trunc").out()).contains(oldId);

        DockerCli.Run prune = docker.ok("image", "prune", "-f");
        assertThat(prune.out()).contains("deleted: " + oldId).containsPattern("Total reclaimed space: \\d");
        assertThat(docker.ok("images", "-a", "-q", "--no-trunc").out()).doesNotContain(oldId);
    }

    @Test
    void searchListsTheRepositoriesOfAPrivateRegistry() throws Exception {
        DockerCli.Run r = docker.ok("search", registry.host() + "/library");
        assertThat(r.out()).startsWith("NAME").contains(registry.host() + "/library/busybox");
        DockerCli.Run none = docker.ok("search", registry.host() + "/no-such-repository-here");
        assertThat(none.out().strip()).startsWith("NAME").doesNotContain(registry.host() + "/");
    }

    @Test
    void loginChecksTheCredentialsAndLetsPullsAndPushesUseThem() throws Exception {
        try (LocalRegistry secure = LocalRegistry.startWithBasicAuth(RegistryExtension.USERNAME, RegistryExtension.PASSWORD)) {
            BusyboxImage.build(tmp.resolve("private")).pushTo(secure, "team/private:1");
            String ref = secure.reference("team/private:1");
            // (no CLI pull before the login: on a 401 the CLI asks for a login on its terminal, as it does against Docker)
            DockerCli.Run bad = docker.run("login", "-u", RegistryExtension.USERNAME, "-p", "not-the-password", secure.host());
            assertThat(bad.exit()).isEqualTo(1);
            assertThat(bad.err()).contains("Error response from daemon").doesNotContain("not-the-password");

            DockerCli.Run good = docker.ok("login", "-u", RegistryExtension.USERNAME, "-p", RegistryExtension.PASSWORD,
                    secure.host());
            assertThat(good.out()).contains("Login Succeeded");
            assertThat(docker.ok("pull", ref).out()).contains("Status: Downloaded newer image for " + ref);
            String pushed = secure.reference("team/pushed:2");
            docker.ok("tag", ref, pushed);
            assertThat(docker.ok("push", pushed).out()).containsPattern("2: digest: sha256:[0-9a-f]{64} size: \\d+");
        }
    }

    @Test
    void systemDfCountsTheImages() throws Exception {
        docker.ok("pull", busybox);
        int count = images().list(false, Map.of()).size();
        DockerCli.Run df = docker.ok("system", "df");
        assertThat(df.out()).containsPattern("(?m)^Images\\s+" + count + "\\s+\\d+\\s+");
        assertThat(df.out()).contains("Containers").contains("Local Volumes").contains("Build Cache");
        DockerCli.Run verbose = docker.ok("system", "df", "-v");
        assertThat(verbose.out()).contains("SHARED SIZE").contains("UNIQUE SIZE");
        for (ImageService.DiskUsage.ImageUsage u : images().diskUsage().images()) {
            // the CLI shows each image once, under its first tag
            assertThat(verbose.out()).containsPattern("(?m)^\\S+\\s+\\S+\\s+" + u.image().id().shortId() + "\\s");
        }
    }
}
