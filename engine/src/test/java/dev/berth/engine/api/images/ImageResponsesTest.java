package dev.berth.engine.api.images;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.api.system.DiskUsageResponse;
import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.image.Reference;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.ImageConfig;
import dev.berth.engine.state.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Docker shapes, field by field, from engine records. */
class ImageResponsesTest {

    static final Digest ID = Digest.sha256("config".getBytes(StandardCharsets.UTF_8));
    static final Digest MANIFEST = Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8));
    static final Digest DIFF1 = Digest.sha256("layer1".getBytes(StandardCharsets.UTF_8));
    static final Digest DIFF2 = Digest.sha256("layer2".getBytes(StandardCharsets.UTF_8));
    static final Instant CREATED = Instant.parse("2024-05-06T07:08:09.123456789Z");
    static final Instant ADDED = Instant.parse("2026-01-02T03:04:05Z");
    static final ImageRecord IMAGE = new ImageRecord(ID, MANIFEST, "application/vnd.oci.image.manifest.v1+json",
            List.of(), List.of(DIFF1, DIFF2), 4_321_000, CREATED, ADDED);
    static final Reference TAG = Reference.parse("127.0.0.1:5000/team/app:1.0");
    static final Reference HUB = Reference.parse("busybox");

    static JsonNode tree(Object o) throws Exception {
        return Json.mapper().readTree(Json.toBytes(o));
    }

    @Test
    void summaryHasDockersFieldsAndNotComputedMarkers() throws Exception {
        var s = new ImageService.ImageSummary(IMAGE, List.of(HUB, TAG), List.of(HUB.withDigest(MANIFEST)),
                Map.of("org.example", "yes"), 2, 1_000);
        JsonNode plain = tree(ImageSummaryResponse.of(s, false, false, false));
        assertThat(plain.path("Id").asText()).isEqualTo(ID.toString());
        assertThat(plain.path("ParentId").asText()).isEmpty();
        assertThat(plain.path("RepoTags")).extracting(JsonNode::asText)
                .containsExactly("busybox:latest", "127.0.0.1:5000/team/app:1.0");
        assertThat(plain.path("RepoDigests").get(0).asText()).isEqualTo("busybox@" + MANIFEST);
        assertThat(plain.path("Created").asLong()).isEqualTo(CREATED.getEpochSecond());
        assertThat(plain.path("Size").asLong()).isEqualTo(4_321_000);
        assertThat(plain.path("SharedSize").asLong()).isEqualTo(-1);
        assertThat(plain.path("Containers").asLong()).isEqualTo(-1);
        assertThat(plain.path("Labels").path("org.example").asText()).isEqualTo("yes");
        assertThat(plain.has("VirtualSize")).isFalse();

        JsonNode asked = tree(ImageSummaryResponse.of(s, true, true, true));
        assertThat(asked.path("SharedSize").asLong()).isEqualTo(1_000);
        assertThat(asked.path("Containers").asLong()).isEqualTo(2);
        assertThat(asked.path("VirtualSize").asLong()).isEqualTo(4_321_000);
    }

    @Test
    void inspectMapsTheImageConfigIntoDockersShape() throws Exception {
        ImageConfig.Config run = new ImageConfig.Config("1000", Map.of("80/tcp", Map.of()), List.of("PATH=/bin"),
                List.of("/entry"), List.of("sh"), Map.of("/data", Map.of()), "/work", Map.of("a", "b"), "SIGTERM",
                null, null, null, null);
        ImageConfig config = new ImageConfig("2024-05-06T07:08:09.123456789Z", "someone", "amd64", "linux", null, null,
                "", run, ImageConfig.RootFs.layers(List.of(DIFF1, DIFF2)),
                List.of(new ImageConfig.History("2024-05-06T07:08:09Z", "ADD rootfs", null, "imported", null)));
        var d = new ImageService.ImageDetails(IMAGE, config, List.of(TAG), List.of(TAG.withDigest(MANIFEST)),
                List.of(DIFF1.toString(), "sha256:chain2"));
        JsonNode j = tree(ImageInspectResponse.of(d));
        assertThat(j.path("Id").asText()).isEqualTo(ID.toString());
        assertThat(j.path("RepoTags").get(0).asText()).isEqualTo("127.0.0.1:5000/team/app:1.0");
        assertThat(j.path("RepoDigests").get(0).asText()).isEqualTo("127.0.0.1:5000/team/app@" + MANIFEST);
        assertThat(j.path("Parent").asText()).isEmpty();
        assertThat(j.path("Comment").asText()).isEqualTo("imported");
        assertThat(j.path("Created").asText()).isEqualTo("2024-05-06T07:08:09.123456789Z");
        assertThat(j.path("DockerVersion").asText()).isEmpty();
        assertThat(j.path("Author").asText()).isEqualTo("someone");
        assertThat(j.path("Architecture").asText()).isEqualTo("amd64");
        assertThat(j.path("Os").asText()).isEqualTo("linux");
        assertThat(j.has("Variant")).as("empty variant is left out").isFalse();
        assertThat(j.path("Size").asLong()).isEqualTo(4_321_000);
        assertThat(j.has("VirtualSize")).isFalse();
        assertThat(j.has("ContainerConfig")).isFalse();
        JsonNode c = j.path("Config");
        assertThat(c.path("User").asText()).isEqualTo("1000");
        assertThat(c.path("Env").get(0).asText()).isEqualTo("PATH=/bin");
        assertThat(c.path("Entrypoint").get(0).asText()).isEqualTo("/entry");
        assertThat(c.path("Cmd").get(0).asText()).isEqualTo("sh");
        assertThat(c.path("WorkingDir").asText()).isEqualTo("/work");
        assertThat(c.path("ExposedPorts").has("80/tcp")).isTrue();
        assertThat(c.path("Volumes").has("/data")).isTrue();
        assertThat(c.path("Labels").path("a").asText()).isEqualTo("b");
        assertThat(c.path("StopSignal").asText()).isEqualTo("SIGTERM");
        assertThat(c.path("Tty").isBoolean()).isTrue();
        assertThat(c.has("OnBuild")).as("Docker sends OnBuild: null").isTrue();
        assertThat(j.path("GraphDriver").path("Name").asText()).isEqualTo("overlayfs");
        assertThat(j.path("GraphDriver").path("Data").path("ChainIDs").asText()).isEqualTo(DIFF1 + ",sha256:chain2");
        assertThat(j.path("RootFS").path("Type").asText()).isEqualTo("layers");
        assertThat(j.path("RootFS").path("Layers")).extracting(JsonNode::asText)
                .containsExactly(DIFF1.toString(), DIFF2.toString());
        assertThat(j.path("Metadata").path("LastTagTime").asText()).isEqualTo("2026-01-02T03:04:05Z");
    }

    @Test
    void inspectOfAnImageWithoutConfigFieldsStillHasEveryField() throws Exception {
        var d = new ImageService.ImageDetails(IMAGE, new ImageConfig(null, null, "amd64", "linux", null, null, null,
                null, null, null), List.of(), List.of(), List.of());
        JsonNode j = tree(ImageInspectResponse.of(d));
        assertThat(j.path("Created").asText()).isEqualTo("2024-05-06T07:08:09.123456789Z");
        assertThat(j.path("RepoTags").isArray()).isTrue();
        assertThat(j.path("Config").path("Cmd").isNull()).isTrue();
        assertThat(j.path("RootFS").path("Layers")).hasSize(2);
        assertThat(j.path("GraphDriver").path("Data").isObject()).isTrue();
    }

    @Test
    void historyDeleteAndPruneHaveDockersShapes() throws Exception {
        JsonNode h = tree(ImageResponses.HistoryItem.of(new ImageService.HistoryEntry("", CREATED, "/bin/sh -c #(nop) CMD",
                0, null, List.of())));
        assertThat(h.path("Id").asText()).isEqualTo("<missing>");
        assertThat(h.path("Created").asLong()).isEqualTo(CREATED.getEpochSecond());
        assertThat(h.path("CreatedBy").asText()).isEqualTo("/bin/sh -c #(nop) CMD");
        assertThat(h.path("Tags").isNull()).isTrue();
        assertThat(h.path("Comment").asText()).isEmpty();

        List<ImageService.RemovedImage> removed = List.of(new ImageService.RemovedImage("busybox:latest", null),
                new ImageService.RemovedImage(null, ID.toString()));
        assertThat(new String(Json.toBytes(ImageResponses.DeleteItem.of(removed)), StandardCharsets.UTF_8))
                .isEqualTo("[{\"Untagged\":\"busybox:latest\"},{\"Deleted\":\"" + ID + "\"}]");

        assertThat(new String(Json.toBytes(ImageResponses.PruneResponse.of(new ImageService.PruneReport(List.of(), 0))),
                StandardCharsets.UTF_8)).isEqualTo("{\"ImagesDeleted\":null,\"SpaceReclaimed\":0}");
        JsonNode p = tree(ImageResponses.PruneResponse.of(new ImageService.PruneReport(removed, 77)));
        assertThat(p.path("ImagesDeleted")).hasSize(2);
        assertThat(p.path("SpaceReclaimed").asLong()).isEqualTo(77);
    }

    @Test
    void diskUsageJoinsUsageWithSummariesAndLeavesOutWhatWasNotAsked() throws Exception {
        var usage = new ImageService.DiskUsage(List.of(new ImageService.DiskUsage.ImageUsage(IMAGE, List.of(HUB),
                4_321_000, 1_000, 4_320_000, 3)), 4_321_000);
        var summary = new ImageService.ImageSummary(IMAGE, List.of(HUB), List.of(HUB.withDigest(MANIFEST)), Map.of("k", "v"),
                3, 1_000);
        JsonNode all = tree(DiskUsageResponse.of(usage, List.of(summary), true, true, true, true));
        assertThat(all.path("LayersSize").asLong()).isEqualTo(4_321_000);
        JsonNode row = all.path("Images").get(0);
        assertThat(row.path("SharedSize").asLong()).isEqualTo(1_000);
        assertThat(row.path("Containers").asLong()).isEqualTo(3);
        assertThat(row.path("RepoDigests").get(0).asText()).isEqualTo("busybox@" + MANIFEST);
        assertThat(row.path("Labels").path("k").asText()).isEqualTo("v");
        assertThat(all.path("Containers").isArray()).isTrue();
        assertThat(all.path("Volumes").isArray()).isTrue();
        assertThat(all.path("BuildCache").isArray()).isTrue();

        JsonNode volumesOnly = tree(DiskUsageResponse.of(new ImageService.DiskUsage(List.of(), 0), List.of(),
                false, false, true, false));
        assertThat(volumesOnly.has("Images")).isFalse();
        assertThat(volumesOnly.has("LayersSize")).isFalse();
        assertThat(volumesOnly.path("Volumes").isArray()).isTrue();
    }

    @Test
    void loadedLinesSayWhatWasLoaded() {
        assertThat(ImagesRouter.loadedLine("busybox:latest")).isEqualTo("Loaded image: busybox:latest\n");
        assertThat(ImagesRouter.loadedLine(ID.toString())).isEqualTo("Loaded image ID: " + ID + "\n");
        assertThat(ImagesRouter.loadedLine("Loaded image: busybox:latest")).isEqualTo("Loaded image: busybox:latest\n");
    }

    @Test
    void pullReferenceCombinesFromImageAndTagAsDockerDoes() {
        assertThat(ImagesRouter.pullReference("busybox", "1.36").toString()).isEqualTo("docker.io/library/busybox:1.36");
        assertThat(ImagesRouter.pullReference("docker.io/library/busybox", "").toString())
                .isEqualTo("docker.io/library/busybox:latest");
        assertThat(ImagesRouter.pullReference("127.0.0.1:5000/a/b", "v2").toString()).isEqualTo("127.0.0.1:5000/a/b:v2");
        assertThat(ImagesRouter.pullReference("127.0.0.1:5000/a/b", MANIFEST.toString()).toString())
                .isEqualTo("127.0.0.1:5000/a/b@" + MANIFEST);
    }
}
