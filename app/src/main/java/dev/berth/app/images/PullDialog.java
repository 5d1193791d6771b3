package dev.berth.app.images;

import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import dev.berth.app.i18n.Text;
import dev.berth.app.images.PullViewModel.State;
import dev.berth.app.settings.LoginDialog;
import dev.berth.app.settings.RegistriesViewModel;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.util.StringConverter;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;

/**
 * The Pull dialog: reference (checked as typed), platform, then one progress row per layer and
 * an overall bar while the pull runs; Cancel interrupts it. A refusal for want of credentials
 * offers the login dialog, after which Pull tries again.
 */
public final class PullDialog {

    private final Stage stage;
    private final PullViewModel vm;

    public PullDialog(ImagesViewModel images, RegistriesViewModel registries, Localization i18n, Node owner) {
        this.vm = new PullViewModel(images.executor(), images.backendProperty().get());

        Label heading = Dialogs.label(i18n, "pull.heading");
        heading.getStyleClass().add("dialog-heading");
        Label intro = Dialogs.label(i18n, "pull.intro");
        intro.getStyleClass().add("muted");
        intro.setWrapText(true);

        TextField reference = new TextField();
        reference.setId("pull-reference");
        reference.promptTextProperty().bind(i18n.text("pull.reference.prompt"));
        reference.textProperty().bindBidirectional(vm.referenceProperty());
        reference.setPrefColumnCount(36);
        Label validation = new Label();
        validation.setId("pull-validation");
        validation.setWrapText(true);
        validation.textProperty().bind(Bindings.createStringBinding(() -> {
            Text problem = vm.validationProperty().get();
            if (problem != null) {
                return problem.key().equals("pull.validation.empty") ? "" : i18n.get(problem);
            }
            return vm.normalizedProperty().get().isEmpty() ? "" : i18n.get("pull.validation.ok", vm.normalizedProperty().get());
        }, vm.validationProperty(), vm.normalizedProperty(), i18n.languageProperty()));
        vm.validationProperty().addListener((obs, old, now) -> {
            validation.getStyleClass().removeAll("field-error", "field-ok");
            validation.getStyleClass().add(now == null ? "field-ok" : "field-error");
        });
        validation.getStyleClass().add("field-ok");

        ComboBox<String> platform = new ComboBox<>();
        platform.setId("pull-platform");
        platform.getItems().setAll(PullViewModel.PLATFORMS);
        platform.setEditable(false);
        platform.setConverter(new StringConverter<>() {
            @Override
            public String toString(String p) {
                return p == null || p.isEmpty() ? i18n.get("pull.platform.host") : p;
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        platform.valueProperty().bindBidirectional(vm.platformProperty());

        GridPane form = new GridPane();
        form.setHgap(12);
        form.setVgap(6);
        form.add(Dialogs.label(i18n, "pull.reference"), 0, 0);
        form.add(reference, 1, 0);
        form.add(validation, 1, 1);
        form.add(Dialogs.label(i18n, "pull.platform"), 0, 2);
        form.add(platform, 1, 2);
        GridPane.setHgrow(reference, Priority.ALWAYS);

        Label overallLabel = Dialogs.label(i18n, "pull.overall");
        overallLabel.getStyleClass().add("field-label");
        ProgressBar overall = new ProgressBar(0);
        overall.setId("pull-overall");
        overall.progressProperty().bind(vm.overallProperty());
        overall.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(overall, Priority.ALWAYS);
        Label percent = new Label();
        percent.getStyleClass().add("muted");
        percent.textProperty().bind(Bindings.createStringBinding(
                () -> Math.round(vm.overallProperty().get() * 100) + " %", vm.overallProperty()));
        HBox overallRow = new HBox(10, overallLabel, overall, percent);
        overallRow.setAlignment(Pos.CENTER_LEFT);

        ListView<PullProgressModel.Layer> layers = new ListView<>(vm.layers());
        layers.setId("pull-layers");
        // as tall as its layers need, from two rows to eight
        layers.prefHeightProperty().bind(Bindings.createDoubleBinding(
                () -> Math.min(8, Math.max(2, vm.layers().size())) * 30.0 + 4, vm.layers()));
        layers.setFocusTraversable(false);
        layers.getStyleClass().add("layer-list");
        layers.setCellFactory(list -> new LayerCell(i18n));
        Label noLayers = Dialogs.label(i18n, "pull.layers.none");
        noLayers.getStyleClass().add("muted");
        layers.setPlaceholder(noLayers);

        VBox progress = new VBox(8, overallRow, layers);
        progress.visibleProperty().bind(vm.stateProperty().isNotEqualTo(State.EDITING));
        progress.managedProperty().bind(progress.visibleProperty());

        Label message = new Label();
        message.setId("pull-message");
        message.setWrapText(true);
        message.textProperty().bind(i18n.text(vm.messageProperty()));
        message.visibleProperty().bind(vm.messageProperty().isNotNull());
        message.managedProperty().bind(message.visibleProperty());
        vm.stateProperty().addListener((obs, old, now) -> {
            message.getStyleClass().removeAll("status-line", "status-line-error", "status-line-ok");
            message.getStyleClass().add(switch (now) {
                case FAILED -> "status-line-error";
                case DONE -> "status-line-ok";
                default -> "status-line";
            });
        });

        BooleanBinding pulling = vm.stateProperty().isEqualTo(State.PULLING);
        Button login = Dialogs.button(i18n, "pull.login", "pull-login");
        login.setGraphic(new FontIcon(MaterialDesignA.ACCOUNT_KEY_OUTLINE));
        login.visibleProperty().bind(vm.authRequiredProperty());
        login.managedProperty().bind(login.visibleProperty());
        Button pull = Dialogs.button(i18n, "pull.start", "pull-start");
        pull.setGraphic(new FontIcon(MaterialDesignC.CLOUD_DOWNLOAD_OUTLINE));
        pull.getStyleClass().add("accent");
        pull.setDefaultButton(true);
        pull.disableProperty().bind(pulling.or(vm.validationProperty().isNotNull()));
        pull.setOnAction(e -> vm.pull());
        Button cancel = Dialogs.button(i18n, "pull.cancel", "pull-cancel");
        cancel.setCancelButton(true);
        cancel.textProperty().unbind();
        cancel.textProperty().bind(Bindings.when(pulling).then(i18n.text("pull.cancel")).otherwise(i18n.text("dialog.close")));

        VBox content = new VBox(14, heading, intro, form, progress, message,
                Dialogs.buttonRow(new Node[] {login}, cancel, pull));
        content.setPrefWidth(640);
        stage = Dialogs.stage(owner, i18n, "pull.title", content, "pull-dialog");
        cancel.setOnAction(e -> {
            if (vm.stateProperty().get() == State.PULLING) {
                vm.cancel();
            } else {
                stage.close();
            }
        });
        stage.setOnCloseRequest(e -> vm.cancel());
        // the progress part and the outcome appear once a pull starts: the window grows to show them
        vm.stateProperty().addListener((obs, old, now) -> stage.sizeToScene());
        vm.messageProperty().addListener((obs, old, now) -> stage.sizeToScene());
        vm.authRequiredProperty().addListener((obs, old, now) -> stage.sizeToScene());
        login.setOnAction(e -> {
            registries.registryProperty().set(vm.registry());
            new LoginDialog(registries, i18n, content, vm::pull).show();
        });
    }

    public void show() {
        stage.show();
    }

    /** The dialog's state, for tests. */
    public PullViewModel viewModel() {
        return vm;
    }

    /** One layer: short digest, phase, a bar, bytes. */
    private static final class LayerCell extends ListCell<PullProgressModel.Layer> {

        private final Localization i18n;
        private final Label id = new Label();
        private final Label phase = new Label();
        private final ProgressBar bar = new ProgressBar(0);
        private final Label bytes = new Label();
        private final HBox box;

        LayerCell(Localization i18n) {
            this.i18n = i18n;
            id.getStyleClass().add("mono");
            id.setMinWidth(110);
            phase.setMinWidth(130);
            bar.setPrefWidth(200);
            bar.getStyleClass().add("layer-bar");
            bytes.getStyleClass().add("muted");
            box = new HBox(10, id, phase, bar, bytes);
            box.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(PullProgressModel.Layer item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                setId(null);
                return;
            }
            setId("pull-layer-" + item.id());
            id.setText(item.id());
            phase.setText(i18n.get(PullViewModel.phaseKey(item.phase())));
            bar.setProgress(item.fraction());
            bar.getStyleClass().removeAll("layer-done", "layer-failed");
            if (item.phase() == ImageProgress.Phase.FAILED) {
                bar.getStyleClass().add("layer-failed");
            } else if (item.phase().finished()) {
                bar.getStyleClass().add("layer-done");
            }
            bytes.setText(item.total() > 0 ? Formats.size(item.current()) + " / " + Formats.size(item.total())
                    : item.size() > 0 ? Formats.size(item.size()) : "");
            setGraphic(box);
        }
    }
}
