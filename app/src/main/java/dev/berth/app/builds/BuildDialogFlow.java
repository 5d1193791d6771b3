package dev.berth.app.builds;

import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.UiExecutor;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * From a Dockerfile to a running container: opens the {@link BuildDialog} (pre-filled after a
 * drop or a file chooser), starts the build in the Builds pane, and when that build succeeds
 * has the new image selected in Images and shows a notice, "Built x", with Show in Images and
 * Run…. The shell places {@link #notice()} above its pages and supplies what the actions do.
 */
public final class BuildDialogFlow {

    /** Asks the user for a Dockerfile (Build…); null when they cancel. */
    @FunctionalInterface
    public interface DockerfileChooser {
        File choose(javafx.stage.Window owner);
    }

    private final BuildsViewModel builds;
    private final UiExecutor executor;
    private final Localization i18n;
    private final Runnable showBuilds;
    private final Consumer<BuildRun> onSucceeded;
    private final ReadOnlyObjectWrapper<BuildRun> lastSucceeded = new ReadOnlyObjectWrapper<>(this, "lastSucceeded");
    private final HBox notice;
    private DockerfileChooser chooser;
    private final javafx.beans.property.BooleanProperty shownElsewhere = new javafx.beans.property.SimpleBooleanProperty();

    /**
     * @param showBuilds   switches to the Builds page (the new run is already selected there)
     * @param onSucceeded  a build started here succeeded: e.g. select its image in Images
     * @param showInImages the notice's Show in Images
     * @param run          the notice's Run…
     */
    public BuildDialogFlow(BuildsViewModel builds, UiExecutor executor, Localization i18n, Runnable showBuilds,
                           Consumer<BuildRun> onSucceeded, Consumer<BuildRun> showInImages, Consumer<BuildRun> run) {
        this.builds = builds;
        this.executor = executor;
        this.i18n = i18n;
        this.showBuilds = showBuilds;
        this.onSucceeded = onSucceeded;

        Label message = new Label();
        message.setId("build-notice-message");
        message.textProperty().bind(i18n.text(javafx.beans.binding.Bindings.createObjectBinding(() -> {
            BuildRun r = lastSucceeded.get();
            return r == null ? null : Text.of("builds.dialog.done.message", r.displayName());
        }, lastSucceeded)));
        FontIcon ok = new FontIcon(MaterialDesignC.CHECK_CIRCLE_OUTLINE);
        ok.getStyleClass().add("build-notice-icon");
        Button show = Dialogs.button(i18n, "builds.dialog.done.showInImages", "build-notice-show");
        show.setGraphic(new FontIcon(MaterialDesignL.LAYERS_OUTLINE));
        show.setOnAction(e -> act(showInImages));
        Button runButton = Dialogs.button(i18n, "builds.dialog.done.run", "build-notice-run");
        runButton.setGraphic(new FontIcon(MaterialDesignP.PLAY_OUTLINE));
        runButton.getStyleClass().add("accent");
        runButton.setOnAction(e -> act(run));
        Button dismiss = new Button();
        dismiss.setId("build-notice-dismiss");
        dismiss.setGraphic(new FontIcon(MaterialDesignC.CLOSE));
        dismiss.getStyleClass().add("run-row-remove");
        dismiss.setOnAction(e -> lastSucceeded.set(null));
        javafx.scene.control.Tooltip tip = new javafx.scene.control.Tooltip();
        tip.textProperty().bind(i18n.text("builds.dialog.done.dismiss"));
        dismiss.setTooltip(tip);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        notice = new HBox(10, ok, message, spacer, show, runButton, dismiss);
        notice.setAlignment(Pos.CENTER_LEFT);
        notice.setId("build-notice");
        notice.getStyleClass().add("build-notice");
        notice.visibleProperty().bind(lastSucceeded.isNotNull().and(shownElsewhere.not()));
        notice.managedProperty().bind(notice.visibleProperty());
        chooser = owner -> {
            FileChooser fc = BuildDialog.fileChooser(i18n);
            fc.titleProperty().bind(i18n.text("builds.dialog.open.dockerfile"));
            return fc.showOpenDialog(owner);
        };
    }

    /**
     * Hides the notice while {@code condition} holds (the Builds page shows that very build, with
     * the same actions); it shows again when the condition ends, until acted on or dismissed.
     */
    public void hideWhile(javafx.beans.value.ObservableBooleanValue condition) {
        shownElsewhere.bind(condition);
    }

    /** Replaces the system file chooser of Build… (tests cannot drive a native one). */
    public void setChooser(DockerfileChooser chooser) {
        this.chooser = java.util.Objects.requireNonNull(chooser);
    }

    private void act(Consumer<BuildRun> action) {
        BuildRun r = lastSucceeded.get();
        if (r != null) {
            lastSucceeded.set(null);
            action.accept(r);
        }
    }

    /** Opens the Build dialog over {@code owner}, filled with {@code contextDir} and {@code dockerfile} (either may be null). */
    public BuildDialog open(Node owner, Path contextDir, String dockerfile) {
        BuildDialogModel model = new BuildDialogModel(executor);
        if (contextDir != null) {
            model.prefill(contextDir, dockerfile);
        }
        BuildDialog dialog = new BuildDialog(model, i18n, owner, this::start);
        dialog.show();
        return dialog;
    }

    /** Build…: a file chooser for the Dockerfile, then the dialog filled as a drop of that file would fill it. */
    public void chooseAndOpen(Node owner) {
        File file = chooser.choose(owner.getScene() == null ? null : owner.getScene().getWindow());
        if (file == null) {
            return;
        }
        if (DockerfileDrop.of(List.of(file)) instanceof DockerfileDrop.Open o) {
            open(owner, o.contextDir(), o.dockerfile());
        }
    }

    /** Starts {@code request} in the Builds pane, shows that pane, and follows the run to its end. */
    public BuildRun start(BuildRequest request) {
        BuildRun run = builds.start(request);
        showBuilds.run();
        if (run.status() == BuildStatus.SUCCEEDED) {
            succeeded(run);
        } else if (!run.status().finished()) {
            // one listener per run, gone once the run ends: a long session of builds keeps none behind
            run.statusProperty().addListener(new javafx.beans.value.ChangeListener<>() {
                @Override
                public void changed(javafx.beans.value.ObservableValue<? extends BuildStatus> obs, BuildStatus old,
                                    BuildStatus now) {
                    if (now.finished()) {
                        obs.removeListener(this);
                    }
                    if (now == BuildStatus.SUCCEEDED) {
                        succeeded(run);
                    }
                }
            });
        }
        return run;
    }

    private void succeeded(BuildRun run) {
        lastSucceeded.set(run);
        onSucceeded.accept(run);
    }

    /** The "Built x — Show in Images · Run…" bar; hidden until a build started here succeeds. */
    public Node notice() {
        return notice;
    }

    /** The succeeded build the notice is about; null while it is hidden. */
    public javafx.beans.property.ReadOnlyObjectProperty<BuildRun> lastSucceededProperty() {
        return lastSucceeded.getReadOnlyProperty();
    }
}
