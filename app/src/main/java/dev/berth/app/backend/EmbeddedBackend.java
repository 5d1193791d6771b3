package dev.berth.app.backend;

import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.api.ApiServer;
import dev.berth.engine.api.system.VersionResponse;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.registry.Credentials;
import dev.berth.engine.runtime.HostTools;
import dev.berth.engine.system.SystemInfo;
import dev.berth.engine.system.VersionInfo;

import java.time.Instant;
import java.util.List;
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

    // ---- registries ----------------------------------------------------------------------------

    private ImageService imageService() {
        return engine.imageService();
    }

    @Override
    public void login(String registry, String username, String password) {
        imageService().login(registry.strip(), new Credentials(username, password));
    }

    @Override
    public boolean logout(String registry) {
        return imageService().logout(registry.strip());
    }

    /** None: the engine stored the login and answers the registry's challenges itself. */
    @Override
    public Optional<String> registryAuth(String registry) {
        return Optional.empty();
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
