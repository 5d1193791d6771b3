package dev.berth.testkit;

import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An engine on a throw-away state root, for one test:
 * <pre>{@code
 * try (TempEngine t = TempEngine.start()) {
 *     t.engine().system().info() ...
 * }
 * }</pre>
 * {@link #close()} removes the containers left (so their networks are torn down), closes the engine, unmounts anything still mounted under the root (read
 * from {@code /proc/self/mountinfo}, so a crashed test cannot leave overlay mounts behind) and
 * deletes the directory.
 */
public final class TempEngine implements AutoCloseable {

    private final Path dir;
    private final EngineConfig config;
    private final Engine engine;

    private TempEngine(Path dir, EngineConfig config, Engine engine) {
        this.dir = dir;
        this.config = config;
        this.engine = engine;
    }

    /** Starts an engine with its state root and API socket in a new temp directory. */
    public static TempEngine start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("berth-engine-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EngineConfig config = new EngineConfig(dir.resolve("root"), dir.resolve("berth.sock"));
        try {
            return new TempEngine(dir, config, Engine.start(config));
        } catch (RuntimeException e) {
            TestFiles.deleteTree(dir);
            throw e;
        }
    }

    public Engine engine() {
        return engine;
    }

    public EngineConfig config() {
        return config;
    }

    /** The engine's state root. */
    public Path root() {
        return config.root();
    }

    /** Where the engine's Docker API socket is (or would be) served. */
    public Path socket() {
        return config.socket();
    }

    @Override
    public void close() {
        try {
            // containers outlive an engine; on a throw-away root nothing would ever tear their
            // networks down again (the namespace goes with the directory, the firewall rules would not)
            for (var c : engine.containers().list(dev.berth.engine.container.ContainerFilter.ALL)) {
                try {
                    engine.containers().remove(c.id(), true, true);
                } catch (RuntimeException e) {
                    System.err.println("TempEngine: cannot remove container " + c.name() + ": " + e.getMessage());
                }
            }
            engine.close();
        } finally {
            TestFiles.deleteTree(dir);
        }
    }
}
