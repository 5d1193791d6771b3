package dev.berth.engine.api.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.state.Json;
import dev.berth.testkit.BusyboxImage;
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

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The images routes over the socket: raw HTTP for the exact bytes, docker-java as a real client. */
@RootOnly
@WithRegistry
class ImagesApiTest {

    @TempDir
    static Path tmp;
    static LocalRegistry registry;

    @RegisterExtension
    static final EngineExtension engine = EngineExtension.start().serving();

    static String busybox;

    @BeforeAll
    static void start() {
        BusyboxImage.build(tmp.resolve("busybox")).pushTo(registry, "library/busybox:latest");
        busybox = registry.reference("library/busybox:latest");
    }

    static ImageService images() {
        return engine.engine().imageService();
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static List<JsonNode> jsonLines(UnixHttp c) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        String line;
        while ((line = c.nextLine()) != null) {
            if (!line.isBlank()) {
                JsonNode n = Json.mapper().readTree(line);
                assertThat(n.isObject()).as("line is a JSON object: %s", line).isTrue();
                lines.add(n);
            }
        }
        return lines;
    }

    @Test
    void pullStreamsWellFormedProgressLinesWithShortLayerIds() throws Exception {
        Path dir = tmp.resolve("two-layers");
        byte[] noise = new byte[300_000];
        new Random(7).nextBytes(noise);
        BusyboxImage two = BusyboxImage.builder()
                .layer(Layer.builder().createdBy("ADD noise # api test").file("/noise.bin", noise).build()).build(dir);
        two.pushTo(registry, "api/two:1");
        List<String> layerIds = two.layers().stream().map(l -> l.digest().shortId()).toList();

        try (UnixHttp c = UnixHttp.post(engine.socket(), "/v1.47/images/create?fromImage="
                + q(registry.reference("api/two")) + "&tag=1")) {
            assertThat(c.status).isEqualTo(200);
            assertThat(c.headers.get("content-type")).isEqualTo("application/json");
            List<JsonNode> lines = jsonLines(c);
            assertThat(lines.getFirst().path("status").asText()).isEqualTo("Pulling from api/two");
            assertThat(lines.getFirst().path("id").asText()).isEqualTo("1");
            assertThat(lines).noneMatch(n -> n.has("error"));
            for (JsonNode n : lines) {
                if (n.has("progressDetail") && n.has("id")) {
                    assertThat(n.path("id").asText()).as("layer id in %s", n).matches("[0-9a-f]{12}").isIn(layerIds);
                }
            }
            for (String id : layerIds) {
                assertThat(lines).as("layer %s ends complete or already stored", id)
                        .anyMatch(n -> n.path("id").asText().equals(id)
                                && List.of("Pull complete", "Already exists").contains(n.path("status").asText()));
            }
            assertThat(lines).anyMatch(n -> n.path("id").asText().equals(layerIds.getLast())
                    && n.path("status").asText().equals("Pull complete"));
            assertThat(lines).anyMatch(n -> n.path("status").asText().equals("Downloading")
                    && n.path("progressDetail").path("total").asLong() > 0
                    && n.path("progress").asText().startsWith("["));
            List<String> statuses = lines.stream().map(n -> n.path("status").asText()).toList();
            assertThat(statuses.get(statuses.size() - 2)).startsWith("Digest: sha256:");
            assertThat(statuses.getLast()).isEqualTo("Status: Downloaded newer image for " + registry.reference("api/two:1"));
        }
    }

    @Test
    void anUnknownImageIsA404BeforeAnyProgress() throws Exception {
        try (UnixHttp c = UnixHttp.post(engine.socket(), "/v1.47/images/create?fromImage="
                + q(registry.reference("library/busybox")) + "&tag=nope")) {
            assertThat(c.status).isEqualTo(404);
            JsonNode body = Json.mapper().readTree(c.body());
            assertThat(body.path("message").asText()).contains("nope");
        }
        try (UnixHttp c = UnixHttp.get(engine.socket(), "/v1.47/images/" + registry.reference("never/pulled:1") + "/json")) {
            assertThat(c.status).isEqualTo(404);
            assertThat(Json.mapper().readTree(c.body()).path("message").asText()).contains("No such image");
        }
    }

    @Test
    void namesWithSlashesAndPortsRouteToTheImage() throws Exception {
        images().pull(dev.berth.engine.image.Reference.parse(busybox), ImageService.PullOptions.defaults(),
                ImageService.ProgressListener.NONE);
        String id = images().inspect(busybox).image().id().toString();
        for (String name : List.of(busybox, q(busybox), registry.reference("library/busybox"), id, id.substring(7, 19))) {
            try (UnixHttp c = UnixHttp.get(engine.socket(), "/v1.47/images/" + name + "/json")) {
                assertThat(c.status).as(name).isEqualTo(200);
                assertThat(Json.mapper().readTree(c.body()).path("Id").asText()).isEqualTo(id);
            }
        }
        String target = registry.reference("deep/er/path");
        try (UnixHttp c = UnixHttp.post(engine.socket(), "/v1.47/images/" + busybox + "/tag?repo=" + q(target) + "&tag=t1")) {
            assertThat(c.status).isEqualTo(201);
        }
        assertThat(images().inspect(target + ":t1").image().id().toString()).isEqualTo(id);
        try (UnixHttp c = UnixHttp.get(engine.socket(), "/v1.47/images/" + target + ":t1/history")) {
            assertThat(c.status).isEqualTo(200);
            JsonNode h = Json.mapper().readTree(c.body());
            assertThat(h.get(0).path("Id").asText()).isEqualTo(id);
            assertThat(h.get(0).path("Tags")).extracting(JsonNode::asText).contains(target + ":t1");
        }
        try (UnixHttp c = UnixHttp.request(engine.socket(), "DELETE", "/v1.47/images/" + target + ":t1", Map.of(), null)) {
            assertThat(c.status).isEqualTo(200);
            assertThat(c.text()).isEqualTo("[{\"Untagged\":\"" + target + ":t1\"}]");
        }
    }

    @Test
    void listFiltersAndSharedSize() throws Exception {
        images().pull(dev.berth.engine.image.Reference.parse(busybox), ImageService.PullOptions.defaults(),
                ImageService.ProgressListener.NONE);
        String filters = q("{\"reference\":[\"" + registry.reference("library/busybox") + "\"]}");
        try (UnixHttp c = UnixHttp.get(engine.socket(), "/v1.47/images/json?filters=" + filters)) {
            JsonNode list = Json.mapper().readTree(c.body());
            assertThat(list).hasSize(1);
            assertThat(list.get(0).path("RepoTags").get(0).asText()).isEqualTo(busybox);
            assertThat(list.get(0).path("SharedSize").asLong()).isEqualTo(-1);
            assertThat(list.get(0).path("Containers").asLong()).isEqualTo(-1);
            assertThat(list.get(0).has("VirtualSize")).isFalse();
        }
        try (UnixHttp c = UnixHttp.get(engine.socket(), "/v1.47/images/json?shared-size=1&filters=" + filters)) {
            assertThat(Json.mapper().readTree(c.body()).get(0).path("SharedSize").asLong()).isNotNegative();
        }
        try (UnixHttp c = UnixHttp.get(engine.socket(), "/v1.43/images/json?filters=" + filters)) {
            assertThat(Json.mapper().readTree(c.body()).get(0).path("VirtualSize").asLong()).isPositive();
        }
        try (UnixHttp c = UnixHttp.get(engine.socket(), "/v1.47/images/json?filters=" + q("{\"color\":[\"red\"]}"))) {
            assertThat(c.status).isEqualTo(400);
            assertThat(c.text()).contains("invalid filter 'color'");
        }
    }

    @Test
    void aMalformedRegistryAuthHeaderIsA400() throws Exception {
        try (UnixHttp c = UnixHttp.request(engine.socket(), "POST", "/v1.47/images/create?fromImage=" + q(busybox),
                Map.of("X-Registry-Auth", "!!not-base64!!"), null)) {
            assertThat(c.status).isEqualTo(400);
            assertThat(c.text()).contains("X-Registry-Auth");
        }
    }

    @Test
    void credentialsFromTheHeaderOrFromAuthReachAPrivateRegistry() throws Exception {
        try (LocalRegistry secure = LocalRegistry.startWithBasicAuth(RegistryExtension.USERNAME, RegistryExtension.PASSWORD)) {
            BusyboxImage.build(tmp.resolve("private")).pushTo(secure, "team/private:1");
            String ref = secure.reference("team/private:1");
            try (UnixHttp c = UnixHttp.post(engine.socket(), "/v1.47/images/create?fromImage=" + q(ref))) {
                assertThat(c.status).as("no login yet").isEqualTo(401);
                assertThat(Json.mapper().readTree(c.body()).path("message").asText()).isNotBlank();
            }
            String header = java.util.Base64.getUrlEncoder().encodeToString(("{\"username\":\"" + RegistryExtension.USERNAME
                    + "\",\"password\":\"" + RegistryExtension.PASSWORD + "\",\"serveraddress\":\"" + secure.host() + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            String viaHeader = secure.reference("team/private:header");
            BusyboxImage.build(tmp.resolve("private-header")).pushTo(secure, "team/private:header");
            try (UnixHttp c = UnixHttp.request(engine.socket(), "POST", "/v1.47/images/create?fromImage=" + q(viaHeader),
                    Map.of("X-Registry-Auth", header), null)) {
                assertThat(c.status).as("credentials from X-Registry-Auth").isEqualTo(200);
                assertThat(jsonLines(c).getLast().path("status").asText())
                        .isEqualTo("Status: Downloaded newer image for " + viaHeader);
            }
            byte[] bad = ("{\"username\":\"" + RegistryExtension.USERNAME + "\",\"password\":\"wrong-pass\",\"serveraddress\":\""
                    + secure.host() + "\"}").getBytes(StandardCharsets.UTF_8);
            try (UnixHttp c = UnixHttp.request(engine.socket(), "POST", "/v1.47/auth",
                    Map.of("Content-Type", "application/json"), bad)) {
                assertThat(c.status).isEqualTo(401);
                assertThat(c.text()).doesNotContain("wrong-pass");
            }
            byte[] good = ("{\"username\":\"" + RegistryExtension.USERNAME + "\",\"password\":\"" + RegistryExtension.PASSWORD
                    + "\",\"serveraddress\":\"" + secure.host() + "\"}").getBytes(StandardCharsets.UTF_8);
            try (UnixHttp c = UnixHttp.request(engine.socket(), "POST", "/v1.47/auth",
                    Map.of("Content-Type", "application/json"), good)) {
                assertThat(c.status).isEqualTo(200);
                assertThat(c.text()).isEqualTo("{\"Status\":\"Login Succeeded\",\"IdentityToken\":\"\"}");
            }
            try (UnixHttp c = UnixHttp.post(engine.socket(), "/v1.47/images/create?fromImage=" + q(ref))) {
                assertThat(c.status).isEqualTo(200);
                List<JsonNode> lines = jsonLines(c);
                assertThat(lines).noneMatch(n -> n.has("error"));
                assertThat(lines.getLast().path("status").asText()).isEqualTo("Status: Downloaded newer image for " + ref);
            }
        }
    }

    @Test
    void closingTheConnectionMidPullCancelsItAndALaterPullCompletes() throws Exception {
        byte[] noise = new byte[1_000_000];
        new Random(11).nextBytes(noise);
        BusyboxImage slow = BusyboxImage.builder()
                .layer(Layer.builder().createdBy("ADD slow # cancel test").file("/slow.bin", noise).build())
                .build(tmp.resolve("slow"));
        slow.pushTo(registry, "api/slow:1");
        String held = slow.layers().getLast().digest().encoded();
        try (StallingProxy proxy = new StallingProxy(registry.port(), held)) {
            String ref = proxy.host() + "/api/slow:1";
            UnixHttp c = UnixHttp.post(engine.socket(), "/v1.47/images/create?fromImage=" + q(ref));
            assertThat(c.status).isEqualTo(200);
            assertThat(c.nextLine()).contains("Pulling from api/slow");
            assertThat(proxy.awaitStalled(20)).as("the engine asked for the held layer").isTrue();
            c.close();
            assertThat(proxy.awaitClosedWhileStalled(20)).as("the cancelled pull stopped downloading").isTrue();
            assertThatThrownBy(() -> images().inspect(ref)).isInstanceOf(EngineException.NotFound.class);

            proxy.release();
            try (UnixHttp again = UnixHttp.post(engine.socket(), "/v1.47/images/create?fromImage=" + q(ref))) {
                List<JsonNode> lines = jsonLines(again);
                assertThat(lines).noneMatch(n -> n.has("error"));
                assertThat(lines.getLast().path("status").asText()).isEqualTo("Status: Downloaded newer image for " + ref);
            }
            assertThat(images().inspect(ref).image().diffIds()).hasSize(2);
        }
    }

    static DockerClient dockerJava() {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix://" + engine.socket())
                .withDockerConfig(tmp.resolve("docker-java-config").toString())
                .build();
        return DockerClientImpl.getInstance(config,
                new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
    }

    @Test
    void dockerJavaPullsListsInspectsAndRemoves() throws Exception {
        BusyboxImage.builder().label("org.example.client", "docker-java").build(tmp.resolve("dj"))
                .pushTo(registry, "api/dj:2");
        String repo = registry.reference("api/dj");
        try (DockerClient client = dockerJava()) {
            boolean done = client.pullImageCmd(repo).withTag("2").exec(new PullImageResultCallback())
                    .awaitCompletion(60, TimeUnit.SECONDS);
            assertThat(done).isTrue();

            List<Image> list = client.listImagesCmd().withImageNameFilter(repo).exec();
            assertThat(list).hasSize(1);
            Image img = list.getFirst();
            assertThat(img.getRepoTags()).containsExactly(repo + ":2");
            assertThat(img.getLabels()).containsEntry("org.example.client", "docker-java");
            assertThat(img.getSize()).isPositive();

            InspectImageResponse inspect = client.inspectImageCmd(repo + ":2").exec();
            assertThat(inspect.getId()).isEqualTo(img.getId()).isEqualTo(images().inspect(repo + ":2").image().id().toString());
            assertThat(inspect.getConfig().getCmd()).containsExactly("sh");
            assertThat(inspect.getOs()).isEqualTo("linux");
            assertThat(inspect.getRootFS().getLayers()).hasSize(1);

            client.removeImageCmd(repo + ":2").exec();
            assertThatThrownBy(() -> client.inspectImageCmd(repo + ":2").exec()).isInstanceOf(NotFoundException.class);
        }
    }
}
