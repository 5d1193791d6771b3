package dev.berth.app.containers;

import dev.berth.app.backend.Backend;
import dev.berth.app.backend.EngineEvent;
import dev.berth.app.backend.EventSubscription;
import dev.berth.app.images.ImageSummary;
import dev.berth.app.images.ImagesClient;
import dev.berth.app.components.EmptyState;
import dev.berth.app.i18n.ErrorText;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.UiExecutor;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The Containers pane's state: one row per container, a filter, a "show stopped" switch, the
 * lifecycle commands of the toolbar and context menu (on every selected row), and Run. The list
 * is read once on connect; after that each container event re-reads only the container it
 * names (a {@code destroy} finds it gone and drops its row), in the order the events came,
 * never on a timer. Running containers' CPU % and memory come from their stats streams.
 *
 * <p>Not a {@link dev.berth.app.task.LiveList}: that reads the whole list again and replaces every
 * row, while here a row is a long-lived object (its stats property, the selection, the details
 * pane follow it) that one event updates in place, and re-reads must land in event order.
 */
public final class ContainersViewModel implements AutoCloseable {

    /**
     * Container event actions that change nothing the table shows: exec, attach and the
     * inspection calls. Every other container event re-reads its container.
     */
    static final Set<String> QUIET_ACTIONS = Set.of("attach", "detach", "resize", "top", "export", "commit",
            "archive-path", "extract-to-dir", "copy");

    /** A lifecycle command of the toolbar and context menu. */
    public enum Action {
        START, STOP, RESTART, KILL, PAUSE, RESUME, REMOVE;

        /** Whether it applies to a container in {@code state} (a bulk action skips the others). */
        public boolean appliesTo(ContainerState state) {
            return switch (this) {
                case START -> state == ContainerState.CREATED || state == ContainerState.EXITED;
                case STOP, KILL -> state.alive();
                case RESTART -> state != ContainerState.REMOVING && state != ContainerState.DEAD;
                case PAUSE -> state == ContainerState.RUNNING;
                case RESUME -> state == ContainerState.PAUSED;
                case REMOVE -> state != ContainerState.REMOVING;
            };
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One row: a container as last read, and its latest stats while it runs. */
    public static final class Row {
        private final String id;
        private final ReadOnlyObjectWrapper<ContainerSummary> container;
        private final ReadOnlyObjectWrapper<StatsSample> stats = new ReadOnlyObjectWrapper<>(this, "stats");

        Row(ContainerSummary c) {
            this.id = c.id();
            this.container = new ReadOnlyObjectWrapper<>(this, "container", c);
        }

        public String id() {
            return id;
        }

        public ContainerSummary container() {
            return container.get();
        }

        public ReadOnlyObjectProperty<ContainerSummary> containerProperty() {
            return container.getReadOnlyProperty();
        }

        /** The latest sample while the container runs; null before the first and after it stops. */
        public ReadOnlyObjectProperty<StatsSample> statsProperty() {
            return stats.getReadOnlyProperty();
        }

        public ContainerState state() {
            return container().state();
        }

        @Override
        public String toString() {
            return container().name() + " (" + state().dockerName() + ")";
        }
    }

    /** Newest first, then by name: the order of {@code docker ps -a}. */
    public static final Comparator<Row> NEWEST_FIRST = Comparator
            .comparing((Row r) -> r.container().created() == null ? Instant.EPOCH : r.container().created(), Comparator.reverseOrder())
            .thenComparing(r -> r.container().name());

    private final UiExecutor executor;
    private final EmptyState emptyState = EmptyState.forPane("containers");
    private final ObservableList<Row> rows = FXCollections.observableArrayList(r -> new Observable[] {r.container});
    private final ObservableList<Row> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final Map<String, Row> byId = new HashMap<>();
    private final FilteredList<Row> filtered = new FilteredList<>(rows);
    private final SortedList<Row> sorted = new SortedList<>(filtered, NEWEST_FIRST);
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final BooleanProperty showStopped = new SimpleBooleanProperty(this, "showStopped", true);
    private final ReadOnlyObjectWrapper<Backend> backend = new ReadOnlyObjectWrapper<>(this, "backend");
    private final ReadOnlyObjectWrapper<Text> status = new ReadOnlyObjectWrapper<>(this, "status");
    private final ReadOnlyBooleanWrapper statusIsError = new ReadOnlyBooleanWrapper(this, "statusIsError");
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(this, "loaded");
    private final ReadOnlyObjectWrapper<String> selectRequest = new ReadOnlyObjectWrapper<>(this, "selectRequest");
    private final BooleanBinding empty;
    private final BooleanBinding hasStopped;
    private final ObjectBinding<Text> summary;
    /** Re-reads run here, one at a time, so their results land in the order of the events. */
    private final ExecutorService rereads = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("berth-containers-events").factory());
    private final Set<String> pendingRereads = new LinkedHashSet<>();
    private volatile ContainersClient client;
    private volatile EventSubscription subscription;
    private volatile ContainerStatsSampler sampler;

    public ContainersViewModel(UiExecutor executor) {
        this.executor = executor;
        filter.addListener((obs, old, now) -> updatePredicate());
        showStopped.addListener((obs, old, now) -> updatePredicate());
        updatePredicate();
        hasStopped = Bindings.createBooleanBinding(() -> rows.stream().anyMatch(r -> !r.state().alive()), rows);
        empty = Bindings.createBooleanBinding(() -> loaded.get() && rows.isEmpty(), loaded, rows);
        summary = Bindings.createObjectBinding(() -> Text.of("containers.count", filtered.size(), rows.size(),
                rows.stream().filter(r -> r.state() == ContainerState.RUNNING).count()), filtered, rows);
    }

    public String titleKey() {
        return "containers.title";
    }

    public String subtitleKey() {
        return "containers.subtitle";
    }

    public EmptyState emptyState() {
        return emptyState;
    }

    // ---- connection and events ------------------------------------------------------------------

    /** Starts showing {@code b}'s containers and following its container events. */
    public void connect(Backend b) {
        close();
        backend.set(b);
        executor.submit(Text.of("containers.task.list"), () -> {
            ContainersClient c = new ContainersClient(b.api());
            client = c;
            sampler = new ContainerStatsSampler(c::streamStats,
                    (id, sample) -> executor.runOnUi(() -> stats(id, sample)),
                    id -> executor.runOnUi(() -> stats(id, null)));
            subscription = b.events(Instant.now(), this::onEvent, failure -> { });
            return c.list(true);
        }, this::show, this::fail);
    }

    /** Reads the whole list again in the background. */
    public void refresh() {
        ContainersClient c = client;
        if (c != null) {
            executor.submit(Text.of("containers.task.list"), () -> c.list(true), this::show, this::fail);
        }
    }

    /** Whether {@code e} may change what the table shows of the container it names. */
    static boolean changesRow(EngineEvent e) {
        return "container".equals(e.type()) && !e.actorId().isEmpty()
                && !QUIET_ACTIONS.contains(e.action()) && !e.action().startsWith("exec_");
    }

    /** Called on the event stream's thread. */
    void onEvent(EngineEvent e) {
        if (changesRow(e)) {
            reread(e.actorId());
        }
    }

    /** Reads container {@code id} again (in the background, after earlier re-reads) and updates or drops its row. */
    void reread(String id) {
        synchronized (pendingRereads) {
            if (!pendingRereads.add(id)) {
                return; // one already queued reads the newest state
            }
        }
        rereads.execute(() -> {
            synchronized (pendingRereads) {
                pendingRereads.remove(id);
            }
            ContainersClient c = client;
            if (c == null) {
                return;
            }
            Optional<ContainerSummary> now;
            try {
                now = c.find(id);
            } catch (RuntimeException failure) {
                executor.runOnUi(() -> fail(failure));
                return;
            }
            executor.runOnUi(() -> now.ifPresentOrElse(this::upsert, () -> drop(id)));
        });
    }

    /** Replaces every row with {@code containers} (rows of the same containers are kept, so selection stays). */
    void show(List<ContainerSummary> containers) {
        Set<String> seen = new java.util.HashSet<>();
        for (ContainerSummary c : containers) {
            seen.add(c.id());
            upsertRow(c);
        }
        List<String> gone = byId.keySet().stream().filter(id -> !seen.contains(id)).toList();
        gone.forEach(this::dropRow);
        loaded.set(true);
        retainSampling();
    }

    /** Adds or updates the row of {@code c}. */
    void upsert(ContainerSummary c) {
        upsertRow(c);
        retainSampling();
    }

    /** Drops the row of container {@code id}, when there is one. */
    void drop(String id) {
        dropRow(id);
        retainSampling();
    }

    private void upsertRow(ContainerSummary c) {
        Row row = byId.get(c.id());
        if (row == null) {
            row = new Row(c);
            byId.put(c.id(), row);
            rows.add(row);
        } else if (!row.container().equals(c)) {
            row.container.set(c);
        }
        if (c.id().equals(wantSelected)) {
            wantSelected = null;
            selectRequest.set(c.id());
        }
    }

    private void dropRow(String id) {
        Row row = byId.remove(id);
        if (row != null) {
            rows.remove(row);
        }
    }

    private void stats(String id, StatsSample sample) {
        Row row = byId.get(id);
        if (row != null && (sample == null || row.state().alive())) {
            row.stats.set(sample);
        }
    }

    private void retainSampling() {
        ContainerStatsSampler s = sampler;
        if (s != null) {
            // only rows the table shows: a filter that hides most containers also closes their streams
            s.retain(filtered.stream().filter(r -> r.state() == ContainerState.RUNNING).map(Row::id).collect(Collectors.toSet()));
        }
    }

    private void updatePredicate() {
        String needle = filter.get() == null ? "" : filter.get().strip().toLowerCase(Locale.ROOT);
        boolean stopped = showStopped.get();
        filtered.setPredicate(r -> (stopped || r.state().alive()) && (needle.isEmpty() || matches(r.container(), needle)));
        retainSampling();
    }

    /** Whether the filter text (lower case) matches the container's name, image, id, command, state or ports. */
    static boolean matches(ContainerSummary c, String needle) {
        return c.name().toLowerCase(Locale.ROOT).contains(needle)
                || c.image().toLowerCase(Locale.ROOT).contains(needle)
                || c.id().startsWith(needle)
                || c.command().toLowerCase(Locale.ROOT).contains(needle)
                || c.state().dockerName().equals(needle)
                || c.portsText().contains(needle);
    }

    // ---- commands ---------------------------------------------------------------------------------

    private volatile String wantSelected;

    /**
     * Runs {@code action} on each of {@code targets} it applies to, all at once, in the background.
     * {@code removeVolumes} matters for {@link Action#REMOVE} only (running containers are removed
     * with force). The status line says what was done, or each failure in plain words.
     */
    public void apply(Action action, Collection<Row> targets, boolean removeVolumes) {
        apply(action, targets, removeVolumes, null);
    }

    /** Signals that {@code docker kill -s} is offered for from the context menu (Kill itself sends SIGKILL). */
    public static final List<String> SIGNALS = List.of("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2");

    /** {@code docker kill -s signal} on each of {@code targets} that runs. */
    public void signal(Collection<Row> targets, String signal) {
        apply(Action.KILL, targets, false, signal);
    }

    private void apply(Action action, Collection<Row> targets, boolean removeVolumes, String signal) {
        ContainersClient c = client;
        List<ContainerSummary> applicable = targets.stream().map(Row::container).filter(s -> action.appliesTo(s.state())).toList();
        if (c == null || applicable.isEmpty()) {
            return;
        }
        String names = applicable.stream().map(ContainerSummary::name).collect(Collectors.joining(", "));
        Text title = signal == null ? Text.of("containers.task." + action.key(), names) : Text.of("containers.task.signal", names, signal);
        Text done = signal == null ? Text.of("containers.done." + action.key(), names) : Text.of("containers.done.signal", names, signal);
        executor.submit(title, () -> {
            List<Throwable> failures = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (ContainerSummary s : applicable) {
                // platform threads: blocking unix-socket reads would pin virtual threads' carriers
                threads.add(Thread.ofPlatform().daemon().name("berth-container-action").start(() -> {
                    try {
                        perform(c, action, s, removeVolumes, signal);
                    } catch (RuntimeException e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            return failures;
        }, failures -> {
            if (failures.isEmpty()) {
                report(done, false);
            } else {
                fail(failures.getFirst());
            }
            // events update the rows; this catches an engine that sent none (e.g. an action that changed nothing)
            applicable.forEach(s -> reread(s.id()));
        }, this::fail);
    }

    private static void perform(ContainersClient c, Action action, ContainerSummary s, boolean removeVolumes, String signal) {
        switch (action) {
            case START -> c.start(s.id());
            case STOP -> c.stop(s.id());
            case RESTART -> c.restart(s.id());
            case KILL -> c.kill(s.id(), signal);
            case PAUSE -> c.pause(s.id());
            case RESUME -> c.unpause(s.id());
            case REMOVE -> c.remove(s.id(), s.state().alive(), removeVolumes);
        }
    }

    /** {@code docker container prune}: removes every stopped container; the status line says how many and what it freed. */
    public void prune() {
        ContainersClient c = client;
        if (c == null) {
            return;
        }
        executor.submit(Text.of("containers.task.prune"), c::prune, report -> {
            report(Text.of("containers.done.prune", report.deleted().size(), dev.berth.app.images.Formats.size(report.spaceReclaimed())), false);
            report.deleted().forEach(this::reread);
        }, this::fail);
    }

    /** Whether any container is stopped (exited, created or dead), i.e. prune has something to do. */
    public BooleanBinding hasStopped() {
        return hasStopped;
    }

    /**
     * {@code docker run -d}: creates the container from {@code request}, starts it, and asks the
     * view to select its row. {@code onDone} gets its id; {@code onFailure} the error (the dialog
     * shows it and stays open). A container that was created but did not start stays, as with Docker.
     */
    public void run(RunRequest request, Consumer<String> onDone, Consumer<Throwable> onFailure) {
        ContainersClient c = client;
        if (c == null) {
            onFailure.accept(new dev.berth.engine.errors.EngineException.Unavailable("the engine is not connected"));
            return;
        }
        var body = request.toCreateBody();
        String label = request.containerName() == null ? request.image() : request.containerName();
        executor.submit(Text.of("containers.task.run", label), () -> {
            String id = c.create(body, request.containerName());
            wantSelected = id;
            try {
                c.start(id);
            } finally {
                reread(id);
            }
            return id;
        }, id -> {
            report(Text.of("containers.done.run", label), false);
            onDone.accept(id);
        }, e -> {
            fail(e);
            onFailure.accept(e);
        });
    }

    /**
     * Checks {@code image} as a reference with the engine's rules, in the background; {@code onResult}
     * gets null when it is one (or nothing is typed: the request's own check says so), else why not.
     */
    public void checkImage(String image, Consumer<Text> onResult) {
        Backend b = backend.get();
        String typed = image == null ? "" : image.strip();
        if (b == null || typed.isEmpty() || typed.chars().anyMatch(Character::isWhitespace)) {
            onResult.accept(null);
            return;
        }
        executor.runInBackground(() -> {
            Text problem = null;
            try {
                ImagesClient.normalize(typed);
            } catch (RuntimeException e) {
                problem = Text.of("run.validation.image.invalid", e.getMessage());
            }
            Text p = problem;
            executor.runOnUi(() -> onResult.accept(p));
        });
    }

    /** The engine's tagged images, for the Run dialog's image box; empty when they cannot be read. */
    public void imageNames(Consumer<List<String>> onResult) {
        Backend b = backend.get();
        if (b == null) {
            onResult.accept(List.of());
            return;
        }
        executor.submit(Text.of("containers.task.images"), () -> ImagesClient.of(b).list().stream()
                .flatMap((ImageSummary i) -> i.repoTags().stream()).sorted().distinct().toList(), onResult, e -> onResult.accept(List.of()));
    }

    /** Docker's built-in network modes, offered when the engine lists no networks. */
    public static final List<String> BUILTIN_NETWORKS = List.of("bridge", "host", "none");

    /** The networks a container can join: {@code GET /networks} when the engine has it, else bridge, host, none. */
    public void networks(Consumer<List<String>> onResult) {
        ContainersClient c = client;
        if (c == null) {
            onResult.accept(BUILTIN_NETWORKS);
            return;
        }
        executor.submit(Text.of("containers.task.networks"), () -> {
            List<String> names = new ArrayList<>(c.networks().orElse(BUILTIN_NETWORKS));
            for (String builtin : BUILTIN_NETWORKS) {
                if (!names.contains(builtin)) {
                    names.add(builtin);
                }
            }
            return names;
        }, onResult, e -> onResult.accept(BUILTIN_NETWORKS));
    }

    private void fail(Throwable t) {
        report(ErrorText.of(t), true);
    }

    private void report(Text text, boolean error) {
        statusIsError.set(error);
        status.set(text);
    }

    // ---- state --------------------------------------------------------------------------------------

    /** The rows that pass the filter and the "show stopped" switch, newest first. */
    public SortedList<Row> visibleRows() {
        return sorted;
    }

    /** Every row. */
    public ObservableList<Row> allRows() {
        return rowsView;
    }

    /** The row of container {@code id}, when the table has it. */
    public Optional<Row> row(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public BooleanProperty showStoppedProperty() {
        return showStopped;
    }

    /** True once the list was read and the engine has no containers at all (the empty state shows). */
    public BooleanBinding emptyProperty() {
        return empty;
    }

    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Backend> backendProperty() {
        return backend.getReadOnlyProperty();
    }

    /** The outcome of the last command, in words; null before the first. */
    public ReadOnlyObjectProperty<Text> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty statusIsErrorProperty() {
        return statusIsError.getReadOnlyProperty();
    }

    /** The id of a container the view should select (set once its row exists, after Run). */
    public ReadOnlyObjectProperty<String> selectRequestProperty() {
        return selectRequest.getReadOnlyProperty();
    }

    /** "N of M containers, K running". */
    public ObjectBinding<Text> summary() {
        return summary;
    }

    public UiExecutor executor() {
        return executor;
    }

    /** Stops following events and sampling stats. */
    @Override
    public void close() {
        EventSubscription s = subscription;
        subscription = null;
        if (s != null) {
            s.close();
        }
        ContainerStatsSampler st = sampler;
        sampler = null;
        if (st != null) {
            st.close();
        }
        client = null;
    }
}
