package dev.berth.app.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.api.ApiServer;
import dev.berth.engine.api.system.VersionResponse;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.image.Reference;
import dev.berth.engine.oci.ImageConfig;
import dev.berth.engine.oci.Platform;
import dev.berth.engine.registry.Credentials;
import dev.berth.engine.runtime.HostTools;
import dev.berth.engine.system.SystemInfo;
import dev.berth.engine.system.VersionInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The engine running inside the app, plus the Docker API served on its socket so the
 * {@code docker} CLI can drive the same engine. When the socket cannot be served the engine
 * still runs and {@link Connection.Embedded#socketProblem()} says why; the status bar shows it.
 */
public final class EmbeddedBackend implements Backend {

    private static final System.Logger LOG = System.getLogger(EmbeddedBackend.class.getName());

    private final Engine engine;
    private final ApiServer apiServer;
    private final Connection.Embedded connection;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The API client to this engine's own socket, connected on first use. */
    private volatile ApiClient api;

    private EmbeddedBackend(Engine engine, ApiServer apiServer, Connection.Embedded connection) {
        this.engine = engine;
        this.apiServer = apiServer;
        this.connection = connection;
    }

    /**
     * Starts an engine on {@code config.root()} and, when {@code serveSocket}, the Docker API on
     * {@code config.socket()}.
     *
     * @throws EngineException when the engine cannot start (e.g. another engine owns the root)
     */
    public static EmbeddedBackend start(EngineConfig config, boolean serveSocket) {
        Engine engine = Engine.start(config);
        ApiServer server = null;
        Optional<String> problem = Optional.of("not requested");
        if (serveSocket) {
            try {
                server = ApiServer.serve(engine, config.socket());
                problem = Optional.empty();
            } catch (RuntimeException e) {
                String why = e instanceof UnsupportedOperationException
                        ? "this build has no Docker API server yet"
                        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                LOG.log(System.Logger.Level.WARNING, "engine runs without the Docker API on " + config.socket() + ": " + why);
                problem = Optional.of(why);
            }
        }
        return new EmbeddedBackend(engine, server, new Connection.Embedded(config.root(), config.socket(), problem));
    }

    /** The engine itself, for the parts of the app (and tests) that publish to or read it directly. */
    public Engine engine() {
        return engine;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public ApiClient api() {
        ApiClient a = api;
        if (a == null) {
            synchronized (this) {
                if (api == null) {
                    if (apiServer == null) {
                        throw new EngineException.Unavailable("the engine runs without its Docker API socket ("
                                + connection.socketProblem().orElse("not served") + ")");
                    }
                    api = ApiClient.connect(new DockerHost.Unix(connection.socket()));
                }
                a = api;
            }
        }
        return a;
    }

    @Override
    public void ping() {
        // in-process: the engine answers as long as it has not been closed
    }

    @Override
    public EngineVersion version() {
        VersionInfo v = engine.system().version();
        // the same product name and API version the engine's own /version reports
        return new EngineVersion(VersionResponse.PLATFORM, v.engineVersion(), dev.berth.engine.api.http.ApiVersion.CURRENT.toString(), v.gitCommit(),
                v.os(), v.arch(), v.kernelVersion());
    }

    @Override
    public EngineInfo info() {
        SystemInfo i = engine.system().info();
        HostTools tools = i.tools();
        String runtime = tools.runtime().map(t -> t.name() + " " + t.version()).orElse("");
        return new EngineInfo(i.engineId(), i.host().hostname(), i.engineVersion(), runtime,
                i.host().operatingSystem(), i.host().kernelVersion(), i.host().architecture(), i.host().cpus(),
                i.host().memoryBytes(), i.storageDriver(), i.rootDir().toString(),
                Integer.toString(i.host().cgroupVersion()), i.containers(), i.containersRunning(),
                i.containersPaused(), i.containersStopped(), i.images());
    }

    @Override
    public EventSubscription events(Instant since, Consumer<EngineEvent> onEvent, Consumer<Throwable> onEnd) {
        EventBus.Subscription sub = engine.events().subscribe(null, since);
        Thread reader = Thread.ofPlatform().daemon().name("berth-events-embedded").unstarted(() -> {
            try {
                while (!sub.isClosed()) {
                    Event e = sub.poll(250, TimeUnit.MILLISECONDS);
                    if (e != null) {
                        onEvent.accept(toApp(e));
                    }
                }
                if (sub.overflowed()) {
                    onEnd.accept(new EngineException.Unavailable("the event stream fell too far behind and was closed"));
                }
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                onEnd.accept(e);
            }
        });
        reader.start();
        return () -> {
            sub.close();
            reader.interrupt();
        };
    }

    static EngineEvent toApp(Event e) {
        return new EngineEvent(e.time(), e.type(), e.action(), e.actorId(), e.attributes());
    }

    // ---- images ------------------------------------------------------------------------------

    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageService imageService() {
        return engine.imageService();
    }

    @Override
    public String normalizeReference(String reference) {
        return Reference.parse(reference == null ? "" : reference.strip()).toString();
    }

    @Override
    public List<ImageSummary> images() {
        return imageService().list(false, Map.of()).stream().map(EmbeddedBackend::summary).toList();
    }

    private static ImageSummary summary(ImageService.ImageSummary s) {
        return new ImageSummary(s.image().id().toString(), s.tags().stream().map(Reference::familiar).toList(),
                s.digests().stream().map(Reference::familiar).toList(), s.image().created(), s.image().size(),
                s.containers());
    }

    @Override
    public String pullImage(String reference, String platform, java.util.function.Consumer<ImageProgress> progress)
            throws InterruptedException {
        Reference ref = Reference.parse(reference.strip());
        Optional<Platform> p = platform == null || platform.isBlank() ? Optional.empty() : Optional.of(Platform.parse(platform.strip()));
        return imageService().pull(ref, new ImageService.PullOptions(p, Optional.empty()), listener(progress)).id().toString();
    }

    @Override
    public String pushImage(String reference, java.util.function.Consumer<ImageProgress> progress) throws InterruptedException {
        return imageService().push(Reference.parse(reference.strip()), Optional.empty(), listener(progress)).digest().toString();
    }

    private static ImageService.ProgressListener listener(java.util.function.Consumer<ImageProgress> progress) {
        return p -> progress.accept(new ImageProgress(p.id(), ImageProgress.Phase.valueOf(p.phase().name()),
                p.current(), p.total(), p.message()));
    }

    @Override
    public void tagImage(String source, String target) {
        imageService().tag(source, Reference.parse(target.strip()));
    }

    @Override
    public List<RemovedImage> removeImage(String name, boolean force) {
        return imageService().remove(name, force, false).stream()
                .map(r -> new RemovedImage(r.untagged(), r.deleted())).toList();
    }

    @Override
    public JsonNode inspectImage(String name) {
        ImageService.ImageDetails d = imageService().inspect(name);
        ImageConfig c = d.config();
        ObjectNode n = JSON.createObjectNode();
        n.put("Id", d.image().id().toString());
        ArrayNode tags = n.putArray("RepoTags");
        d.tags().forEach(t -> tags.add(t.familiar()));
        ArrayNode digests = n.putArray("RepoDigests");
        d.digests().forEach(t -> digests.add(t.familiar()));
        n.put("Created", d.image().created() == null ? "" : d.image().created().toString());
        if (c != null) {
            n.put("Author", c.author() == null ? "" : c.author());
            n.set("Config", c.config() == null ? JSON.nullNode() : JSON.valueToTree(c.config()));
            n.put("Architecture", c.architecture());
            if (c.variant() != null) {
                n.put("Variant", c.variant());
            }
            n.put("Os", c.os());
        }
        n.put("Size", d.image().size());
        ObjectNode rootfs = n.putObject("RootFS");
        rootfs.put("Type", "layers");
        ArrayNode layers = rootfs.putArray("Layers");
        d.image().diffIds().forEach(l -> layers.add(l.toString()));
        if (d.image().manifestDigest() != null) {
            ObjectNode desc = n.putObject("Descriptor");
            desc.put("mediaType", d.image().manifestMediaType());
            desc.put("digest", d.image().manifestDigest().toString());
        }
        ObjectNode meta = n.putObject("Metadata");
        meta.put("LastTagTime", d.image().added().toString());
        return n;
    }

    @Override
    public List<ImageLayer> imageHistory(String name) {
        ImageService service = imageService();
        ImageService.ImageDetails d = service.inspect(name);
        List<ImageService.HistoryEntry> entries = service.history(name);
        List<ImageConfig.History> configHistory = d.config() == null || d.config().history() == null
                ? List.of() : d.config().history();
        // the config's history is oldest first and marks the steps without a layer
        List<LayerSharing.Step> steps = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ImageService.HistoryEntry e = entries.get(i);
            int fromOldest = entries.size() - 1 - i;
            Boolean empty = configHistory.size() == entries.size() ? configHistory.get(fromOldest).isEmptyLayer() : null;
            steps.add(new LayerSharing.Step(e.id(), e.created(), e.createdBy(), e.size(), e.comment(), e.tags(), empty));
        }
        List<String> mine = d.image().diffIds().stream().map(Object::toString).toList();
        List<List<String>> others = service.list(true, Map.of()).stream()
                .filter(s -> !s.image().id().equals(d.image().id()))
                .map(s -> s.image().diffIds().stream().map(Object::toString).toList())
                .toList();
        return LayerSharing.attach(steps, mine, others);
    }

    @Override
    public void saveImages(List<String> names, Path file) throws InterruptedException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                imageService().save(names, out);
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // best effort: the partial file is named as such
            }
        }
    }

    @Override
    public List<String> loadImages(Path file, java.util.function.Consumer<ImageProgress> progress) throws InterruptedException {
        try (InputStream in = Files.newInputStream(file)) {
            return imageService().load(in, listener(progress));
        } catch (IOException e) {
            throw new EngineException.NotFound("cannot read " + file + ": " + e.getMessage());
        }
    }

    @Override
    public PruneResult pruneImages(boolean all) {
        ImageService.PruneReport r = imageService().prune(all, Map.of());
        return new PruneResult(r.removed().stream().map(x -> new RemovedImage(x.untagged(), x.deleted())).toList(),
                r.spaceReclaimed());
    }

    @Override
    public void login(String registry, String username, String password) {
        imageService().login(registry.strip(), new Credentials(username, password));
    }

    @Override
    public boolean logout(String registry) {
        return imageService().logout(registry.strip());
    }

    /** The engine's {@code config.json}: read by the engine when it starts. */
    private RegistrySettingsFile settingsFile() {
        return new RegistrySettingsFile(engine.config().root().resolve("config.json"));
    }

    @Override
    public RegistrySettings registrySettings() {
        return settingsFile().read();
    }

    @Override
    public RegistrySettings saveRegistrySettings(List<String> mirrors, List<String> insecureRegistries) {
        return settingsFile().write(mirrors, insecureRegistries);
    }

    /** Stops the API server, then the engine. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            ApiClient a = api;
            if (a != null) {
                a.close();
            }
            if (apiServer != null) {
                apiServer.close();
            }
        } finally {
            engine.close();
        }
    }
}
