package dev.berth.app.builds;

import dev.berth.app.backend.Backend;
import dev.berth.app.components.EmptyState;
import dev.berth.app.i18n.ErrorText;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.TaskHandle;
import dev.berth.app.task.UiExecutor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Builds pane's state: every build started in this app session, newest first, and the selected
 * one. {@link #start} runs a build in the background through {@link BuildsClient}; its stream's lines
 * reach the {@link BuildRun} on the UI thread, a burst of lines in one turn. With a {@link BuildHistory},
 * finished builds are saved (off the UI thread) as they end, removed from it as they are removed here,
 * and the past ones are read back (off the UI thread) when the view model starts, under the new runs.
 */
public final class BuildsViewModel implements AutoCloseable {

    private final UiExecutor executor;
    private final EmptyState emptyState = EmptyState.forPane("builds");
    private final ObservableList<BuildRun> builds = FXCollections.observableArrayList(
            run -> new javafx.beans.Observable[] {run.statusProperty(), run.durationProperty(),
                    run.cachedStepsProperty(), run.imageIdProperty()});
    private final ObjectProperty<BuildRun> selected = new SimpleObjectProperty<>(this, "selected");
    private final ReadOnlyObjectWrapper<Backend> backend = new ReadOnlyObjectWrapper<>(this, "backend");
    private final BooleanBinding empty = Bindings.isEmpty(builds);
    private final BuildHistory history;
    private final ReadOnlyBooleanWrapper historyLoaded = new ReadOnlyBooleanWrapper(this, "historyLoaded");
    private final AtomicLong historyGeneration = new AtomicLong();

    /** A view model that keeps its builds for the session only. */
    public BuildsViewModel(UiExecutor executor) {
        this(executor, null);
    }

    /** A view model that keeps finished builds in {@code history} ({@code null}: for the session only). */
    public BuildsViewModel(UiExecutor executor, BuildHistory history) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.history = history;
        if (history == null) {
            historyLoaded.set(true);
        } else {
            executor.runInBackground(() -> {
                List<BuildRun> past = new ArrayList<>();
                try {
                    for (SavedBuild b : history.load()) {
                        past.add(BuildRun.restored(b));
                    }
                } finally {
                    executor.runOnUi(() -> pastRead(past));
                }
            });
        }
    }

    private void pastRead(List<BuildRun> past) {
        builds.addAll(past); // older than anything started meanwhile
        historyLoaded.set(true);
        if (builds.size() > past.size()) {
            saveHistory(); // builds that ended before the history was read
        }
    }

    /** True once the past builds are in the list (at once without a history file). */
    public ReadOnlyBooleanProperty historyLoadedProperty() {
        return historyLoaded.getReadOnlyProperty();
    }

    /** Hands the finished builds, newest first, to the history file (on the UI thread; written in the background). */
    private void saveHistory() {
        if (history == null || !historyLoaded.get()) {
            return;
        }
        List<SavedBuild> finished = builds.stream().filter(r -> r.status().finished())
                .limit(BuildHistory.MAX_BUILDS).map(BuildRun::saved).toList();
        long generation = historyGeneration.incrementAndGet();
        executor.runInBackground(() -> history.save(generation, finished));
    }

    public String titleKey() {
        return "builds.title";
    }

    public String subtitleKey() {
        return "builds.subtitle";
    }

    public EmptyState emptyState() {
        return emptyState;
    }

    /** Builds from now on go to {@code b}'s engine. */
    public void connect(Backend b) {
        backend.set(b);
    }

    /**
     * Starts building {@code request} (call on the UI thread): the new run heads the list, is selected,
     * and is returned at once while the engine builds in the background.
     */
    public BuildRun start(BuildRequest request) {
        BuildRun run = new BuildRun(request, Instant.now());
        run.statusProperty().addListener((obs, old, now) -> {
            if (now.finished()) {
                executor.runOnUi(this::saveHistory); // next turn: a burst's last log lines join the log after the status
            }
        });
        builds.addFirst(run);
        selected.set(run);
        Backend b = backend.get();
        if (b == null) {
            run.fail(Text.of("builds.failed.notConnected"), "", Instant.now());
            return run;
        }
        Feed feed = new Feed(run);
        TaskHandle handle = executor.submitWithProgress(Text.of("builds.task.build", run.displayName()), task -> {
            // the API client connects on first use, and may refuse (no socket): not on the UI thread
            BuildsClient client = new BuildsClient(b.api());
            feed.dockerfile(request);
            client.build(request, event -> {
                if (event instanceof BuildEvent.StepStarted s && s.total() > 0) {
                    task.progress((s.number() - 1) / (double) s.total());
                }
                feed.offer(event);
            });
            return run;
        }, done -> {
            feed.drain();
            run.streamEnded(Instant.now());
        }, failure -> {
            feed.drain();
            if (run.cancelRequested()) {
                run.cancelled(Instant.now());
            } else {
                String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
                run.fail(ErrorText.of(failure), message, Instant.now());
            }
        });
        run.setCanceller(handle::cancel);
        if (handle.cancelled()) {
            run.cancelled(Instant.now()); // the executor is closing with the window: the build never started
        }
        return run;
    }

    /** Cancels {@code run} if it is still running. */
    public void cancel(BuildRun run) {
        run.cancel();
    }

    /** Takes a finished build off the list (a running one stays: cancel it first). */
    public boolean remove(BuildRun run) {
        if (!run.status().finished()) {
            return false;
        }
        boolean removed = takeOff(run);
        if (removed) {
            saveHistory();
        }
        return removed;
    }

    private boolean takeOff(BuildRun run) {
        boolean removed = builds.remove(run);
        if (removed && selected.get() == run) {
            selected.set(builds.isEmpty() ? null : builds.getFirst());
        }
        return removed;
    }

    /** Takes every finished build off the list (and out of the history file). */
    public void clearFinished() {
        List<BuildRun> done = builds.stream().filter(r -> r.status().finished()).toList();
        done.forEach(this::takeOff);
        if (!done.isEmpty()) {
            saveHistory();
        }
    }

    /** Every build of this session and the saved past ones, newest first. */
    public ObservableList<BuildRun> builds() {
        return builds;
    }

    public ObjectProperty<BuildRun> selectedProperty() {
        return selected;
    }

    /** True while there are no builds (the pane shows its empty state). */
    public BooleanBinding emptyProperty() {
        return empty;
    }

    public ReadOnlyObjectProperty<Backend> backendProperty() {
        return backend.getReadOnlyProperty();
    }

    public UiExecutor executor() {
        return executor;
    }

    /** Cancels running builds and forgets the engine. */
    @Override
    public void close() {
        for (BuildRun run : List.copyOf(builds)) {
            if (!run.status().finished()) {
                run.cancel();
            }
        }
        backend.set(null);
    }

    /**
     * Hands a run's events from the reading thread to the UI thread with their arrival time, one UI
     * turn for every burst of lines.
     */
    private final class Feed {
        private final BuildRun run;
        private final ConcurrentLinkedQueue<BuildRun.Arrival> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Feed(BuildRun run) {
            this.run = run;
        }

        /** Reads the Dockerfile as it is sent, for the Dockerfile view and the steps' lines. */
        void dockerfile(BuildRequest request) {
            String text;
            try {
                if (Files.size(request.dockerfilePath()) > BuildDialogModel.MAX_DOCKERFILE_BYTES) {
                    return; // not a Dockerfile to show line by line; the engine says what it makes of it
                }
                text = Files.readString(request.dockerfilePath(), StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                return; // the build itself reports a missing or unreadable Dockerfile
            }
            DockerfileMap parsed;
            try {
                parsed = DockerfileMap.of(text, request.dockerfile(), request.target());
            } catch (RuntimeException e) {
                parsed = DockerfileMap.NONE; // the lines are a help; the engine still says what is wrong
            }
            DockerfileMap map = parsed;
            executor.runOnUi(() -> run.dockerfileRead(text, map));
        }

        void offer(BuildEvent event) {
            queue.add(new BuildRun.Arrival(event, Instant.now()));
            if (scheduled.compareAndSet(false, true)) {
                executor.runOnUi(() -> {
                    scheduled.set(false);
                    drain();
                });
            }
        }

        void drain() {
            List<BuildRun.Arrival> burst = new java.util.ArrayList<>();
            BuildRun.Arrival a;
            while ((a = queue.poll()) != null) {
                burst.add(a);
            }
            if (!burst.isEmpty()) {
                run.applyAll(burst);
            }
        }
    }
}
