package dev.berth.testkit;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real CNCF distribution registry ({@code /usr/bin/docker-registry}, Debian's
 * {@code docker-registry} package) serving plain HTTP on 127.0.0.1 with a free port and a
 * throw-away filesystem root. Start it with {@link #start()} or {@link #startWithBasicAuth},
 * or let {@link RegistryExtension} do it; {@link #close()} stops the process it started (by
 * pid) and deletes its directory.
 */
public final class LocalRegistry implements AutoCloseable {

    /** Debian's registry binary. */
    public static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private static final int PORT_ATTEMPTS = 5;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final int port;
    private final Path dir;
    private final Optional<Credentials> credentials;
    /** Stops the registry if the test JVM exits without closing it (Ctrl-C, a crashed run). */
    private final Thread shutdownHook;

    /** A user name and password accepted by a Basic-auth registry. */
    public record Credentials(String username, String password) {
        /** The value of an {@code Authorization: Basic ...} header. */
        public String basicHeader() {
            return "Basic " + Base64.getEncoder().encodeToString(
                    (username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
    }

    private LocalRegistry(Process process, int port, Path dir, Optional<Credentials> credentials) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.credentials = credentials;
        this.shutdownHook = new Thread(process::destroy, "stop docker-registry " + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts an anonymous registry (anyone may pull and push). */
    public static LocalRegistry start() {
        return start(Optional.empty());
    }

    /** Starts a registry that requires HTTP Basic auth with these credentials (htpasswd, bcrypt). */
    public static LocalRegistry startWithBasicAuth(String username, String password) {
        return start(Optional.of(new Credentials(username, password)));
    }

    private static LocalRegistry start(Optional<Credentials> credentials) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install the Debian package docker-registry "
                    + "(./berth test installs it)");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("berth-registry-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String lastProblem = "";
        try {
            for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
                int port = freePort();
                Path config = writeConfig(dir, port, credentials);
                Path log = dir.resolve("registry.log");
                Process p = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .start();
                LocalRegistry registry = new LocalRegistry(p, port, dir, credentials);
                if (registry.awaitReady()) {
                    return registry;
                }
                lastProblem = readLog(log);
                registry.stopProcess();
                // most likely the port was taken between our probe and the registry's bind: try another
            }
        } catch (IOException e) {
            deleteTree(dir);
            throw new UncheckedIOException("cannot start " + BINARY + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
        deleteTree(dir);
        throw new IllegalStateException("docker-registry did not answer GET /v2/ after " + PORT_ATTEMPTS
                + " attempts; its last log:\n" + lastProblem);
    }

    private static Path writeConfig(Path dir, int port, Optional<Credentials> credentials) throws IOException {
        Path storage = dir.resolve("storage");
        Files.createDirectories(storage);
        StringBuilder yaml = new StringBuilder()
                .append("version: 0.1\n")
                .append("log:\n  level: warn\n  accesslog:\n    disabled: true\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ").append(storage).append('\n')
                .append("  delete:\n    enabled: true\n")
                .append("http:\n  addr: 127.0.0.1:").append(port).append('\n')
                .append("  secret: berth-test-registry\n");
        if (credentials.isPresent()) {
            Path htpasswd = dir.resolve("htpasswd");
            Credentials c = credentials.get();
            // registry 2.8 only accepts bcrypt lines ($2y$), not {SHA} or crypt
            String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(5, c.password().toCharArray());
            Files.writeString(htpasswd, c.username() + ":" + hash + "\n", StandardCharsets.UTF_8);
            yaml.append("auth:\n  htpasswd:\n    realm: berth-test\n    path: ").append(htpasswd).append('\n');
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, yaml.toString(), StandardCharsets.UTF_8);
        return config;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private boolean awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    return false;
                }
                try {
                    HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(url() + "/v2/"))
                            .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                    // 200 anonymous, 401 with auth: either way it is our registry answering
                    if ((r.statusCode() == 200 || r.statusCode() == 401)
                            && r.headers().firstValue("Docker-Distribution-Api-Version").isPresent()) {
                        return true;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(50);
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            client.close();
        }
    }

    /** {@code 127.0.0.1:PORT}, the registry part of an image reference. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://" + host();
    }

    public int port() {
        return port;
    }

    /** The registry's storage root directory (its on-disk repositories and blobs). */
    public Path root() {
        return dir.resolve("storage");
    }

    /** The credentials a Basic-auth registry accepts; empty for an anonymous one. */
    public Optional<Credentials> credentials() {
        return credentials;
    }

    /** The pid of the registry process. */
    public long pid() {
        return process.pid();
    }

    /** What the registry printed so far (warnings and errors). */
    public String log() {
        return readLog(dir.resolve("registry.log"));
    }

    /** {@code HOST/repo:tag}. */
    public String reference(String repoAndTag) {
        return host() + "/" + repoAndTag;
    }

    private static String readLog(Path log) {
        try {
            return Files.isRegularFile(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private void stopProcess() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM to this pid only
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Stops the registry process (by its pid) and deletes its storage. */
    @Override
    public void close() {
        stopProcess();
        deleteTree(dir);
    }

    static void deleteTree(Path dir) {
        TestFiles.deleteTree(dir);
    }

    @Override
    public String toString() {
        return "LocalRegistry[" + host() + (credentials.isPresent() ? ", basic auth" : "") + ", pid " + pid() + "]";
    }

    /** Every line of {@link #log()} (for assertions and failure messages). */
    public List<String> logLines() {
        return log().lines().toList();
    }
}
