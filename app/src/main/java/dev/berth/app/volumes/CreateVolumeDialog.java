package dev.berth.app.volumes;

import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import dev.berth.app.i18n.Text;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * Create volume: name (optional), labels, and the tmpfs option (data in memory while in use,
 * with an optional size). Mistakes are named as they are typed; the engine's refusal shows in
 * the dialog, which stays open.
 */
public final class CreateVolumeDialog {

    private final Stage stage;

    public CreateVolumeDialog(VolumesViewModel vm, Localization i18n, Node owner) {
        TextField name = new TextField();
        name.setId("volumes-create-name");
        name.promptTextProperty().bind(i18n.text("volumes.create.name.prompt"));
        name.setPrefColumnCount(24);
        TextArea labels = new TextArea();
        labels.setId("volumes-create-labels");
        labels.promptTextProperty().bind(i18n.text("volumes.create.labels.prompt"));
        labels.setPrefRowCount(3);
        CheckBox tmpfs = new CheckBox();
        tmpfs.setId("volumes-create-tmpfs");
        tmpfs.textProperty().bind(i18n.text("volumes.create.tmpfs"));
        TextField size = new TextField();
        size.setId("volumes-create-size");
        size.promptTextProperty().bind(i18n.text("volumes.create.size.prompt"));
        size.disableProperty().bind(tmpfs.selectedProperty().not());

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.addRow(0, Dialogs.label(i18n, "volumes.create.name"), name);
        grid.addRow(1, Dialogs.label(i18n, "volumes.create.labels"), labels);
        grid.addRow(2, new Label(), tmpfs);
        grid.addRow(3, Dialogs.label(i18n, "volumes.create.size"), size);

        ObjectProperty<Text> problem = new SimpleObjectProperty<>();
        Label validation = new Label();
        validation.setId("volumes-create-validation");
        validation.setWrapText(true);
        validation.getStyleClass().add("status-line-error");
        validation.textProperty().bind(i18n.text(problem));
        Button create = Dialogs.button(i18n, "volumes.create.confirm", "volumes-create-confirm");
        create.getStyleClass().add("accent");
        create.setDefaultButton(true);
        Button cancel = Dialogs.button(i18n, "dialog.cancel", "volumes-create-cancel");
        cancel.setCancelButton(true);
        Runnable check = () -> {
            Text p = VolumesViewModel.validate(name.getText(), tmpfs.isSelected(), size.getText(), labels.getText());
            problem.set(p);
            create.setDisable(p != null);
        };
        name.textProperty().addListener((obs, o, n) -> check.run());
        labels.textProperty().addListener((obs, o, n) -> check.run());
        size.textProperty().addListener((obs, o, n) -> check.run());
        tmpfs.selectedProperty().addListener((obs, o, n) -> check.run());
        check.run();

        Label heading = Dialogs.label(i18n, "volumes.create.heading");
        heading.getStyleClass().add("dialog-heading");
        VBox content = new VBox(12, heading, grid, validation, Dialogs.buttonRow(new Node[0], cancel, create));
        content.setPrefWidth(520);
        stage = Dialogs.stage(owner, i18n, "volumes.create.title", content, "volumes-create-dialog");
        cancel.setOnAction(e -> stage.close());
        create.setOnAction(e -> {
            create.setDisable(true);
            vm.create(name.getText(), labels.getText(), tmpfs.isSelected(), size.getText(), stage::close, refusal -> {
                problem.set(refusal);
                create.setDisable(false);
            });
        });
    }

    public void show() {
        stage.show();
    }
}
