package dev.berth.app.shell;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignT;

import java.util.List;

/** The strip along the bottom: engine state, runtime, version and background tasks. */
public final class StatusBarView {

    private static final List<String> STATE_STYLES = List.of("state-starting", "state-running", "state-warning", "state-unavailable");

    private final HBox root;

    public StatusBarView(StatusBarViewModel vm) {
        Circle dot = new Circle(4.5);
        dot.getStyleClass().add("status-dot");
        applyState(dot, vm.engineStyle().get());
        vm.engineStyle().addListener((obs, old, now) -> applyState(dot, now));

        Label engine = new Label();
        engine.setId("status-engine");
        engine.getStyleClass().add("status-engine");
        engine.textProperty().bind(vm.engineText());
        engine.setGraphic(dot);
        engine.setGraphicTextGap(8);
        engine.setMinWidth(Region.USE_PREF_SIZE);
        Tooltip hint = new Tooltip();
        hint.textProperty().bind(vm.dockerHint());
        vm.dockerHint().addListener((obs, old, now) -> engine.setTooltip(now.isEmpty() ? null : hint));

        FontIcon warningIcon = new FontIcon(MaterialDesignA.ALERT_OUTLINE);
        warningIcon.getStyleClass().add("status-warning-icon");
        Label warning = new Label();
        warning.setId("status-socket-warning");
        warning.setGraphic(warningIcon);
        warning.textProperty().bind(vm.socketWarning());
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(vm.socketWarning());
        warning.setTooltip(tip);
        bindShown(warning, vm.socketWarning().isNotEmpty());

        Label runtime = new Label();
        runtime.setId("status-runtime");
        runtime.setGraphic(new FontIcon(MaterialDesignC.CUBE_OUTLINE));
        runtime.textProperty().bind(vm.runtimeText());
        bindShown(runtime, vm.runtimeText().isNotEmpty());

        Label version = new Label();
        version.setId("status-version");
        version.setGraphic(new FontIcon(MaterialDesignT.TAG_OUTLINE));
        version.textProperty().bind(vm.versionText());
        bindShown(version, vm.versionText().isNotEmpty());

        ProgressIndicator spinner = new ProgressIndicator(ProgressIndicator.INDETERMINATE_PROGRESS);
        spinner.setId("status-tasks-progress");
        spinner.progressProperty().bind(vm.tasksProgress());
        Label tasks = new Label();
        tasks.setId("status-tasks");
        tasks.textProperty().bind(vm.tasksText());
        bindShown(spinner, vm.tasksRunning());
        bindShown(tasks, vm.tasksRunning());

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        root = new HBox(engine, warning, separator(runtime), runtime, separator(version), version, spacer, spinner, tasks);
        root.getStyleClass().add("status-bar");
        root.setId("status-bar");
    }

    private static Node separator(Label follows) {
        Region r = new Region();
        r.getStyleClass().add("status-separator");
        bindShown(r, follows.textProperty().isNotEmpty());
        return r;
    }

    private static void bindShown(Node node, javafx.beans.value.ObservableBooleanValue shown) {
        node.visibleProperty().bind(shown);
        node.managedProperty().bind(shown);
    }

    private static void applyState(Node dot, String style) {
        dot.getStyleClass().removeAll(STATE_STYLES);
        dot.getStyleClass().add(style);
    }

    public HBox root() {
        return root;
    }
}
