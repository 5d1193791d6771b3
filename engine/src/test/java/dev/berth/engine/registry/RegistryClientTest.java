package dev.berth.engine.registry;

import com.sun.net.httpserver.HttpExchange;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Descriptor;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.Manifest;
import dev.berth.engine.oci.MediaTypes;
import dev.berth.engine.oci.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against Debian's real docker-registry on 127.0.0.1, with a fault-injecting proxy where needed. */
class RegistryClientTest {

    @TempDir
    static Path tmp;
    static TestRegistry registry;
    static RegistryClient client;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = TestRegistry.start(tmp.resolve("registry"));
        client = new RegistryClient(config());
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (client != null) {
            client.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    static RegistryConfig config() {
        return RegistryConfig.defaults(tmp.resolve("auth.json")).withRetries(3, Duration.ofMillis(5));
    }

    static RegistryRepository repo(String path) {
        return new RegistryRepository(registry.name(), path);
    }

    static RegistryRepository viaProxy(TestProxy proxy, String path) {
        return new RegistryRepository(proxy.name(), path);
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void pullsBackADockerV2Schema2ImageItPushed() throws Exception {
        RegistryRepository repo = repo("pull/v2s2");
        TestImages.Pushed img = TestImages.pushImage(client, repo, "v1", MediaTypes.DOCKER_MANIFEST, "amd64", null, 1,
                3000, 70_000);

        Manifest byTag = client.getManifest(repo, "v1");
        assertThat(byTag).isInstanceOf(Manifest.Image.class);
        assertThat(byTag.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(byTag.bytes()).isEqualTo(img.manifest());
        assertThat(byTag.digest()).isEqualTo(img.digest()).isEqualTo(Digest.sha256(img.manifest()));
        Manifest.Image image = (Manifest.Image) client.getManifest(repo, img.digest().toString());
        assertThat(image.manifest().layers()).containsExactlyElementsOf(img.layers());
        assertThat(image.manifest().config()).isEqualTo(img.config());

        byte[] config = client.readBlob(repo, img.config().digest(), img.config().size(), 1 << 20);
        assertThat(config).isEqualTo(TestImages.config("amd64", null));

        AtomicLong last = new AtomicLong();
        AtomicLong total = new AtomicLong();
        Descriptor big = img.layers().get(1);
        byte[] layer = readAll(client.openBlob(repo, big.digest(), big.size(), (soFar, t) -> {
            last.set(soFar);
            total.set(t);
        }));
        assertThat(layer).isEqualTo(img.layerBytes().get(1));
        assertThat(last.get()).isEqualTo(70_000);
        assertThat(total.get()).isEqualTo(70_000);

        assertThat(client.headManifest(repo, "v1")).contains(img.descriptor());
        assertThat(client.headManifest(repo, "nope")).isEmpty();
        assertThat(client.blobExists(repo, big.digest())).isTrue();
        assertThat(client.blobExists(repo, Digest.sha256(new byte[]{1, 2, 3}))).isFalse();
    }

    @Test
    void pullsBackAnOciManifestWithItsExactBytes() {
        RegistryRepository repo = repo("pull/oci");
        TestImages.Pushed img = TestImages.pushImage(client, repo, "1.0", MediaTypes.OCI_MANIFEST, "amd64", null, 2, 500);
        Manifest m = client.getManifest(repo, "1.0");
        assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(m.bytes()).isEqualTo(img.manifest());
        assertThat(m.digest()).isEqualTo(img.digest());
        assertThat(((Manifest.Image) m).manifest().annotations())
                .containsEntry("org.opencontainers.image.created", "2024-09-26T21:31:42Z");
        assertThat(((Manifest.Image) m).manifest().layers().getFirst().mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
    }

    /** An index with amd64, arm64/v8 and an attestation entry listed first. */
    static Manifest pushIndex(RegistryRepository repo, String tag) {
        TestImages.Pushed amd64 = TestImages.pushImage(client, repo, null, MediaTypes.OCI_MANIFEST, "amd64", null, 10, 100);
        TestImages.Pushed arm64 = TestImages.pushImage(client, repo, null, MediaTypes.OCI_MANIFEST, "arm64", "v8", 11, 100);
        TestImages.Pushed attest = TestImages.pushImage(client, repo, null, MediaTypes.OCI_MANIFEST, "unknown", null, 12, 50);
        byte[] index = TestImages.indexJson(MediaTypes.OCI_INDEX, List.of(
                TestImages.descriptorJson(attest.descriptor(), "{\"architecture\": \"unknown\", \"os\": \"unknown\"}",
                        Map.of("vnd.docker.reference.type", "attestation-manifest",
                                "vnd.docker.reference.digest", amd64.digest().toString())),
                TestImages.descriptorJson(arm64.descriptor(), "{\"architecture\": \"arm64\", \"os\": \"linux\", \"variant\": \"v8\"}"),
                TestImages.descriptorJson(amd64.descriptor(), "{\"architecture\": \"amd64\", \"os\": \"linux\"}")));
        Digest d = client.putManifest(repo, tag, MediaTypes.OCI_INDEX, index);
        assertThat(d).isEqualTo(Digest.sha256(index));
        return client.getManifest(repo, tag);
    }

    @Test
    void resolvesAnIndexToThePlatformAndSkipsAttestations() {
        RegistryRepository repo = repo("multi/arch");
        Manifest index = pushIndex(repo, "latest");
        assertThat(index).isInstanceOf(Manifest.Index.class);
        assertThat(((Manifest.Index) index).index().manifests()).hasSize(3);

        ResolvedImage amd64 = client.resolveImage(repo, "latest", Platform.LINUX_AMD64);
        assertThat(amd64.root().digest()).isEqualTo(index.digest());
        assertThat(amd64.platformEntry().platform().architecture()).isEqualTo("amd64");
        assertThat(amd64.image().digest()).isEqualTo(amd64.platformEntry().digest());
        assertThat(new String(client.readBlob(repo, amd64.image().manifest().config().digest(), -1, 1 << 20),
                StandardCharsets.UTF_8)).contains("\"architecture\":\"amd64\"");

        // arm64 without a variant means v8
        ResolvedImage arm64 = client.resolveImage(repo, "latest", Platform.of("linux", "arm64", null));
        assertThat(arm64.platformEntry().platform().variant()).isEqualTo("v8");
        assertThat(arm64.image().digest()).isNotEqualTo(amd64.image().digest());

        assertThat(client.headManifest(repo, "latest")).hasValueSatisfying(d -> {
            assertThat(d.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
            assertThat(d.digest()).isEqualTo(index.digest());
        });
    }

    @Test
    void noMatchingPlatformListsTheAvailableOnes() {
        RegistryRepository repo = repo("multi/nomatch");
        pushIndex(repo, "v1");
        assertThatThrownBy(() -> client.resolveImage(repo, "v1", Platform.parse("linux/s390x")))
                .isInstanceOf(EngineException.NotFound.class)
                .hasMessage("no matching manifest for linux/s390x in the manifest list entries for "
                        + registry.name() + "/multi/nomatch:v1; available platforms: linux/arm64/v8, linux/amd64");
    }

    @Test
    void missingManifestsAndBlobsAreNotFoundNamingWhatWasAsked() {
        assertThatThrownBy(() -> client.getManifest(repo("x"), "y"))
                .isInstanceOf(EngineException.NotFound.class)
                .hasMessage("manifest for " + registry.name() + "/x:y not found");
        RegistryRepository repo = repo("pull/missing");
        TestImages.pushImage(client, repo, "t", MediaTypes.DOCKER_MANIFEST, "amd64", null, 3, 10);
        assertThatThrownBy(() -> client.getManifest(repo, "other"))
                .isInstanceOf(EngineException.NotFound.class)
                .hasMessage("manifest for " + registry.name() + "/pull/missing:other not found");
        Digest absent = Digest.sha256("absent".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> client.openBlob(repo, absent, 6, null))
                .isInstanceOf(EngineException.NotFound.class)
                .hasMessage("blob " + absent + " in " + registry.name() + "/pull/missing not found");
    }

    @Test
    void unreachableRegistryIsUnavailableAfterRetries() throws Exception {
        int port = TestRegistry.freePort();
        assertThatThrownBy(() -> client.getManifest(new RegistryRepository("127.0.0.1:" + port, "x"), "y"))
                .isInstanceOf(EngineException.Unavailable.class)
                .hasMessage("registry 127.0.0.1:" + port + " is unreachable: connection refused");
    }

    @Test
    void resumesABlobFromAnOffsetWithARangeRequest() throws Exception {
        RegistryRepository repo = repo("pull/resume");
        TestImages.Pushed img = TestImages.pushImage(client, repo, "r", MediaTypes.OCI_MANIFEST, "amd64", null, 4, 50_000);
        Descriptor layer = img.layers().getFirst();
        byte[] whole = img.layerBytes().getFirst();
        try (TestProxy proxy = new TestProxy(registry.url())) {
            List<String> ranges = new ArrayList<>();
            proxy.intercept((ex, p) -> {
                ranges.add(String.valueOf(ex.getRequestHeaders().getFirst("Range")));
                return false;
            });
            MessageDigest prefix = layer.digest().newMessageDigest();
            prefix.update(whole, 0, 20_000);
            AtomicLong last = new AtomicLong();
            byte[] rest = readAll(client.openBlob(viaProxy(proxy, "pull/resume"), layer.digest(), layer.size(), 20_000,
                    prefix, (soFar, total) -> last.set(soFar)));
            assertThat(rest).isEqualTo(Arrays.copyOfRange(whole, 20_000, whole.length));
            assertThat(last.get()).isEqualTo(50_000);
            assertThat(ranges).containsExactly("bytes=20000-");
            assertThat(proxy.log).anyMatch(l -> l.startsWith("GET /v2/pull/resume/blobs/" + layer.digest()) && l.endsWith("206"));

            // a registry that ignores Range and sends the whole blob: the client skips what the caller has
            proxy.intercept((ex, p) -> {
                TestProxy.Upstream up = p.forward(ex, Map.of(), Set.of("range"));
                p.reply(ex, up.status(), up.headers().map(), up.body());
                return true;
            });
            MessageDigest prefix2 = layer.digest().newMessageDigest();
            prefix2.update(whole, 0, 30_000);
            byte[] rest2 = readAll(client.openBlob(viaProxy(proxy, "pull/resume"), layer.digest(), layer.size(), 30_000,
                    prefix2, null));
            assertThat(rest2).isEqualTo(Arrays.copyOfRange(whole, 30_000, whole.length));
            assertThat(proxy.log.getLast()).endsWith("-> 200");

            // a corrupt prefix on the caller's side fails at the end too
            MessageDigest wrongPrefix = layer.digest().newMessageDigest();
            wrongPrefix.update(new byte[30_000]);
            InputStream bad = client.openBlob(viaProxy(proxy, "pull/resume"), layer.digest(), layer.size(), 30_000,
                    wrongPrefix, null);
            assertThatThrownBy(() -> readAll(bad)).isInstanceOf(BlobVerificationException.class)
                    .hasMessageStartingWith("blob " + layer.digest() + " failed verification: got sha256:");
        }
    }

    /** A proxy that rewrites blob bodies of {@code digest} with {@code rewrite}. */
    static TestProxy.Interceptor rewriteBlob(Digest digest, java.util.function.UnaryOperator<byte[]> rewrite) {
        return (HttpExchange ex, TestProxy p) -> {
            if (!ex.getRequestURI().getPath().endsWith("/blobs/" + digest) || !ex.getRequestMethod().equals("GET")) {
                return false;
            }
            TestProxy.Upstream up = p.forward(ex);
            p.reply(ex, up.status(), up.headers().map(), rewrite.apply(up.body()));
            return true;
        };
    }

    @Test
    void aCorruptedBlobFailsVerificationNamingTheDigest() throws Exception {
        RegistryRepository repo = repo("verify/corrupt");
        TestImages.Pushed img = TestImages.pushImage(client, repo, "c", MediaTypes.DOCKER_MANIFEST, "amd64", null, 5, 40_000);
        Descriptor layer = img.layers().getFirst();
        try (TestProxy proxy = new TestProxy(registry.url())) {
            proxy.intercept(rewriteBlob(layer.digest(), b -> {
                byte[] c = b.clone();
                c[12_345] ^= 0x01;
                return c;
            }));
            InputStream in = client.openBlob(viaProxy(proxy, "verify/corrupt"), layer.digest(), layer.size(), null);
            assertThatThrownBy(() -> readAll(in))
                    .isInstanceOf(BlobVerificationException.class)
                    .hasMessageStartingWith("blob " + layer.digest() + " failed verification: got sha256:")
                    .satisfies(e -> assertThat(((BlobVerificationException) e).engineException())
                            .isInstanceOf(EngineException.Unavailable.class)
                            .hasMessage(e.getMessage()));
            // readBlob reports the same failure as an EngineException
            assertThatThrownBy(() -> client.readBlob(viaProxy(proxy, "verify/corrupt"), layer.digest(), layer.size(), 1 << 20))
                    .isInstanceOf(EngineException.Unavailable.class)
                    .hasMessageContaining(layer.digest() + " failed verification");
        }
    }

    @Test
    void aTruncatedBlobFailsVerificationNamingTheDigest() throws Exception {
        RegistryRepository repo = repo("verify/truncated");
        TestImages.Pushed img = TestImages.pushImage(client, repo, "t", MediaTypes.DOCKER_MANIFEST, "amd64", null, 6, 40_000);
        Descriptor layer = img.layers().getFirst();
        try (TestProxy proxy = new TestProxy(registry.url())) {
            proxy.intercept(rewriteBlob(layer.digest(), b -> Arrays.copyOf(b, b.length - 100)));
            InputStream sized = client.openBlob(viaProxy(proxy, "verify/truncated"), layer.digest(), layer.size(), null);
            assertThatThrownBy(() -> readAll(sized))
                    .isInstanceOf(BlobVerificationException.class)
                    .hasMessage("blob " + layer.digest() + " failed verification: expected 40000 bytes, got 39900");
            // without a known size the digest still catches it
            InputStream unsized = client.openBlob(viaProxy(proxy, "verify/truncated"), layer.digest(), -1, null);
            assertThatThrownBy(() -> readAll(unsized))
                    .isInstanceOf(BlobVerificationException.class)
                    .hasMessageStartingWith("blob " + layer.digest() + " failed verification: got sha256:");
        }
    }

    @Test
    void anUnverifiedBlobStreamChecksTheSizeAndLeavesTheDigestToTheCaller() throws Exception {
        RegistryRepository repo = repo("verify/unverified");
        TestImages.Pushed img = TestImages.pushImage(client, repo, "u", MediaTypes.OCI_MANIFEST, "amd64", null, 7, 40_000);
        Descriptor layer = img.layers().getFirst();
        byte[] whole = img.layerBytes().getFirst();
        // resumed from an offset it is the rest of the blob, with progress counted from the blob's start
        AtomicLong last = new AtomicLong();
        byte[] rest = readAll(client.openBlobUnverified(repo, layer.digest(), layer.size(), 10_000,
                (soFar, total) -> last.set(soFar)));
        assertThat(rest).isEqualTo(Arrays.copyOfRange(whole, 10_000, whole.length));
        assertThat(last.get()).isEqualTo(40_000);
        try (TestProxy proxy = new TestProxy(registry.url())) {
            // a flipped bit passes through: the caller's own hash (a content-store writer's) must catch it
            proxy.intercept(rewriteBlob(layer.digest(), b -> {
                byte[] c = b.clone();
                c[777] ^= 0x01;
                return c;
            }));
            byte[] corrupt = readAll(client.openBlobUnverified(viaProxy(proxy, "verify/unverified"), layer.digest(),
                    layer.size(), 0, null));
            assertThat(corrupt).hasSize(whole.length).isNotEqualTo(whole);
            assertThat(Digest.sha256(corrupt)).isNotEqualTo(layer.digest());

            // but the size is the stream's to check: short fails at the end, long at the first extra byte
            proxy.intercept(rewriteBlob(layer.digest(), b -> Arrays.copyOf(b, b.length - 100)));
            InputStream shortBlob = client.openBlobUnverified(viaProxy(proxy, "verify/unverified"), layer.digest(),
                    layer.size(), 0, null);
            assertThatThrownBy(() -> readAll(shortBlob)).isInstanceOf(BlobVerificationException.class)
                    .hasMessage("blob " + layer.digest() + " failed verification: expected 40000 bytes, got 39900");
            proxy.intercept(rewriteBlob(layer.digest(), b -> Arrays.copyOf(b, b.length + 1)));
            InputStream longBlob = client.openBlobUnverified(viaProxy(proxy, "verify/unverified"), layer.digest(),
                    layer.size(), 0, null);
            assertThatThrownBy(() -> readAll(longBlob)).isInstanceOf(BlobVerificationException.class)
                    .hasMessage("blob " + layer.digest() + " failed verification: expected 40000 bytes, got more");
        }
    }

    @Test
    void aManifestWhoseBytesDoNotMatchTheRequestedDigestIsRefused() throws Exception {
        RegistryRepository repo = repo("verify/manifest");
        TestImages.Pushed img = TestImages.pushImage(client, repo, "m", MediaTypes.OCI_MANIFEST, "amd64", null, 7, 10);
        try (TestProxy proxy = new TestProxy(registry.url())) {
            proxy.intercept((ex, p) -> {
                if (!ex.getRequestURI().getPath().contains("/manifests/")) {
                    return false;
                }
                TestProxy.Upstream up = p.forward(ex);
                byte[] body = (new String(up.body(), StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
                Map<String, List<String>> headers = new java.util.HashMap<>(up.headers().map());
                headers.remove("docker-content-digest");
                p.reply(ex, up.status(), headers, body);
                return true;
            });
            assertThatThrownBy(() -> client.getManifest(viaProxy(proxy, "verify/manifest"), img.digest().toString()))
                    .isInstanceOf(EngineException.Unavailable.class)
                    .hasMessageStartingWith("manifest for " + proxy.name() + "/verify/manifest@" + img.digest()
                            + " failed verification: expected " + img.digest() + ", got sha256:");
        }
    }

    @Test
    void retriesA503ThenSucceedsButNeverRetriesA4xx() throws Exception {
        RegistryRepository repo = repo("retry/it");
        TestImages.Pushed img = TestImages.pushImage(client, repo, "r", MediaTypes.DOCKER_MANIFEST, "amd64", null, 8, 10);
        try (TestProxy proxy = new TestProxy(registry.url())) {
            AtomicInteger manifestGets = new AtomicInteger();
            proxy.intercept((ex, p) -> {
                if (ex.getRequestURI().getPath().endsWith("/manifests/r") && manifestGets.incrementAndGet() == 1) {
                    TestProxy.drain(ex.getRequestBody());
                    p.reply(ex, 503, Map.of("Content-Type", List.of("application/json")),
                            "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"try later\"}]}".getBytes(StandardCharsets.UTF_8));
                    return true;
                }
                return false;
            });
            Manifest m = client.getManifest(viaProxy(proxy, "retry/it"), "r");
            assertThat(m.digest()).isEqualTo(img.digest());
            assertThat(manifestGets.get()).isEqualTo(2);

            // a connection dropped without any reply is retried as well
            AtomicInteger dropped = new AtomicInteger();
            proxy.intercept((ex, p) -> {
                if (dropped.incrementAndGet() == 1) {
                    TestProxy.drain(ex.getRequestBody());
                    ex.close();
                    return true;
                }
                return false;
            });
            assertThat(client.getManifest(viaProxy(proxy, "retry/it"), "r").digest()).isEqualTo(img.digest());
            assertThat(dropped.get()).isEqualTo(2);

            AtomicInteger badRequests = new AtomicInteger();
            proxy.intercept((ex, p) -> {
                badRequests.incrementAndGet();
                TestProxy.drain(ex.getRequestBody());
                p.reply(ex, 400, Map.of("Content-Type", List.of("application/json")),
                        "{\"errors\":[{\"code\":\"NAME_INVALID\",\"message\":\"invalid repository name\"}]}".getBytes(StandardCharsets.UTF_8));
                return true;
            });
            assertThatThrownBy(() -> client.getManifest(viaProxy(proxy, "retry/it"), "r"))
                    .isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessage(proxy.name() + " rejected manifest for " + proxy.name()
                            + "/retry/it:r: NAME_INVALID invalid repository name");
            assertThat(badRequests.get()).isEqualTo(1);

            AtomicInteger limited = new AtomicInteger();
            proxy.intercept((ex, p) -> {
                limited.incrementAndGet();
                TestProxy.drain(ex.getRequestBody());
                p.reply(ex, 429, Map.of("Content-Type", List.of("application/json")),
                        "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}".getBytes(StandardCharsets.UTF_8));
                return true;
            });
            assertThatThrownBy(() -> client.getManifest(viaProxy(proxy, "retry/it"), "r"))
                    .isInstanceOf(EngineException.Unavailable.class)
                    .hasMessage(proxy.name() + " is refusing requests for now (too many requests): slow down");
            assertThat(limited.get()).isEqualTo(3);
        }
    }

    @Test
    void refusesManifestsOver4MiB() throws Exception {
        byte[] huge = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"annotations\":{\"a\":\""
                + "x".repeat(5 << 20) + "\"}}").getBytes(StandardCharsets.UTF_8);
        try (TestProxy proxy = new TestProxy(registry.url())) {
            proxy.intercept((ex, p) -> {
                TestProxy.drain(ex.getRequestBody());
                ex.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
                boolean chunked = ex.getRequestURI().getPath().endsWith("chunked");
                ex.sendResponseHeaders(200, chunked ? 0 : huge.length);
                try (var out = ex.getResponseBody()) {
                    out.write(huge);
                } catch (IOException closedByClient) {
                    // the client stops reading at the limit
                }
                return true;
            });
            assertThatThrownBy(() -> client.getManifest(viaProxy(proxy, "big/one"), "huge"))
                    .isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessage("manifest for " + proxy.name() + "/big/one:huge is larger than 4 MiB ("
                            + huge.length + " bytes); refusing to read it");
            assertThatThrownBy(() -> client.getManifest(viaProxy(proxy, "big/one"), "huge-chunked"))
                    .isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessage("manifest for " + proxy.name() + "/big/one:huge-chunked is larger than 4 MiB; refusing to read it");
        }
    }

    @Test
    void refusesDockerSchema1Manifests() throws Exception {
        try (TestRegistry legacy = TestRegistry.start(tmp.resolve("legacy"), null, true)) {
            RegistryRepository src = new RegistryRepository(legacy.name(), "old/src");
            TestImages.pushImage(client, src, "v1", MediaTypes.DOCKER_MANIFEST, "amd64", null, 9, 100);
            Process skopeo = new ProcessBuilder("skopeo", "copy", "--format", "v2s1", "--src-tls-verify=false",
                    "--dest-tls-verify=false", "docker://" + legacy.name() + "/old/src:v1",
                    "docker://" + legacy.name() + "/old/schema1:v1")
                    .redirectErrorStream(true).start();
            String out = new String(skopeo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(skopeo.waitFor()).as(out).isZero();

            assertThatThrownBy(() -> client.getManifest(new RegistryRepository(legacy.name(), "old/schema1"), "v1"))
                    .isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessage(legacy.name() + "/old/schema1:v1 uses the Docker image manifest v2 schema 1 format,"
                            + " which is no longer supported; push it again with a current client");
        }
    }

    @Test
    void crossRepositoryMountIsUsedWhenTheSourceHasTheBlob() throws Exception {
        byte[] blob = TestImages.randomBytes(20, 5000);
        Digest digest = Digest.sha256(blob);
        try (TestProxy proxy = new TestProxy(registry.url())) {
            RegistryRepository source = viaProxy(proxy, "mount/source");
            RegistryRepository target = viaProxy(proxy, "mount/target");
            assertThat(client.pushBlob(source, digest, blob.length, BlobContent.of(blob), null, null))
                    .isEqualTo(PushOutcome.UPLOADED);
            assertThat(client.pushBlob(source, digest, blob.length, BlobContent.of(blob), null, null))
                    .isEqualTo(PushOutcome.ALREADY_EXISTS);

            proxy.log.clear();
            assertThat(client.pushBlob(target, digest, blob.length, BlobContent.of(blob), source, null))
                    .isEqualTo(PushOutcome.MOUNTED);
            assertThat(proxy.log).contains("POST /v2/mount/target/blobs/uploads/?mount=" + digest.toString().replace(":", "%3A")
                    + "&from=mount%2Fsource -> 201");
            assertThat(proxy.log).noneMatch(l -> l.startsWith("PUT") || l.startsWith("PATCH"));
            assertThat(readAll(client.openBlob(target, digest, blob.length, null))).isEqualTo(blob);

            // a source without the blob: the registry opens an ordinary upload (202) and the client uses it
            byte[] other = TestImages.randomBytes(21, 3000);
            Digest otherDigest = Digest.sha256(other);
            proxy.log.clear();
            assertThat(client.pushBlob(target, otherDigest, other.length, BlobContent.of(other), viaProxy(proxy, "mount/empty"), null))
                    .isEqualTo(PushOutcome.UPLOADED);
            assertThat(proxy.log).anyMatch(l -> l.startsWith("POST /v2/mount/target/blobs/uploads/?mount=") && l.endsWith("202"));
            assertThat(proxy.log).anyMatch(l -> l.startsWith("PUT /v2/mount/target/blobs/uploads/") && l.endsWith("201"));
            assertThat(client.blobExists(target, otherDigest)).isTrue();
        }
    }

    @Test
    void pushesLargeBlobsInChunks() throws Exception {
        byte[] blob = TestImages.randomBytes(30, 2500);
        Digest digest = Digest.sha256(blob);
        try (TestProxy proxy = new TestProxy(registry.url());
             RegistryClient chunky = new RegistryClient(config().withUploadChunking(1000, 700))) {
            RegistryRepository repo = viaProxy(proxy, "push/chunked");
            List<Long> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
            assertThat(chunky.pushBlob(repo, digest, blob.length, BlobContent.of(blob), null, (s, t) -> progress.add(s)))
                    .isEqualTo(PushOutcome.UPLOADED);
            assertThat(proxy.log.stream().filter(l -> l.startsWith("PATCH")).toList()).hasSize(4)
                    .allMatch(l -> l.endsWith("202"));
            assertThat(proxy.log).anyMatch(l -> l.startsWith("PUT /v2/push/chunked/blobs/uploads/") && l.contains("digest=")
                    && l.endsWith("201"));
            assertThat(progress).isNotEmpty();
            assertThat(progress.getLast()).isEqualTo(2500L);
            assertThat(readAll(client.openBlob(repo("push/chunked"), digest, blob.length, null))).isEqualTo(blob);
        }
    }

    @Test
    void listsTagsAndTheCatalogAcrossPages() throws Exception {
        RegistryRepository repo = repo("list/tags");
        TestImages.Pushed img = TestImages.pushImage(client, repo, "a", MediaTypes.DOCKER_MANIFEST, "amd64", null, 40, 10);
        for (String tag : List.of("b", "c", "d", "e")) {
            client.putManifest(repo, tag, img.mediaType(), img.manifest());
        }
        try (TestProxy proxy = new TestProxy(registry.url())) {
            // registry 2.8 ignores n for tags and sends them all at once, in its own order
            assertThat(client.listTags(viaProxy(proxy, "list/tags"), 2)).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
            // it does page the catalog: the client follows the Link headers
            TestImages.pushImage(client, repo("list/more1"), "x", MediaTypes.DOCKER_MANIFEST, "amd64", null, 41, 10);
            TestImages.pushImage(client, repo("list/more2"), "x", MediaTypes.DOCKER_MANIFEST, "amd64", null, 42, 10);
            List<String> repos = client.catalog(proxy.name(), 2);
            assertThat(repos).contains("list/tags", "list/more1", "list/more2").doesNotHaveDuplicates().isSorted();
            assertThat(proxy.log.stream().filter(l -> l.startsWith("GET /v2/_catalog")).toList())
                    .hasSizeGreaterThanOrEqualTo(2).anyMatch(l -> l.contains("last="));
        }
    }

    @Test
    void dockerHubPullsTryTheMirrorsInOrder() throws Exception {
        RegistryRepository inMirror = repo("library/mirrored");
        TestImages.Pushed img = TestImages.pushImage(client, inMirror, "v1", MediaTypes.DOCKER_MANIFEST, "amd64", null, 50, 1000);
        int dead = TestRegistry.freePort();
        try (TestProxy empty = new TestProxy(registry.url())) {
            // a mirror that does not have the image
            empty.intercept((ex, p) -> {
                TestProxy.drain(ex.getRequestBody());
                p.log.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " -> 404");
                p.reply(ex, 404, Map.of("Content-Type", List.of("application/json")),
                        "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}".getBytes(StandardCharsets.UTF_8));
                return true;
            });
            RegistryConfig cfg = config().withMirrors(List.of(URI.create("http://127.0.0.1:" + dead), URI.create(empty.url()),
                    URI.create(registry.url())));
            try (RegistryClient mirrored = new RegistryClient(cfg)) {
                RegistryRepository hub = new RegistryRepository("docker.io", "mirrored");
                assertThat(hub.path()).isEqualTo("library/mirrored");
                Manifest m = mirrored.getManifest(hub, "v1");
                assertThat(m.digest()).isEqualTo(img.digest());
                assertThat(mirrored.headManifest(hub, "v1")).contains(img.descriptor());
                assertThat(empty.log).containsExactly("GET /v2/library/mirrored/manifests/v1 -> 404",
                        "HEAD /v2/library/mirrored/manifests/v1 -> 404");
                pullBlobThroughMirrors(mirrored, hub, img);
            }
        }
    }

    private static void pullBlobThroughMirrors(RegistryClient mirrored, RegistryRepository hub, TestImages.Pushed img)
            throws Exception {
        Descriptor layer = img.layers().getFirst();
        assertThat(readAll(mirrored.openBlob(hub, layer.digest(), layer.size(), null))).isEqualTo(img.layerBytes().getFirst());
        // pushes never go to a mirror
        assertThat(mirrored.hosts().pushHost("docker.io").base()).isEqualTo(URI.create("https://registry-1.docker.io"));
    }

    @Test
    void oneClientServesParallelDownloads() throws Exception {
        RegistryRepository repo = repo("parallel/dl");
        TestImages.Pushed img = TestImages.pushImage(client, repo, "p", MediaTypes.OCI_MANIFEST, "amd64", null, 80,
                100_000, 90_000, 80_000, 70_000, 60_000, 50_000);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(6)) {
            List<java.util.concurrent.Future<byte[]>> futures = new ArrayList<>();
            for (Descriptor layer : img.layers()) {
                futures.add(pool.submit(() -> readAll(client.openBlob(repo, layer.digest(), layer.size(), null))));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(img.layerBytes().get(i));
            }
        }
    }
}
