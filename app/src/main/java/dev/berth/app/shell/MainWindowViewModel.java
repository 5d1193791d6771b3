package dev.berth.app.shell;

import dev.berth.app.backend.ApiClient;
import dev.berth.app.backend.Backend;
import dev.berth.app.backend.Connection;
import dev.berth.app.backend.EngineInfo;
import dev.berth.app.backend.EngineVersion;
import dev.berth.app.builds.BuildHistory;
import dev.berth.app.builds.BuildsViewModel;
import dev.berth.app.containers.ContainersViewModel;
import dev.berth.app.events.EventsViewModel;
import dev.berth.app.i18n.ErrorText;
import dev.berth.app.i18n.Localization;
import dev.berth.app.i18n.Text;
import dev.berth.app.images.ImagesViewModel;
import dev.berth.app.networks.NetworksViewModel;
import dev.berth.app.settings.RegistriesViewModel;
import dev.berth.app.settings.SettingsViewModel;
import dev.berth.app.task.UiExecutor;
import dev.berth.app.volumes.VolumesViewModel;
import dev.berth.engine.errors.EngineException;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;

import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * The main window's state: which page is shown, the engine's state, version and info, and
 * the view models of every pane. {@link #start} finds or starts the engine in the background;
 * {@link #close} releases it (stopping the embedded engine and its API server).
 */
public final class MainWindowViewModel implements AutoCloseable {

    private record Facts(EngineVersion version, EngineInfo info) {}

    private final UiExecutor executor;
    private final ObjectProperty<Page> page = new SimpleObjectProperty<>(this, "page", Page.CONTAINERS);
    private final ReadOnlyObjectWrapper<EngineState> state = new ReadOnlyObjectWrapper<>(this, "state", new EngineState.Starting());
    private final ReadOnlyObjectWrapper<Backend> backend = new ReadOnlyObjectWrapper<>(this, "backend");
    private final ReadOnlyObjectWrapper<EngineVersion> version = new ReadOnlyObjectWrapper<>(this, "version");
    private final ReadOnlyObjectWrapper<EngineInfo> info = new ReadOnlyObjectWrapper<>(this, "info");
    private final StatusBarViewModel statusBar;
    private final ContainersViewModel containers;
    private final ImagesViewModel images;
    private final RegistriesViewModel registries;
    private final VolumesViewModel volumes;
    private final NetworksViewModel networks;
    private final BuildsViewModel builds;
    private final EventsViewModel events;
    private final SettingsViewModel settings;
    private volatile boolean closed;

    public MainWindowViewModel(UiExecutor executor, Localization i18n, SettingsViewModel settings) {
        this.executor = executor;
        this.settings = settings;
        this.events = new EventsViewModel(executor);
        this.images = new ImagesViewModel(executor);
        this.containers = new ContainersViewModel(executor);
        this.registries = new RegistriesViewModel(executor);
        this.volumes = new VolumesViewModel(executor);
        this.networks = new NetworksViewModel(executor);
        this.builds = new BuildsViewModel(executor, settings.file() == null ? null : BuildHistory.nextTo(settings.file()));
        this.statusBar = new StatusBarViewModel(i18n, state, version, info, executor.runningTasks());
        // an engine the app is a client of can go away: its event stream ending is how we notice
        events.problemProperty().addListener((obs, old, problem) -> {
            if (problem != null && !closed && backend.get() != null
                    && backend.get().connection() instanceof Connection.Remote) {
                state.set(new EngineState.Unavailable(problem));
            }
        });
    }

    /**
     * Connects in the background with {@code connect} (the {@code BackendLocator}, or a test's
     * backend); once connected reads version and info and starts the event stream from
     * {@code eventsSince} on.
     */
    public void start(Callable<Backend> connect, Instant eventsSince) {
        state.set(new EngineState.Starting());
        executor.submit(Text.of("task.startEngine"), connect, b -> {
            if (closed) {
                executor.runInBackground(b::close);
                return;
            }
            backend.set(b);
            state.set(new EngineState.Ready(b.connection()));
            events.connect(b, eventsSince);
            images.connect(b);
            containers.connect(b);
            registries.connect(b);
            volumes.connect(b);
            networks.connect(b);
            builds.connect(b);
            refresh();
        }, error -> state.set(new EngineState.Unavailable(ErrorText.of(error))));
    }

    /** Reads the engine's version and info again. */
    public void refresh() {
        Backend b = backend.get();
        if (b == null) {
            return;
        }
        executor.submit(Text.of("task.readInfo"), () -> new Facts(b.version(), b.info()), facts -> {
            version.set(facts.version());
            info.set(facts.info());
        }, error -> state.set(new EngineState.Unavailable(ErrorText.of(error))));
    }

    public ObjectProperty<Page> pageProperty() {
        return page;
    }

    public ReadOnlyObjectProperty<EngineState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Backend> backendProperty() {
        return backend.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<EngineVersion> versionProperty() {
        return version.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<EngineInfo> infoProperty() {
        return info.getReadOnlyProperty();
    }

    public StatusBarViewModel statusBar() {
        return statusBar;
    }

    /** The one executor of this window: background work and the hand-off to the FX thread. */
    public UiExecutor executor() {
        return executor;
    }

    /**
     * The connected engine's Docker API.
     *
     * @throws EngineException.Unavailable while no engine is connected
     */
    public ApiClient api() {
        Backend b = backend.get();
        if (b == null) {
            throw new EngineException.Unavailable("the engine is not connected yet");
        }
        return b.api();
    }

    public ContainersViewModel containers() {
        return containers;
    }

    public ImagesViewModel images() {
        return images;
    }

    public RegistriesViewModel registries() {
        return registries;
    }

    public VolumesViewModel volumes() {
        return volumes;
    }

    public NetworksViewModel networks() {
        return networks;
    }

    public BuildsViewModel builds() {
        return builds;
    }

    public EventsViewModel events() {
        return events;
    }

    public SettingsViewModel settings() {
        return settings;
    }

    /** Stops the event stream and releases the backend (an embedded engine stops here). */
    @Override
    public void close() {
        closed = true;
        events.close();
        images.close();
        containers.close();
        volumes.close();
        networks.close();
        builds.close();
        Backend b = backend.get();
        if (b != null) {
            b.close();
        }
    }
}
