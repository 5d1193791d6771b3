package dev.berth.app.images;

import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import dev.berth.app.i18n.Text;
import dev.berth.app.images.ImagesViewModel.Row;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/** Tag…: a new name for the selected image, checked as typed with the engine's rules. */
public final class TagDialog {

    private final Stage stage;

    public TagDialog(ImagesViewModel vm, Localization i18n, Node owner, Row row) {
        Label heading = new Label();
        heading.textProperty().bind(i18n.text("tag.heading", row.reference()));
        heading.getStyleClass().add("dialog-heading");
        TextField target = new TextField(row.dangling() ? "" : row.repository() + ":");
        target.setId("tag-target");
        target.promptTextProperty().bind(i18n.text("tag.prompt"));
        target.setPrefColumnCount(36);
        SimpleObjectProperty<Text> problem = new SimpleObjectProperty<>(Text.of("pull.validation.empty"));
        Label validation = new Label();
        validation.setId("tag-validation");
        validation.getStyleClass().add("field-error");
        validation.textProperty().bind(i18n.text(problem));
        validation.visibleProperty().bind(problem.isNotNull());
        target.textProperty().addListener((obs, old, now) -> vm.validateReference(now, p -> {
            if (now.equals(target.getText())) {
                problem.set(p != null && p.key().equals("pull.validation.empty") ? null : p);
                if (now.isBlank()) {
                    problem.set(Text.of("pull.validation.empty"));
                }
            }
        }));
        vm.validateReference(target.getText(), p -> problem.set(p));
        Button ok = Dialogs.button(i18n, "tag.apply", "tag-apply");
        ok.setDefaultButton(true);
        ok.disableProperty().bind(problem.isNotNull());
        Button cancel = Dialogs.button(i18n, "dialog.cancel", "tag-cancel");
        cancel.setCancelButton(true);
        VBox content = new VBox(12, heading, target, validation, Dialogs.buttonRow(new Node[0], cancel, ok));
        content.setPrefWidth(480);
        stage = Dialogs.stage(owner, i18n, "tag.title", content, "tag-dialog");
        cancel.setOnAction(e -> stage.close());
        ok.setOnAction(e -> vm.tag(row, target.getText().strip(), stage::close));
        target.end();
    }

    public void show() {
        stage.show();
    }
}
