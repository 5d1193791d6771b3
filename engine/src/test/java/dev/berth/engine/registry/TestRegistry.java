package dev.berth.engine.registry;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's real {@code docker-registry} on 127.0.0.1 and a free port, with its storage under a
 * temp dir; stopped by its own pid. Test-local on purpose (the registry tests do not depend on
 * the shared test kit).
 */
final class TestRegistry implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final int port;
    private final Path dir;

    private TestRegistry(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** A plain registry. */
    static TestRegistry start(Path dir) throws IOException, InterruptedException {
        return start(dir, null, false);
    }

    /**
     * @param htpasswd an htpasswd file (bcrypt) to require Basic auth with, or null
     * @param schema1  accept pushes of Docker schema 1 manifests (to test that we refuse them)
     */
    static TestRegistry start(Path dir, Path htpasswd, boolean schema1) throws IOException, InterruptedException {
        int port = freePort();
        Files.createDirectories(dir.resolve("storage"));
        StringBuilder cfg = new StringBuilder("""
                version: 0.1
                log:
                  level: error
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                  secret: berth-test-secret
                """.formatted(dir.resolve("storage"), port));
        if (htpasswd != null) {
            cfg.append("""
                    auth:
                      htpasswd:
                        realm: berth-test
                        path: %s
                    """.formatted(htpasswd));
        }
        if (schema1) {
            cfg.append("""
                    compatibility:
                      schema1:
                        enabled: true
                    """);
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, cfg.toString(), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile())
                .start();
        TestRegistry r = new TestRegistry(p, port, dir);
        r.awaitReady();
        return r;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
                }
                try {
                    int s = http.send(HttpRequest.newBuilder(URI.create(url() + "/v2/")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (s == 200 || s == 401) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(50);
            }
        }
        close();
        throw new IOException("docker-registry did not start on port " + port);
    }

    int port() {
        return port;
    }

    /** {@code 127.0.0.1:PORT}, the registry's name in references. */
    String name() {
        return "127.0.0.1:" + port;
    }

    String url() {
        return "http://" + name();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
