package dev.berth.engine;

import dev.berth.engine.build.Builder;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.LocalContainerService;
import dev.berth.engine.content.ContentStore;
import dev.berth.engine.content.FilesystemContentStore;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.image.ContainerUsage;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.image.LocalImageService;
import dev.berth.engine.layer.LayerApplier;
import dev.berth.engine.network.NetworkService;
import dev.berth.engine.registry.RegistryClient;
import dev.berth.engine.registry.RegistryConfig;
import dev.berth.engine.runtime.HostTools;
import dev.berth.engine.runtime.OciRuntime;
import dev.berth.engine.runtime.RuntimeDetector;
import dev.berth.engine.runtime.spec.BundleSpecBuilder;
import dev.berth.engine.snapshot.OverlaySnapshotter;
import dev.berth.engine.snapshot.Snapshotter;
import dev.berth.engine.snapshot.Unpacker;
import dev.berth.engine.state.AtomicFiles;
import dev.berth.engine.state.StateRoot;
import dev.berth.engine.system.HostInfo;
import dev.berth.engine.system.SystemService;
import dev.berth.engine.volume.LocalVolumeService;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;

/**
 * The engine's one composition root: takes ownership of the state root, finds the host's
 * tools, and wires every service with its constructor. The desktop app uses this class
 * in-process; the API server is wired from the same services. No global state: two engines
 * with two state roots can live in one JVM (tests do this).
 */
public final class Engine implements AutoCloseable {

    private final EngineConfig config;
    private final StateRoot stateRoot;
    private final EventBus events;
    private final SystemService system;
    private final ImageStore images;
    private final ContentStore content;
    private final Snapshotter snapshots;
    private final Unpacker unpacker;
    private final RegistryClient registry;
    private final ImageService imageService;
    private final LocalContainerService containers;
    private final NetworkService networks;
    private final LocalVolumeService volumes;
    private final Builder builder;

    private Engine(EngineConfig config, StateRoot stateRoot, EventBus events, SystemService system, ImageStore images,
                   ContentStore content, Snapshotter snapshots, Unpacker unpacker, RegistryClient registry,
                   ImageService imageService, LocalContainerService containers, NetworkService networks,
                   LocalVolumeService volumes) {
        this.config = config;
        this.stateRoot = stateRoot;
        this.events = events;
        this.system = system;
        this.images = images;
        this.content = content;
        this.snapshots = snapshots;
        this.unpacker = unpacker;
        this.registry = registry;
        this.imageService = imageService;
        this.containers = containers;
        this.networks = networks;
        this.volumes = volumes;
        this.builder = new Builder(images, content, unpacker, containers, imageService, stateRoot.subdir("build"),
                Clock.systemUTC());
    }

    /**
     * Starts an engine on {@code config.root()}.
     *
     * @throws dev.berth.engine.errors.EngineException.Conflict when another engine owns the root
     */
    public static Engine start(EngineConfig given) {
        StateRoot root = StateRoot.acquire(given.root(), given.socket().toString());
        RegistryClient registry = null;
        try {
            EngineConfig config = given.withConfigFile();
            EventBus events = new EventBus();
            HostTools tools = new RuntimeDetector(root.subdir("tmp")).withCache(root.dir().resolve("runtime-probe.json")).detect();
            ImageStore images = new ImageStore(root.subdir("image"));
            ContentStore content = new FilesystemContentStore(root.subdir("content"));
            Snapshotter snapshots = OverlaySnapshotter.open(root.subdir("snapshots"));
            Unpacker unpacker = new Unpacker(snapshots, LayerApplier.overlay());
            registry = new RegistryClient(RegistryConfig.defaults(root.dir().resolve("auth.json"))
                    .withInsecureRegistries(config.insecureRegistries())
                    .withMirrors(config.registryMirrors()));
            NetworkService networks = new NetworkService(config.networkConfig(), events);
            LocalVolumeService volumes = new LocalVolumeService(root.dir(), events);
            LocalContainerService containers = tools.runtime().isPresent() && tools.conmon().isPresent()
                    ? new LocalContainerService(root.subdir("containers"), images, content, snapshots,
                            OciRuntime.forHost(tools, root.subdir("runtime")), BundleSpecBuilder.forHost(), events,
                            networks, volumes)
                    : LocalContainerService.withoutRuntime(root.subdir("containers"), images, content, snapshots,
                            "no working OCI runtime with conmon: " + tools.summary(), events, networks, volumes);
            ImageService imageService = new LocalImageService(images, content, snapshots, unpacker, registry, events,
                    containers::containersUsing, LocalImageService.Settings.defaults(config.registryMirrors()),
                    root.subdir("image").resolve("blob-sources.json"));
            SystemService system = new SystemService(engineId(root), HostInfo.read(), tools, root.dir(), () -> {
                var c = containers.counts();
                return new SystemService.Counts(c.total(), c.running(), c.paused(), c.stopped(), images.list().size());
            });
            containers.recover();
            Engine engine = new Engine(config, root, events, system, images, content, snapshots, unpacker, registry,
                    imageService, containers, networks, volumes);
            events.publish(Event.of("daemon", "start", system.engineId(), Map.of("name", system.host().hostname())));
            return engine;
        } catch (RuntimeException e) {
            if (registry != null) {
                registry.close();
            }
            root.close();
            throw e;
        }
    }

    /** A stable id for this state root, created on first start (Docker's daemon ID). */
    private static String engineId(StateRoot root) {
        Path file = root.dir().resolve("engine-id");
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            byte[] b = new byte[16];
            new SecureRandom().nextBytes(b);
            String id = HexFormat.of().formatHex(b);
            AtomicFiles.write(file, id.getBytes(StandardCharsets.UTF_8));
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public EngineConfig config() {
        return config;
    }

    public EventBus events() {
        return events;
    }

    public SystemService system() {
        return system;
    }

    /** The local image cache's metadata (records and tags). */
    public ImageStore images() {
        return images;
    }

    /** Pull, push, tag, remove, inspect, ... : the image operations (what the images API and pane call). */
    public ImageService imageService() {
        return imageService;
    }

    /** The content-addressed blob store ({@code <root>/content}). */
    public ContentStore content() {
        return content;
    }

    /** The overlay snapshots keyed by chain ID ({@code <root>/snapshots}). */
    public Snapshotter snapshots() {
        return snapshots;
    }

    /** Create, start, stop, exec, logs, ... : the container operations (containers keep running after close). */
    public ContainerService containers() {
        return containers;
    }

    /** Bridge networks through netavark and aardvark-dns ({@code <root>/networks}, {@code <root>/netns}). */
    public NetworkService networks() {
        return networks;
    }

    /** Named and anonymous volumes ({@code <root>/volumes}). */
    public LocalVolumeService volumes() {
        return volumes;
    }

    /** {@code docker build}: the classic builder with its layer cache ({@code <root>/build}). */
    public Builder builder() {
        return builder;
    }

    /** Unpacks layers into snapshots, each once. */
    public Unpacker unpacker() {
        return unpacker;
    }

    /** The registry client (logins in {@code <root>/auth.json}). */
    public RegistryClient registry() {
        return registry;
    }

    @Override
    public void close() {
        containers.close();
        events.publish(Event.of("daemon", "stop", system.engineId(), Map.of()));
        registry.close();
        stateRoot.close();
    }
}
