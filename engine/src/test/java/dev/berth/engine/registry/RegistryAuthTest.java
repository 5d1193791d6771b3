package dev.berth.engine.registry;

import com.sun.net.httpserver.HttpServer;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Descriptor;
import dev.berth.engine.oci.Manifest;
import dev.berth.engine.oci.MediaTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Logins and auth challenges: Basic against a real docker-registry configured with an htpasswd
 * file (bcrypt, made by {@code htpasswd -nbB} from apache2-utils); Bearer through a test proxy that
 * challenges like Docker Hub and a small token server. Secrets never show up in messages.
 */
class RegistryAuthTest {

    static final String USER = "alice";
    static final String PASSWORD = "Tr0ub4dor-s3cret-pw";
    static final String WRONG = "wr0ng-guess-pw";

    @TempDir
    static Path tmp;
    static TestRegistry basicRegistry;
    static TestRegistry openRegistry;

    /** Every message and toString seen during the test, checked for secrets at the end of each test. */
    final List<String> texts = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Process p = new ProcessBuilder("htpasswd", "-nbB", USER, PASSWORD).start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).isZero();
        assertThat(line).startsWith(USER + ":$2y$");
        Path htpasswd = tmp.resolve("htpasswd");
        Files.writeString(htpasswd, line + "\n");
        basicRegistry = TestRegistry.start(tmp.resolve("basic"), htpasswd, false);
        openRegistry = TestRegistry.start(tmp.resolve("open"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (basicRegistry != null) {
            basicRegistry.close();
        }
        if (openRegistry != null) {
            openRegistry.close();
        }
    }

    static RegistryConfig config(Path authFile) {
        return RegistryConfig.defaults(authFile).withRetries(2, Duration.ofMillis(5));
    }

    private String message(Throwable t) {
        String m = String.valueOf(t.getMessage());
        texts.add(m);
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            texts.add(String.valueOf(c.getMessage()));
        }
        return m;
    }

    private void assertNoSecretsIn(List<String> more) {
        String b64 = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        String b64wrong = Base64.getEncoder().encodeToString((USER + ":" + WRONG).getBytes(StandardCharsets.UTF_8));
        List<String> all = new ArrayList<>(texts);
        all.addAll(more);
        assertThat(all).isNotEmpty().allSatisfy(t -> assertThat(t)
                .doesNotContain(PASSWORD).doesNotContain(WRONG).doesNotContain(b64).doesNotContain(b64wrong));
    }

    @Test
    void basicAuthLoginIsCheckedStoredWith0600AndUsed() throws Exception {
        Path authFile = tmp.resolve("basic-auth/auth.json");
        RegistryRepository repo = new RegistryRepository(basicRegistry.name(), "private/app");
        try (RegistryClient client = new RegistryClient(config(authFile))) {
            Throwable anonymous = catchThrowable(() -> client.getManifest(repo, "v1"));
            assertThat(anonymous).isInstanceOf(EngineException.Unauthorized.class);
            assertThat(message(anonymous)).isEqualTo("manifest for " + repo + ":v1 requires a login: log in to "
                    + basicRegistry.name() + " first");

            Throwable refused = catchThrowable(() -> client.login(basicRegistry.name(), USER, WRONG));
            assertThat(refused).isInstanceOf(EngineException.Unauthorized.class);
            assertThat(message(refused)).isEqualTo("login to " + basicRegistry.name()
                    + " failed: the registry refused the username or password");
            assertThat(authFile).doesNotExist();

            client.login(basicRegistry.name(), USER, PASSWORD);
            assertThat(authFile).exists();
            assertThat(Files.getPosixFilePermissions(authFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(authFile)).contains("\"" + basicRegistry.name() + "\"")
                    .contains(Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));

            TestImages.Pushed img = TestImages.pushImage(client, repo, "v1", MediaTypes.DOCKER_MANIFEST, "amd64", null, 60, 2000);
            assertThat(client.getManifest(repo, "v1").digest()).isEqualTo(img.digest());
            texts.add(client.toString());
            texts.add(client.credentials().toString());
            texts.add(client.credentials().get(basicRegistry.name()).orElseThrow().toString());
        }
        // a new client (a restarted engine) reads the stored login
        try (RegistryClient again = new RegistryClient(config(authFile))) {
            Manifest m = again.getManifest(repo, "v1");
            Descriptor layer = ((Manifest.Image) m).manifest().layers().getFirst();
            try (InputStream in = again.openBlob(repo, layer.digest(), layer.size(), null)) {
                assertThat(in.readAllBytes()).hasSize(2000);
            }
            assertThat(again.logout(basicRegistry.name())).isTrue();
            assertThat(again.logout(basicRegistry.name())).isFalse();
            assertThat(Files.readString(authFile)).doesNotContain(basicRegistry.name());
            assertThat(Files.getPosixFilePermissions(authFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            Throwable afterLogout = catchThrowable(() -> again.getManifest(repo, "v1"));
            assertThat(afterLogout).isInstanceOf(EngineException.Unauthorized.class);
            message(afterLogout);
        }
        assertNoSecretsIn(List.of(Files.readString(tmp.resolve("basic/registry.log"))));
    }

    @Test
    void credentialsAreNotInToStringOrMessages() {
        Credentials c = new Credentials(USER, PASSWORD);
        assertThat(c.toString()).isEqualTo("Credentials[username=alice, password=<redacted>]");
        texts.add(c.toString());
        assertNoSecretsIn(List.of());
    }

    /** A token server and a challenging proxy in front of an open registry, like Docker Hub's setup. */
    static final class BearerSetup implements AutoCloseable {
        final HttpServer tokenServer;
        final TestProxy proxy;
        final Set<String> validTokens = ConcurrentHashMap.newKeySet();
        final List<String> tokenRequests = new CopyOnWriteArrayList<>();
        final AtomicInteger issued = new AtomicInteger();
        volatile boolean accessTokenField;

        BearerSetup() throws IOException {
            tokenServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            tokenServer.createContext("/token", ex -> {
                try (ex) {
                    String auth = ex.getRequestHeaders().getFirst("Authorization");
                    String query = URLDecoder.decode(String.valueOf(ex.getRequestURI().getRawQuery()), StandardCharsets.UTF_8);
                    tokenRequests.add((auth == null ? "anonymous " : auth.equals(expected) ? "alice " : "bad ") + query);
                    if (!expected.equals(auth)) {
                        byte[] body = "{\"details\":\"incorrect username or password\"}".getBytes(StandardCharsets.UTF_8);
                        ex.sendResponseHeaders(401, body.length);
                        ex.getResponseBody().write(body);
                        return;
                    }
                    String token = "tok-" + issued.incrementAndGet();
                    validTokens.add(token);
                    byte[] body = ("{\"" + (accessTokenField ? "access_token" : "token") + "\":\"" + token
                            + "\",\"expires_in\":300,\"issued_at\":\"2026-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().add("Content-Type", "application/json");
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                }
            });
            tokenServer.start();
            proxy = new TestProxy(openRegistry.url());
            String realm = "http://127.0.0.1:" + tokenServer.getAddress().getPort() + "/token";
            proxy.intercept((ex, p) -> {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (auth != null && auth.startsWith("Bearer ") && validTokens.contains(auth.substring(7))) {
                    TestProxy.Upstream up = p.forward(ex, Map.of(), Set.of("authorization"));
                    p.reply(ex, up.status(), up.headers().map(), up.body());
                    return true;
                }
                TestProxy.drain(ex.getRequestBody());
                String path = ex.getRequestURI().getPath();
                String scope = path.startsWith("/v2/") && path.contains("/manifests/") || path.contains("/blobs/")
                        ? ",scope=\"repository:" + path.substring(4, path.indexOf(path.contains("/manifests/") ? "/manifests/" : "/blobs/"))
                        + ":" + (ex.getRequestMethod().equals("GET") || ex.getRequestMethod().equals("HEAD") ? "pull" : "pull,push") + "\""
                        : "";
                p.log.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " -> 401");
                p.reply(ex, 401, Map.of("WWW-Authenticate", List.of("Bearer realm=\"" + realm + "\",service=\"berth-test\"" + scope),
                                "Content-Type", List.of("application/json")),
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes(StandardCharsets.UTF_8));
                return true;
            });
        }

        @Override
        public void close() {
            proxy.close();
            tokenServer.stop(0);
        }
    }

    @Test
    void blobDownloadsFollowRedirectsToStorageWithoutTheToken() throws Exception {
        Path authFile = tmp.resolve("redirect/auth.json");
        try (BearerSetup hub = new BearerSetup();
             TestProxy storage = new TestProxy(openRegistry.url());
             RegistryClient client = new RegistryClient(config(authFile))) {
            client.login(hub.proxy.name(), USER, PASSWORD);
            RegistryRepository repo = new RegistryRepository(hub.proxy.name(), "team/redirected");
            TestImages.Pushed img = TestImages.pushImage(client, repo, "v1", MediaTypes.OCI_MANIFEST, "amd64", null, 90, 5000);
            Descriptor layer = img.layers().getFirst();

            List<String> storageAuth = new CopyOnWriteArrayList<>();
            storage.intercept((ex, p) -> {
                storageAuth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
                return false;
            });
            TestProxy.Interceptor challenging = hub.proxy.interceptor();
            hub.proxy.intercept((ex, p) -> {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (ex.getRequestMethod().equals("GET") && ex.getRequestURI().getPath().contains("/blobs/")
                        && auth != null && hub.validTokens.contains(auth.substring(7))) {
                    TestProxy.drain(ex.getRequestBody());
                    p.log.add("GET " + ex.getRequestURI() + " -> 307");
                    p.reply(ex, 307, Map.of("Location", List.of(storage.url() + ex.getRequestURI())), null);
                    return true;
                }
                return challenging.intercept(ex, p);
            });
            try (InputStream in = client.openBlob(repo, layer.digest(), layer.size(), null)) {
                assertThat(in.readAllBytes()).isEqualTo(img.layerBytes().getFirst());
            }
            assertThat(hub.proxy.log).contains("GET /v2/team/redirected/blobs/" + layer.digest() + " -> 307");
            assertThat(storageAuth).containsExactly("null");
        }
    }

    @Test
    void bearerTokensAreFetchedWithTheLoginCachedPerScopeAndRenewedWhenRefused() throws Exception {
        Path authFile = tmp.resolve("bearer/auth.json");
        try (BearerSetup hub = new BearerSetup();
             RegistryClient client = new RegistryClient(config(authFile))) {
            RegistryRepository repo = new RegistryRepository(hub.proxy.name(), "team/app");

            Throwable anonymous = catchThrowable(() -> client.getManifest(repo, "v1"));
            assertThat(anonymous).isInstanceOf(EngineException.Unauthorized.class);
            assertThat(message(anonymous)).isEqualTo("access to repository:team/app:pull on " + hub.proxy.name()
                    + " requires a login: log in to " + hub.proxy.name() + " first");
            assertThat(hub.tokenRequests).containsExactly("anonymous service=berth-test&scope=repository:team/app:pull");

            Throwable refused = catchThrowable(() -> client.login(hub.proxy.name(), USER, WRONG));
            assertThat(refused).isInstanceOf(EngineException.Unauthorized.class);
            assertThat(message(refused)).isEqualTo("login to " + hub.proxy.name()
                    + " failed: the registry refused the username or password");
            client.login(hub.proxy.name(), USER, PASSWORD);
            assertThat(Files.getPosixFilePermissions(authFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            hub.tokenRequests.clear();
            hub.accessTokenField = true; // some token servers answer OAuth-style
            TestImages.Pushed img = TestImages.pushImage(client, repo, "v1", MediaTypes.OCI_MANIFEST, "amd64", null, 70, 3000);
            assertThat(hub.tokenRequests).isNotEmpty().allMatch(r -> r.startsWith("alice service=berth-test&scope="))
                    .anyMatch(r -> r.contains("repository:team/app:pull,push"));

            hub.tokenRequests.clear();
            hub.accessTokenField = false;
            for (int i = 0; i < 3; i++) {
                assertThat(client.getManifest(repo, "v1").digest()).isEqualTo(img.digest());
            }
            Descriptor layer = img.layers().getFirst();
            try (InputStream in = client.openBlob(repo, layer.digest(), layer.size(), null)) {
                assertThat(in.readAllBytes()).isEqualTo(img.layerBytes().getFirst());
            }
            // one token for the pull scope, reused for every later pull
            assertThat(hub.tokenRequests).containsExactly("alice service=berth-test&scope=repository:team/app:pull");

            // the registry stops accepting the token: the client fetches a new one once and goes on
            hub.validTokens.clear();
            hub.tokenRequests.clear();
            assertThat(client.getManifest(repo, "v1").digest()).isEqualTo(img.digest());
            assertThat(hub.tokenRequests).hasSize(1);

            texts.add(client.toString());
            assertNoSecretsIn(hub.proxy.log);
        }
    }
}
