package dev.berth.app.shell;

import dev.berth.app.backend.Connection;
import dev.berth.app.backend.EngineInfo;
import dev.berth.app.backend.EngineVersion;
import dev.berth.app.i18n.Localization;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.BackgroundTask;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.value.ObservableValue;
import javafx.collections.ObservableList;

import java.util.stream.Collectors;

/** The status bar's texts: engine state, runtime, version, background tasks; in the current language. */
public final class StatusBarViewModel {

    private final StringBinding engineText;
    private final StringBinding engineStyle;
    private final StringBinding socketWarning;
    private final StringBinding dockerHint;
    private final StringBinding runtimeText;
    private final StringBinding versionText;
    private final StringBinding tasksText;
    private final BooleanBinding tasksRunning;
    private final javafx.beans.binding.DoubleBinding tasksProgress;

    public StatusBarViewModel(Localization i18n, ObservableValue<EngineState> state, ObservableValue<EngineVersion> version,
                              ObservableValue<EngineInfo> info, ObservableList<BackgroundTask> tasks) {
        engineText = i18n.text(Bindings.createObjectBinding(() -> switch (state.getValue()) {
            case EngineState.Starting s -> Text.of("status.engine.starting");
            case EngineState.Unavailable u -> Text.of("status.engine.unavailable", u.reason());
            case EngineState.Ready(Connection.Embedded e) -> e.socketProblem().isEmpty()
                    ? Text.of("status.engine.embedded", "unix://" + e.socket())
                    : Text.of("status.engine.embeddedNoSocket");
            case EngineState.Ready(Connection.Remote r) -> Text.of("status.engine.connected", r.host().toString());
        }, state));
        engineStyle = Bindings.createStringBinding(() -> switch (state.getValue()) {
            case EngineState.Starting s -> "state-starting";
            case EngineState.Unavailable u -> "state-unavailable";
            case EngineState.Ready(Connection.Embedded e) when e.socketProblem().isPresent() -> "state-warning";
            case EngineState.Ready r -> "state-running";
        }, state);
        socketWarning = i18n.text(Bindings.createObjectBinding(() ->
                state.getValue() instanceof EngineState.Ready(Connection.Embedded e) && e.socketProblem().isPresent()
                        ? Text.of("status.engine.socketProblem", e.socketProblem().get())
                        : null, state));
        dockerHint = i18n.text(Bindings.createObjectBinding(() -> switch (state.getValue()) {
            case EngineState.Ready(Connection.Embedded e) when e.socketProblem().isEmpty() ->
                    Text.of("status.engine.dockerHint", "unix://" + e.socket());
            case EngineState.Ready(Connection.Remote r) -> Text.of("status.engine.dockerHint", r.host().toString());
            default -> null;
        }, state));
        runtimeText = Bindings.createStringBinding(() -> {
            EngineInfo i = info.getValue();
            if (i == null) {
                return "";
            }
            return i.runtime().isBlank() ? i18n.get("status.runtime.none") : i.runtime();
        }, info, i18n.languageProperty());
        versionText = Bindings.createStringBinding(() -> {
            EngineVersion v = version.getValue();
            return v == null ? "" : i18n.get("status.version", v.product(), v.version(), v.apiVersion());
        }, version, i18n.languageProperty());
        tasksRunning = Bindings.isNotEmpty(tasks);
        tasksProgress = Bindings.createDoubleBinding(() -> tasks.stream()
                .mapToDouble(t -> t.progress().get()).filter(p -> p >= 0).findFirst().orElse(-1), tasks);
        tasksText = Bindings.createStringBinding(() -> {
            if (tasks.isEmpty()) {
                return "";
            }
            String titles = tasks.stream().map(t -> i18n.get(t.title())).distinct().collect(Collectors.joining(", "));
            return tasks.size() == 1 ? i18n.get("status.tasks.one", titles) : i18n.get("status.tasks.many", tasks.size(), titles);
        }, tasks, i18n.languageProperty());
    }

    public StringBinding engineText() {
        return engineText;
    }

    /** One of the style classes {@code state-starting}, {@code state-running}, {@code state-warning}, {@code state-unavailable}. */
    public StringBinding engineStyle() {
        return engineStyle;
    }

    /** Why the docker CLI cannot reach the embedded engine; empty when it can. */
    public StringBinding socketWarning() {
        return socketWarning;
    }

    /** How to reach the same engine from a terminal; empty when the docker CLI cannot. */
    public StringBinding dockerHint() {
        return dockerHint;
    }

    public StringBinding runtimeText() {
        return runtimeText;
    }

    public StringBinding versionText() {
        return versionText;
    }

    public StringBinding tasksText() {
        return tasksText;
    }

    /** The first running task's progress from 0 to 1 that is known, else -1 (indeterminate). */
    public javafx.beans.binding.DoubleBinding tasksProgress() {
        return tasksProgress;
    }

    public BooleanBinding tasksRunning() {
        return tasksRunning;
    }
}
