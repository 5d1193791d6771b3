package dev.berth.app.images;

import dev.berth.app.backend.Backend;
import dev.berth.app.i18n.ErrorText;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.TaskHandle;
import dev.berth.app.task.UiExecutor;
import dev.berth.engine.errors.EngineException;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Pull dialog's state: the reference (checked with the engine's own rules as it is typed),
 * the platform, one progress row per layer plus an overall fraction, Cancel, and the outcome in
 * words. The pull goes through {@link ImagesClient}, its progress read from the API's stream. A refusal for want of credentials sets {@link #authRequiredProperty()}
 * so the dialog can offer to log in.
 */
public final class PullViewModel {

    /** Where a pull is. */
    public enum State { EDITING, PULLING, DONE, CANCELLED, FAILED }

    /** Platform choices; the empty string is the host's. */
    public static final List<String> PLATFORMS = List.of("", "linux/amd64", "linux/arm64", "linux/arm/v7", "linux/386",
            "linux/ppc64le", "linux/s390x", "linux/riscv64");

    private final UiExecutor executor;
    private final Backend backend;
    private final StringProperty reference = new SimpleStringProperty(this, "reference", "");
    private final StringProperty platform = new SimpleStringProperty(this, "platform", "");
    private final ReadOnlyObjectWrapper<Text> validation = new ReadOnlyObjectWrapper<>(this, "validation");
    private final ReadOnlyStringWrapper normalized = new ReadOnlyStringWrapper(this, "normalized", "");
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.EDITING);
    private final ReadOnlyObjectWrapper<Text> message = new ReadOnlyObjectWrapper<>(this, "message");
    private final ReadOnlyBooleanWrapper authRequired = new ReadOnlyBooleanWrapper(this, "authRequired");
    private final ReadOnlyDoubleWrapper overall = new ReadOnlyDoubleWrapper(this, "overall", 0);
    private final ObservableList<PullProgressModel.Layer> layers = FXCollections.observableArrayList();
    private final AtomicBoolean updateScheduled = new AtomicBoolean();
    private volatile PullProgressModel progress = new PullProgressModel();
    private TaskHandle running;
    private String pulledId = "";

    public PullViewModel(UiExecutor executor, Backend backend) {
        this.executor = executor;
        this.backend = backend;
        reference.addListener((obs, old, now) -> validate(now));
        validate("");
    }

    /** Checks whether {@code text} is a reference, in the background; the answer applies only if the text has not changed since. */
    private void validate(String text) {
        String typed = text == null ? "" : text.strip();
        if (typed.isEmpty()) {
            validation.set(Text.of("pull.validation.empty"));
            normalized.set("");
            return;
        }
        executor.runInBackground(() -> {
            Text problem;
            String full;
            try {
                full = ImagesClient.normalize(typed);
                problem = null;
            } catch (RuntimeException e) {
                full = "";
                problem = Text.of("pull.validation.invalid", e.getMessage());
            }
            Text p = problem;
            String f = full;
            executor.runOnUi(() -> {
                if (typed.equals(reference.get() == null ? "" : reference.get().strip())) {
                    validation.set(p);
                    normalized.set(f);
                }
            });
        });
    }

    /** Starts the pull in the background; ignored while the reference is invalid or a pull runs. */
    public void pull() {
        if (validation.get() != null || state.get() == State.PULLING) {
            return;
        }
        String ref = reference.get().strip();
        String plat = platform.get();
        progress = new PullProgressModel();
        layers.clear();
        overall.set(0);
        authRequired.set(false);
        pulledId = "";
        state.set(State.PULLING);
        message.set(Text.of("pull.pulling", ref));
        PullProgressModel model = progress;
        running = executor.submitWithProgress(Text.of("task.pullImage", ref), handle -> ImagesClient.of(backend).pull(ref, plat, p -> {
            model.accept(p);
            handle.progress(model.overall());
            scheduleUpdate(model);
        }), id -> {
            pulledId = id;
            update(model);
            overall.set(1);
            state.set(State.DONE);
            message.set(Text.of("pull.done", ref, Formats.shortDigest(id)));
        }, error -> {
            update(model);
            if (running != null && running.cancelled() || error instanceof InterruptedException) {
                state.set(State.CANCELLED);
                message.set(Text.of("pull.cancelled", ref));
                return;
            }
            state.set(State.FAILED);
            authRequired.set(error instanceof EngineException.Unauthorized);
            message.set(PullErrors.describe(error));
        });
    }

    /** Interrupts a running pull; the dialog then says it was cancelled. */
    public void cancel() {
        if (running != null && state.get() == State.PULLING) {
            running.cancel();
        }
    }

    private void scheduleUpdate(PullProgressModel model) {
        if (updateScheduled.compareAndSet(false, true)) {
            executor.runOnUi(() -> {
                updateScheduled.set(false);
                update(model);
            });
        }
    }

    private void update(PullProgressModel model) {
        if (model != progress) {
            return;
        }
        List<PullProgressModel.Layer> now = model.layers();
        for (int i = 0; i < now.size(); i++) {
            if (i < layers.size()) {
                if (!layers.get(i).equals(now.get(i))) {
                    layers.set(i, now.get(i));
                }
            } else {
                layers.add(now.get(i));
            }
        }
        overall.set(model.overall());
    }

    public StringProperty referenceProperty() {
        return reference;
    }

    /** {@code os/arch[/variant]}, or empty for the host's platform. */
    public StringProperty platformProperty() {
        return platform;
    }

    /** Why the reference cannot be pulled, or null when it can. */
    public ReadOnlyObjectProperty<Text> validationProperty() {
        return validation.getReadOnlyProperty();
    }

    /** The reference's full form once valid ({@code docker.io/library/busybox:latest}). */
    public ReadOnlyStringProperty normalizedProperty() {
        return normalized.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Text> messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** True after a pull the registry refused for want of credentials. */
    public ReadOnlyBooleanProperty authRequiredProperty() {
        return authRequired.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty overallProperty() {
        return overall.getReadOnlyProperty();
    }

    /** One row per layer, in the order the engine first named them. */
    public ObservableList<PullProgressModel.Layer> layers() {
        return layers;
    }

    /** The id of the image pulled, once done. */
    public String pulledId() {
        return pulledId;
    }

    /** The registry host of the reference typed ({@code docker.io} for Docker Hub), for the login dialog. */
    public String registry() {
        String full = normalized.get();
        int slash = full.indexOf('/');
        return slash > 0 ? full.substring(0, slash) : "";
    }

    /** Bundle key of a layer's phase. */
    public static String phaseKey(ImageProgress.Phase phase) {
        return "pull.phase." + phase.name().toLowerCase(java.util.Locale.ROOT);
    }
}
