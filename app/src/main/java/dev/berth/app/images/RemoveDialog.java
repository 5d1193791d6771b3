package dev.berth.app.images;

import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import dev.berth.app.images.ImagesViewModel.Row;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/** Remove: asks first, says what will happen (untag or delete), with a "force" checkbox. */
public final class RemoveDialog {

    private final Stage stage;

    public RemoveDialog(ImagesViewModel vm, Localization i18n, Node owner, Row row) {
        Label heading = new Label();
        heading.textProperty().bind(i18n.text("remove.heading", row.reference()));
        heading.getStyleClass().add("dialog-heading");
        heading.setWrapText(true);
        boolean untagOnly = !row.dangling() && row.image().repoTags().size() > 1;
        Label body = new Label();
        body.setWrapText(true);
        body.textProperty().bind(untagOnly ? i18n.text("remove.body.untag", row.image().repoTags().size() - 1)
                : i18n.text("remove.body.delete", row.shortId(), Formats.size(row.size())));
        CheckBox force = new CheckBox();
        force.setId("remove-force");
        force.textProperty().bind(i18n.text("remove.force"));
        Label forceNote = Dialogs.label(i18n, "remove.force.note");
        forceNote.getStyleClass().add("muted");
        forceNote.setWrapText(true);
        Button ok = Dialogs.button(i18n, "remove.confirm", "remove-confirm");
        ok.getStyleClass().add("danger");
        Button cancel = Dialogs.button(i18n, "dialog.cancel", "remove-cancel");
        cancel.setCancelButton(true);
        cancel.setDefaultButton(true);
        VBox content = new VBox(12, heading, body, force, forceNote, Dialogs.buttonRow(new Node[0], cancel, ok));
        content.setPrefWidth(480);
        stage = Dialogs.stage(owner, i18n, "remove.title", content, "remove-dialog");
        cancel.setOnAction(e -> stage.close());
        ok.setOnAction(e -> {
            vm.remove(row, force.isSelected());
            stage.close();
        });
    }

    public void show() {
        stage.show();
    }
}
