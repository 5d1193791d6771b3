package dev.berth.testkit;

import dev.berth.engine.Engine;
import dev.berth.engine.api.ApiServer;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerFilter;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JUnit 5 extension: one {@link TempEngine} for a test class, optionally with the busybox image
 * installed and the Docker API served on its socket, containers removed after each test and
 * everything (API socket, containers, mounts, state root) gone after the class:
 * <pre>{@code
 * @RegisterExtension
 * static final EngineExtension engine = EngineExtension.start().withBusybox("busybox:latest").serving();
 * ... engine.engine().containers() ... "unix://" + engine.socket() ...
 * }</pre>
 * Register it on a static field so that it wraps the whole class; the class's own
 * {@code @BeforeAll} methods run after the engine is up.
 */
public final class EngineExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final List<String> busybox = new ArrayList<>();
    private boolean serve;
    private boolean checkMounts;
    private TempEngine engine;
    private ApiServer api;
    private Path work;

    private EngineExtension() {}

    /** An engine on a temp root, nothing more. */
    public static EngineExtension start() {
        return new EngineExtension();
    }

    /** Installs the plain busybox test image under {@code ref} (e.g. {@code busybox:latest}) before the class. */
    public EngineExtension withBusybox(String ref) {
        busybox.add(ref);
        return this;
    }

    /** Serves the Docker API on {@link #socket()}. */
    public EngineExtension serving() {
        serve = true;
        return this;
    }

    /** After each test, once its containers are removed, fails when a mount is left under the state root. */
    public EngineExtension checkingNoMountsLeft() {
        checkMounts = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        engine = TempEngine.start();
        try {
            work = Files.createTempDirectory("berth-images-");
            for (String ref : busybox) {
                LocalImages.busybox(engine.engine(), work.resolve(ref.replaceAll("[^A-Za-z0-9]", "_")), ref);
            }
            if (serve) {
                api = ApiServer.serve(engine.engine(), engine.socket());
            }
        } catch (IOException e) {
            afterAll(context);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            afterAll(context);
            throw e;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (Container c : engine.engine().containers().list(ContainerFilter.ALL)) {
            engine.engine().containers().remove(c.id(), true, false);
        }
        if (checkMounts) {
            List<Path> left = Mounts.mountPointsUnder(engine.root());
            if (!left.isEmpty()) {
                throw new AssertionError("mounts left under the state root after the test: " + left);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (api != null) {
                api.close();
            }
        } finally {
            api = null;
            try {
                if (engine != null) {
                    engine.close();
                }
            } finally {
                engine = null;
                if (work != null) {
                    TestFiles.deleteTree(work);
                    work = null;
                }
            }
        }
    }

    private TempEngine running() {
        if (engine == null) {
            throw new IllegalStateException("no engine is running: use it from a test or a lifecycle method");
        }
        return engine;
    }

    public Engine engine() {
        return running().engine();
    }

    /** The engine's state root. */
    public Path root() {
        return running().root();
    }

    /** The Docker API socket (served when {@link #serving()} was asked for). */
    public Path socket() {
        return running().socket();
    }
}
