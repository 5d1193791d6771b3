package dev.berth.engine.api.containers;

import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.api.ApiServer;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerFilter;
import dev.berth.engine.network.NetworkInspect;
import dev.berth.engine.volume.Volume;
import dev.berth.testkit.DockerCli;
import dev.berth.testkit.LocalImages;
import dev.berth.testkit.TestFiles;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An engine with busybox, its API socket and the docker CLI pointed at it, on a state root whose
 * {@code config.json} gives the default bridge its own subnet and the bridges their own name
 * prefix (so test engines never share a bridge with another engine on the host). It can be
 * stopped and started again on the same root; {@link #close()} removes every container, user
 * network and volume it made, then the directory.
 * <p>As a JUnit extension on a static field it is started before the class and closed after it
 * (and, with {@link #cleaningAfterEach()}, cleaned after each test):
 * <pre>{@code
 * @RegisterExtension
 * static final NetworkedEngine net = NetworkedEngine.perClass("10.77.0.0/24", "bnwa").cleaningAfterEach();
 * }</pre>
 */
final class NetworkedEngine implements AutoCloseable, BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final String bridgeSubnet;
    private final String bridgePrefix;
    private boolean cleanAfterEach;
    private Path dir;
    private EngineConfig config;
    private Engine engine;
    private ApiServer api;

    private NetworkedEngine(String bridgeSubnet, String bridgePrefix) {
        this.bridgeSubnet = bridgeSubnet;
        this.bridgePrefix = bridgePrefix;
    }

    /**
     * An engine for a test class, started before it and closed after it (register it on a static field).
     *
     * @param bridgeSubnet the default bridge's subnet, e.g. {@code 10.77.0.0/24}
     * @param bridgePrefix bridge name prefix, e.g. {@code bnwa}
     */
    static NetworkedEngine perClass(String bridgeSubnet, String bridgePrefix) {
        return new NetworkedEngine(bridgeSubnet, bridgePrefix);
    }

    /** After each test, removes every container, user network and volume (see {@link #clean()}). */
    NetworkedEngine cleaningAfterEach() {
        cleanAfterEach = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        open();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (cleanAfterEach) {
            clean();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void open() {
        try {
            dir = Files.createTempDirectory("berth-net-");
            Path root = Files.createDirectories(dir.resolve("root"));
            Files.writeString(root.resolve(EngineConfig.CONFIG_FILE),
                    "{\"default-bridge-subnet\": \"" + bridgeSubnet + "\", \"bridge-prefix\": \"" + bridgePrefix + "\"}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config = new EngineConfig(dir.resolve("root"), dir.resolve("b.sock"));
        try {
            up();
            LocalImages.busybox(engine, dir.resolve("image"), "busybox:latest");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts an engine and its API on the root (after {@link #down()}). */
    void up() {
        engine = Engine.start(config);
        api = ApiServer.serve(engine, config.socket());
    }

    /** Stops the engine (containers keep running) and starts a new one on the same root. */
    void restart() {
        down();
        up();
    }

    /** Stops the engine and its API (containers keep running); {@link #up()} starts a new one. */
    void down() {
        if (api != null) {
            api.close();
            api = null;
        }
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }

    Engine engine() {
        return engine;
    }

    Path dir() {
        return dir;
    }

    Path root() {
        return config.root();
    }

    Path socket() {
        return config.socket();
    }

    /** Runs the docker CLI against this engine's socket. */
    DockerCli.Run docker(String... args) {
        return new DockerCli(config.socket(), dir).runUnchecked(args);
    }

    /** Runs the CLI and requires exit 0; returns stdout. */
    String ok(String... args) {
        DockerCli.Run r = docker(args);
        assertThat(r.exit()).as("docker " + String.join(" ", args) + "\n" + r.all()).isZero();
        return r.out();
    }

    /** A TCP port on 127.0.0.1 nobody listens on right now. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GETs {@code url}, retrying for a few seconds while the server in the container starts. */
    static String httpGet(String url) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setConnectTimeout(2000);
                c.setReadTimeout(3000);
                try (InputStream in = c.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } finally {
                    c.disconnect();
                }
            } catch (IOException e) {
                last = e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(ie);
                }
            }
        }
        throw new AssertionError("GET " + url + " failed for 10 s: " + last, last);
    }

    /** Removes every container (force, with anonymous volumes), user network and volume. */
    void clean() {
        for (Container c : engine.containers().list(ContainerFilter.ALL)) {
            engine.containers().remove(c.id(), true, true);
        }
        for (NetworkInspect n : engine.networks().list(Map.of("type", List.of("custom")))) {
            engine.networks().remove(n.id());
        }
        for (Volume v : engine.volumes().list()) {
            engine.volumes().remove(v.name(), true);
        }
    }

    @Override
    public void close() {
        try {
            if (engine != null) {
                clean();
            }
        } finally {
            down();
            if (dir != null) {
                TestFiles.deleteTree(dir);
                dir = null;
            }
        }
    }
}
