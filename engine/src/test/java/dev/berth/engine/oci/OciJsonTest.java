package dev.berth.engine.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.state.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wire records read real-world-shaped JSON, keep the exact names when written, and keep manifest bytes. */
class OciJsonTest {

    static final String L1 = "sha256:" + "a".repeat(64);
    static final String L2 = "sha256:" + "b".repeat(64);
    static final String CFG = "sha256:" + "c".repeat(64);

    // shaped like Docker Hub's busybox manifest list
    static final String DOCKER_LIST = """
            {
               "manifests": [
                  {
                     "digest": "%s",
                     "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                     "platform": {"architecture": "amd64", "os": "linux"},
                     "size": 528
                  },
                  {
                     "digest": "%s",
                     "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                     "platform": {"architecture": "arm", "os": "linux", "variant": "v6"},
                     "size": 527
                  },
                  {
                     "digest": "%s",
                     "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                     "platform": {"architecture": "amd64", "os": "windows", "os.version": "10.0.17763.5329",
                                  "os.features": ["win32k"]},
                     "size": 1125
                  }
               ],
               "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
               "schemaVersion": 2
            }
            """.formatted(L1, L2, CFG);

    // shaped like a buildkit OCI index with an attestation
    static final String OCI_INDEX = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[\
            {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1000,\
            "platform":{"architecture":"arm64","os":"linux","variant":"v8"}},\
            {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":566,\
            "annotations":{"vnd.docker.reference.digest":"%s","vnd.docker.reference.type":"attestation-manifest"},\
            "platform":{"architecture":"unknown","os":"unknown"}}],\
            "annotations":{"org.opencontainers.image.ref.name":"1.0"},"someFutureField":{"x":1}}""".formatted(L1, L2, L1);

    static final String OCI_MANIFEST = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "artifactType": "application/vnd.example.sbom",
              "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": "%s", "size": 2, "data": "e30="},
              "layers": [
                {"mediaType": "application/vnd.oci.image.layer.v1.tar+zstd", "digest": "%s", "size": 0},
                {"mediaType": "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", "digest": "%s",
                 "size": 1234, "urls": ["https://example.com/layer.tar.gz"]}
              ],
              "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%s", "size": 7},
              "annotations": {"org.opencontainers.image.created": "2024-01-01T00:00:00Z"}
            }
            """.formatted(CFG, L1, L2, L1);

    // shaped like a Docker-built image config, with fields the spec does not have
    static final String CONFIG = """
            {"architecture":"amd64","config":{"Hostname":"","User":"app:app","ExposedPorts":{"8080/tcp":{}},\
            "Env":["PATH=/usr/bin:/bin","LANG=C.UTF-8"],"Entrypoint":["/entry.sh"],"Cmd":["serve","--port","8080"],\
            "Volumes":{"/data":{}},"WorkingDir":"/srv","Labels":{"maintainer":"x@example.com"},"StopSignal":"SIGINT",\
            "ArgsEscaped":true,"Healthcheck":{"Test":["CMD-SHELL","wget -q -O- localhost:8080/health"],\
            "Interval":30000000000,"Timeout":5000000000,"StartPeriod":1000000000,"Retries":3},\
            "OnBuild":["RUN echo child"],"Shell":["/bin/sh","-c"]},"container":"3f1a","created":"2024-09-26T21:31:42.123456789Z",\
            "docker_version":"27.0.3","history":[{"created":"2024-09-26T21:31:41Z","created_by":"/bin/sh -c #(nop) ADD file:abc in / "},\
            {"created":"2024-09-26T21:31:42Z","created_by":"/bin/sh -c #(nop)  CMD [\\"sh\\"]","empty_layer":true,\
            "comment":"buildkit.dockerfile.v0","author":"someone"}],"os":"linux","variant":"v1",\
            "rootfs":{"type":"layers","diff_ids":["%s"]}}""".formatted(L1);

    @Test
    void readsADockerManifestListWithWindowsFields() {
        byte[] bytes = DOCKER_LIST.getBytes(StandardCharsets.UTF_8);
        Manifest m = Manifest.parse(Manifest.detectMediaType("application/vnd.docker.distribution.manifest.list.v2+json", bytes), bytes);
        assertThat(m).isInstanceOf(Manifest.Index.class);
        ImageIndex index = ((Manifest.Index) m).index();
        assertThat(index.schemaVersion()).isEqualTo(2);
        assertThat(index.manifests()).hasSize(3);
        assertThat(index.manifests().get(1).platform()).isEqualTo(Platform.of("linux", "arm", "v6"));
        Platform windows = index.manifests().get(2).platform();
        assertThat(windows.osVersion()).isEqualTo("10.0.17763.5329");
        assertThat(windows.osFeatures()).containsExactly("win32k");
        assertThat(index.manifests().get(0).digest()).isEqualTo(Digest.parse(L1));
        assertThat(index.manifests().get(0).size()).isEqualTo(528);
    }

    @Test
    void manifestDigestIsOfTheExactBytesNotAReserialization() {
        byte[] bytes = DOCKER_LIST.getBytes(StandardCharsets.UTF_8);
        Manifest m = Manifest.parse(MediaTypes.DOCKER_MANIFEST_LIST, bytes);
        assertThat(m.digest()).isEqualTo(Digest.sha256(bytes));
        assertThat(m.bytes()).isEqualTo(bytes);
        byte[] reserialized = Json.toBytes(((Manifest.Index) m).index());
        assertThat(Digest.sha256(reserialized)).isNotEqualTo(m.digest());
        assertThat(m.descriptor()).isEqualTo(Descriptor.of(MediaTypes.DOCKER_MANIFEST_LIST, Digest.sha256(bytes), bytes.length));
        // the parsed form keeps its own copy: changing the input does not change it
        bytes[0] = ' ';
        assertThat(m.digest()).isEqualTo(Digest.sha256(m.bytes()));
    }

    @Test
    void readsAnOciIndexWithAttestationsAndIgnoresUnknownFields() {
        byte[] bytes = OCI_INDEX.getBytes(StandardCharsets.UTF_8);
        assertThat(Manifest.detectMediaType("application/json", bytes)).isEqualTo(MediaTypes.OCI_INDEX);
        Manifest.Index m = (Manifest.Index) Manifest.parse(MediaTypes.OCI_INDEX, bytes);
        Descriptor attestation = m.index().manifests().get(1);
        assertThat(attestation.annotation(MediaTypes.DOCKER_REFERENCE_TYPE_ANNOTATION)).isEqualTo("attestation-manifest");
        assertThat(attestation.platform().os()).isEqualTo("unknown");
        assertThat(m.index().annotations()).containsEntry("org.opencontainers.image.ref.name", "1.0");
    }

    @Test
    void readsAnOciManifestWithArtifactTypeSubjectAndForeignLayers() throws Exception {
        byte[] bytes = OCI_MANIFEST.getBytes(StandardCharsets.UTF_8);
        Manifest.Image m = (Manifest.Image) Manifest.parse(Manifest.detectMediaType(null, bytes), bytes);
        ImageManifest im = m.manifest();
        assertThat(im.artifactType()).isEqualTo("application/vnd.example.sbom");
        assertThat(im.config().mediaType()).isEqualTo(MediaTypes.OCI_EMPTY);
        assertThat(im.layers().get(0).size()).isZero();
        assertThat(MediaTypes.layerCompression(im.layers().get(0).mediaType())).isEqualTo(MediaTypes.Compression.ZSTD);
        assertThat(MediaTypes.isForeignLayer(im.layers().get(1).mediaType())).isTrue();
        assertThat(im.layers().get(1).urls()).containsExactly("https://example.com/layer.tar.gz");
        assertThat(im.subject().digest()).isEqualTo(Digest.parse(L1));

        // written back with the spec's names; zero sizes kept, absent fields left out
        JsonNode out = Json.mapper().readTree(Json.toBytes(im));
        assertThat(out.path("layers").path(0).path("size").isNumber()).isTrue();
        assertThat(out.path("layers").path(0).path("size").asLong()).isZero();
        assertThat(out.path("layers").path(0).has("urls")).isFalse();
        assertThat(out.path("layers").path(0).path("digest").asText()).isEqualTo(L1);
        assertThat(Json.mapper().readValue(Json.toBytes(im), ImageManifest.class)).isEqualTo(im);
    }

    @Test
    void imageConfigRoundTripsWithDockersNames() throws Exception {
        ImageConfig c = Json.mapper().readValue(CONFIG, ImageConfig.class);
        assertThat(c.architecture()).isEqualTo("amd64");
        assertThat(c.platform()).isEqualTo(new Platform("amd64", "linux", null, null, "v1"));
        assertThat(c.config().user()).isEqualTo("app:app");
        assertThat(c.config().exposedPorts()).containsKey("8080/tcp");
        assertThat(c.config().env()).containsExactly("PATH=/usr/bin:/bin", "LANG=C.UTF-8");
        assertThat(c.config().entrypoint()).containsExactly("/entry.sh");
        assertThat(c.config().cmd()).containsExactly("serve", "--port", "8080");
        assertThat(c.config().volumes()).containsKey("/data");
        assertThat(c.config().workingDir()).isEqualTo("/srv");
        assertThat(c.config().labels()).containsEntry("maintainer", "x@example.com");
        assertThat(c.config().stopSignal()).isEqualTo("SIGINT");
        assertThat(c.config().argsEscaped()).isTrue();
        assertThat(c.config().healthcheck().interval()).isEqualTo(30_000_000_000L);
        assertThat(c.config().healthcheck().retries()).isEqualTo(3);
        assertThat(c.config().onBuild()).containsExactly("RUN echo child");
        assertThat(c.config().shell()).containsExactly("/bin/sh", "-c");
        assertThat(c.rootfs().diffIds()).containsExactly(Digest.parse(L1));
        assertThat(c.history()).hasSize(2);
        assertThat(c.history().get(1).isEmptyLayer()).isTrue();
        assertThat(c.history().get(0).isEmptyLayer()).isFalse();
        assertThat(c.history().get(1).comment()).isEqualTo("buildkit.dockerfile.v0");

        byte[] out = Json.toBytes(c);
        JsonNode tree = Json.mapper().readTree(out);
        assertThat(tree.path("rootfs").path("diff_ids").path(0).asText()).isEqualTo(L1);
        assertThat(tree.path("history").path(1).path("empty_layer").asBoolean()).isTrue();
        assertThat(tree.path("history").path(1).path("created_by").asText()).contains("CMD");
        assertThat(tree.path("config").path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(tree.path("config").path("Healthcheck").path("StartPeriod").asLong()).isEqualTo(1_000_000_000L);
        assertThat(tree.has("docker_version")).isFalse();
        assertThat(Json.mapper().readValue(out, ImageConfig.class)).isEqualTo(c);
    }

    @Test
    void platformWritesOsVersionAndFeaturesWithDots() throws Exception {
        Platform p = new Platform("amd64", "windows", "10.0.20348.2322", List.of("win32k"), null);
        JsonNode tree = Json.mapper().readTree(Json.toBytes(p));
        assertThat(tree.path("os.version").asText()).isEqualTo("10.0.20348.2322");
        assertThat(tree.path("os.features").path(0).asText()).isEqualTo("win32k");
        assertThat(tree.has("variant")).isFalse();
        assertThat(Platform.parse("linux/arm64/v8")).isEqualTo(Platform.of("linux", "arm64", "v8"));
        assertThat(Platform.parse("linux/arm64/v8").toString()).isEqualTo("linux/arm64/v8");
        assertThatThrownBy(() -> Platform.parse("linux"))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("\"linux\"");
    }

    @Test
    void mediaTypeIsDetectedFromHeaderFieldOrShapeAndSchema1IsRecognised() {
        byte[] schema1 = "{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"y\",\"fsLayers\":[],\"signatures\":[]}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(Manifest.detectMediaType("application/vnd.docker.distribution.manifest.v1+prettyjws", schema1))
                .isEqualTo(MediaTypes.DOCKER_SCHEMA1_SIGNED_MANIFEST);
        assertThat(MediaTypes.isSchema1(Manifest.detectMediaType("application/json", schema1))).isTrue();
        assertThat(Manifest.detectMediaType("application/vnd.oci.image.manifest.v1+json; charset=utf-8", new byte[0]))
                .isEqualTo(MediaTypes.OCI_MANIFEST);
        byte[] dockerManifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST
                + "\",\"config\":{\"mediaType\":\"x\",\"digest\":\"" + CFG + "\",\"size\":1},\"layers\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(Manifest.detectMediaType("", dockerManifest)).isEqualTo(MediaTypes.DOCKER_MANIFEST);

        assertThatThrownBy(() -> Manifest.parse(MediaTypes.DOCKER_SCHEMA1_MANIFEST, schema1))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("schema 1");
        assertThatThrownBy(() -> Manifest.detectMediaType("", "not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("is not valid JSON");
        byte[] badDigest = ("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:zz\",\"size\":1}}")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Manifest.parse(MediaTypes.OCI_MANIFEST, badDigest))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageStartingWith("manifest " + Digest.sha256(badDigest) + " is not valid " + MediaTypes.OCI_MANIFEST);
    }

    @Test
    void digestsReadAndWriteAsStrings() throws Exception {
        Digest d = Digest.parse(L1);
        assertThat(new String(Json.toBytes(d), StandardCharsets.UTF_8)).isEqualTo("\"" + L1 + "\"");
        assertThat(Json.mapper().readValue("\"" + L1 + "\"", Digest.class)).isEqualTo(d);
        assertThat(Digest.of(d.newMessageDigest())).isEqualTo(Digest.sha256(new byte[0]));
    }
}
