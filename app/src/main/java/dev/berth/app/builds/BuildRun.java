package dev.berth.app.builds;

import dev.berth.app.i18n.Text;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One build, as the Builds pane shows it: its request, status, start and duration, its steps with
 * their timing (from when the engine's lines arrived), cache hits and images, the full log, the built
 * image's id and tags, and for a failed build the engine's error and the failing line of the Dockerfile.
 * Its properties change on the UI thread only ({@link BuildsViewModel} hands the engine's stream over).
 */
public final class BuildRun {

    private final BuildRequest request;
    private final Instant started;
    private final ReadOnlyObjectWrapper<BuildStatus> status = new ReadOnlyObjectWrapper<>(this, "status", BuildStatus.RUNNING);
    private final ReadOnlyStringWrapper imageId = new ReadOnlyStringWrapper(this, "imageId", "");
    private final ObservableList<BuildStepRow> steps = FXCollections.observableArrayList();
    private final ObservableList<BuildLogLine> log = FXCollections.observableArrayList();
    private final ObservableList<String> tagged = FXCollections.observableArrayList();
    private final ObservableList<BuildStepRow> stepsView = FXCollections.unmodifiableObservableList(steps);
    private final ObservableList<BuildLogLine> logView = FXCollections.unmodifiableObservableList(log);
    private final ObservableList<String> taggedView = FXCollections.unmodifiableObservableList(tagged);
    private final ReadOnlyObjectWrapper<Instant> finished = new ReadOnlyObjectWrapper<>(this, "finished");
    private final ReadOnlyObjectWrapper<Duration> duration = new ReadOnlyObjectWrapper<>(this, "duration", Duration.ZERO);
    private final ReadOnlyObjectWrapper<Text> error = new ReadOnlyObjectWrapper<>(this, "error");
    private final ReadOnlyIntegerWrapper failingLine = new ReadOnlyIntegerWrapper(this, "failingLine", 0);
    private final ReadOnlyIntegerWrapper cachedSteps = new ReadOnlyIntegerWrapper(this, "cachedSteps", 0);
    private final ReadOnlyIntegerWrapper totalSteps = new ReadOnlyIntegerWrapper(this, "totalSteps", 0);
    private final ReadOnlyStringWrapper dockerfile = new ReadOnlyStringWrapper(this, "dockerfile", "");
    private DockerfileMap map = DockerfileMap.NONE;
    private List<BuildLogLine> pendingLog;
    private Runnable canceller = () -> { };
    private boolean cancelRequested;

    BuildRun(BuildRequest request, Instant started) {
        this.request = Objects.requireNonNull(request, "request");
        this.started = Objects.requireNonNull(started, "started");
    }

    public BuildRequest request() {
        return request;
    }

    public Instant started() {
        return started;
    }

    public ReadOnlyObjectProperty<BuildStatus> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public BuildStatus status() {
        return status.get();
    }

    /** The built image's id ({@code sha256:...}) once the engine reported it; "" before. */
    public ReadOnlyStringProperty imageIdProperty() {
        return imageId.getReadOnlyProperty();
    }

    public String imageId() {
        return imageId.get();
    }

    /** The steps so far, in order; a row is replaced as its step gets its cache mark, image and duration. */
    public ObservableList<BuildStepRow> steps() {
        return stepsView;
    }

    /** Every line the build printed, in order. */
    public ObservableList<BuildLogLine> log() {
        return logView;
    }

    /** What step {@code number} printed (its command's output and the builder's words). */
    public List<String> stepOutput(int number) {
        return log.stream().filter(l -> l.step() == number && l.kind() != BuildLogLine.Kind.STEP)
                .map(BuildLogLine::text).toList();
    }

    /** The tags the engine confirmed ({@code Successfully tagged}). */
    public ObservableList<String> tagged() {
        return taggedView;
    }

    /** When the build ended; null while it runs. */
    public ReadOnlyObjectProperty<Instant> finishedProperty() {
        return finished.getReadOnlyProperty();
    }

    /** From the start to the end, or to the last line while it runs. */
    public ReadOnlyObjectProperty<Duration> durationProperty() {
        return duration.getReadOnlyProperty();
    }

    /** Why the build failed, in plain words (the engine's own message inside); null unless it failed. */
    public ReadOnlyObjectProperty<Text> errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** The Dockerfile line the build failed on (a failing step's instruction, or a parse error's line); 0 for none. */
    public ReadOnlyIntegerProperty failingLineProperty() {
        return failingLine.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty cachedStepsProperty() {
        return cachedSteps.getReadOnlyProperty();
    }

    /** N of the engine's {@code Step n/N}; 0 before the first step. */
    public ReadOnlyIntegerProperty totalStepsProperty() {
        return totalSteps.getReadOnlyProperty();
    }

    /** The Dockerfile's text as it was when the build started; "" until read. */
    public ReadOnlyStringProperty dockerfileProperty() {
        return dockerfile.getReadOnlyProperty();
    }

    /** The first tag, else the short image id, else the context folder's name. */
    public String displayName() {
        if (!request.tags().isEmpty()) {
            return request.tags().getFirst();
        }
        String id = imageId.get();
        if (!id.isEmpty()) {
            String hex = id.startsWith("sha256:") ? id.substring(7) : id;
            return hex.substring(0, Math.min(12, hex.length()));
        }
        Path name = request.contextDir().getFileName();
        return name == null ? request.contextDir().toString() : name.toString();
    }

    /** Stops a running build: the call to the engine is closed and the engine cancels the build. */
    public void cancel() {
        if (status.get() == BuildStatus.RUNNING && !cancelRequested) {
            cancelRequested = true;
            canceller.run();
        }
    }

    // ---- the history file ------------------------------------------------------------------------

    /** This finished build as the history file keeps it (call on the UI thread). */
    SavedBuild saved() {
        BuildRequest r = request;
        SavedBuild.Request req = new SavedBuild.Request(r.contextDir().toString(), r.dockerfile(), r.tags(),
                r.buildArgs(), r.target(), r.noCache(), r.pull());
        List<SavedBuild.Step> savedSteps = steps.stream().map(s -> new SavedBuild.Step(s.number(), s.total(),
                s.instruction(), s.line(), s.cached(), s.started().toEpochMilli(),
                s.duration() == null ? 0 : s.duration().toMillis(), s.failed(), s.imageId())).toList();
        List<BuildLogLine> last = log.subList(Math.max(0, log.size() - SavedBuild.MAX_LOG_LINES), log.size());
        List<SavedBuild.Line> lines = last.stream()
                .map(l -> new SavedBuild.Line(l.step(), l.kind().name(), l.text())).toList();
        Text e = error.get();
        return new SavedBuild(req, status.get().name(), started.toEpochMilli(), duration.get().toMillis(), imageId.get(),
                List.copyOf(tagged), savedSteps, e == null ? null : e.key(),
                e == null ? List.of() : e.args().stream().map(String::valueOf).toList(), failingLine.get(),
                dockerfile.get(), lines);
    }

    /** A finished build read back from the history file ({@link SavedBuild#validated()} first). */
    static BuildRun restored(SavedBuild b) {
        SavedBuild.Request q = b.request();
        BuildRun run = new BuildRun(new BuildRequest(Path.of(q.context()), q.dockerfile(), q.tags(), q.buildArgs(),
                q.target(), q.noCache(), q.pull()), Instant.ofEpochMilli(b.startedMillis()));
        run.imageId.set(b.imageId());
        run.tagged.setAll(b.tagged());
        for (SavedBuild.Step s : b.steps()) {
            run.steps.add(new BuildStepRow(s.number(), s.total(), s.instruction(), s.line(), s.cached(),
                    Instant.ofEpochMilli(s.startedMillis()), Duration.ofMillis(Math.max(0, s.durationMillis())), s.failed(),
                    s.imageId()));
        }
        run.totalSteps.set(b.steps().isEmpty() ? 0 : b.steps().getLast().total());
        run.cachedSteps.set((int) run.steps.stream().filter(BuildStepRow::cached).count());
        run.log.setAll(b.log().stream()
                .map(l -> new BuildLogLine(l.step(), BuildLogLine.Kind.valueOf(l.kind()), l.text())).toList());
        if (b.errorKey() != null && !b.errorKey().isEmpty()) {
            run.error.set(Text.of(b.errorKey(), b.errorArgs().toArray()));
        }
        run.failingLine.set(Math.max(0, b.failingLine()));
        run.dockerfile.set(b.dockerfile());
        Duration d = Duration.ofMillis(b.durationMillis());
        run.finished.set(run.started.plus(d));
        run.duration.set(d);
        run.status.set(BuildStatus.valueOf(b.status()));
        return run;
    }

    // ---- updates, on the UI thread --------------------------------------------------------------

    void setCanceller(Runnable c) {
        canceller = Objects.requireNonNull(c);
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    void dockerfileRead(String text, DockerfileMap m) {
        dockerfile.set(text);
        map = m;
        // steps that arrived before the file was read get their lines now
        for (int i = 0; i < steps.size(); i++) {
            BuildStepRow r = steps.get(i);
            if (r.line() == 0 && m.lineOf(r.number()) != 0) {
                steps.set(i, new BuildStepRow(r.number(), r.total(), r.instruction(), m.lineOf(r.number()), r.cached(),
                        r.started(), r.duration(), r.failed(), r.imageId()));
            }
        }
    }

    /** One arrival, with the time it arrived. */
    record Arrival(BuildEvent event, Instant at) {}

    /** Applies a burst of arrivals in order; their log lines join the log in one change. */
    void applyAll(List<Arrival> arrivals) {
        pendingLog = new java.util.ArrayList<>();
        try {
            for (Arrival a : arrivals) {
                apply(a.event(), a.at());
            }
        } finally {
            List<BuildLogLine> lines = pendingLog;
            pendingLog = null;
            log.addAll(lines);
        }
        if (!arrivals.isEmpty() && !status.get().finished()) {
            duration.set(nonNegative(Duration.between(started, arrivals.getLast().at())));
        }
    }

    private void addLog(BuildLogLine line) {
        if (pendingLog != null) {
            pendingLog.add(line);
        } else {
            log.add(line);
        }
    }

    void apply(BuildEvent event, Instant at) {
        if (status.get().finished()) {
            return;
        }
        switch (event) {
            case BuildEvent.StepStarted s -> {
                endRunningStep(at, false);
                totalSteps.set(s.total());
                steps.add(new BuildStepRow(s.number(), s.total(), s.instruction(), map.lineOf(s.number()), false, at,
                        null, false, ""));
                addLog(new BuildLogLine(s.number(), BuildLogLine.Kind.STEP,
                        "Step " + s.number() + "/" + s.total() + " : " + s.instruction()));
            }
            case BuildEvent.Output o -> addLog(new BuildLogLine(currentStep(),
                    o.stderr() ? BuildLogLine.Kind.STDERR : BuildLogLine.Kind.OUTPUT, o.line()));
            case BuildEvent.UsingCache c -> {
                updateCurrent(r -> r.cached() ? r : r.withCached());
                cachedSteps.set((int) steps.stream().filter(BuildStepRow::cached).count());
                addLog(new BuildLogLine(currentStep(), BuildLogLine.Kind.BUILDER, " ---> Using cache"));
            }
            case BuildEvent.StepImage i -> {
                updateCurrent(r -> r.withImageId(i.shortId()));
                endRunningStep(at, false);
                addLog(new BuildLogLine(currentStep(), BuildLogLine.Kind.BUILDER, " ---> " + i.shortId()));
            }
            case BuildEvent.Note n -> addLog(new BuildLogLine(currentStep(), BuildLogLine.Kind.BUILDER, n.line()));
            case BuildEvent.Built b -> imageId.set(b.imageId());
            case BuildEvent.Tagged t -> {
                tagged.add(t.tag());
                addLog(new BuildLogLine(currentStep(), BuildLogLine.Kind.BUILDER, "Successfully tagged " + t.tag()));
            }
            case BuildEvent.Failed f -> fail(Text.of("builds.failed.engine", f.message()), f.message(), at);
        }
        if (pendingLog == null && !status.get().finished()) {
            duration.set(nonNegative(Duration.between(started, at)));
        }
    }

    /** The stream ended without an error line: succeeded when the engine named the image. */
    void streamEnded(Instant at) {
        if (status.get().finished()) {
            return;
        }
        if (cancelRequested) {
            cancelled(at);
        } else if (imageId.get().isEmpty()) {
            fail(Text.of("builds.failed.noImage"), "", at);
        } else {
            endRunningStep(at, false);
            finish(BuildStatus.SUCCEEDED, at);
        }
    }

    /**
     * The build failed: {@code message} says why, {@code logLine} is added to the log ("" for none); the failing
     * line is the running step's, else a parse error's.
     */
    void fail(Text message, String logLine, Instant at) {
        if (status.get().finished()) {
            return;
        }
        if (cancelRequested) {
            cancelled(at);
            return;
        }
        error.set(message);
        if (logLine != null && !logLine.isEmpty()) {
            addLog(new BuildLogLine(currentStep(), BuildLogLine.Kind.ERROR, logLine));
        }
        int line = 0;
        if (!steps.isEmpty()) {
            BuildStepRow last = steps.getLast();
            if (last.running()) {
                endRunningStep(at, true);
                line = last.line() != 0 ? last.line() : map.lineOf(last.number());
            }
        }
        if (line == 0) {
            line = map.errorLine();
        }
        failingLine.set(line);
        finish(BuildStatus.FAILED, at);
    }

    void cancelled(Instant at) {
        if (status.get().finished()) {
            return;
        }
        endRunningStep(at, false);
        finish(BuildStatus.CANCELLED, at);
    }

    private void finish(BuildStatus s, Instant at) {
        finished.set(at);
        duration.set(nonNegative(Duration.between(started, at)));
        status.set(s);
    }

    private int currentStep() {
        return steps.isEmpty() ? 0 : steps.getLast().number();
    }

    private void updateCurrent(java.util.function.UnaryOperator<BuildStepRow> change) {
        if (!steps.isEmpty()) {
            steps.set(steps.size() - 1, change.apply(steps.getLast()));
        }
    }

    private void endRunningStep(Instant at, boolean failed) {
        if (!steps.isEmpty() && steps.getLast().running()) {
            updateCurrent(r -> r.finishedAt(at, failed));
        }
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
