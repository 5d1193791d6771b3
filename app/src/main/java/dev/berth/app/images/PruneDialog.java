package dev.berth.app.images;

import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/** Prune: asks first (dangling only, or every unused image), then shows what was removed and the space reclaimed. */
public final class PruneDialog {

    private final Stage stage;

    public PruneDialog(ImagesViewModel vm, Localization i18n, Node owner) {
        Label heading = Dialogs.label(i18n, "prune.heading");
        heading.getStyleClass().add("dialog-heading");
        Label body = Dialogs.label(i18n, "prune.body");
        body.setWrapText(true);
        CheckBox all = new CheckBox();
        all.setId("prune-all");
        all.textProperty().bind(i18n.text("prune.all"));
        Label result = new Label();
        result.setId("prune-result");
        result.setWrapText(true);
        result.getStyleClass().add("status-line-ok");
        result.setVisible(false);
        result.managedProperty().bind(result.visibleProperty());
        Button ok = Dialogs.button(i18n, "prune.confirm", "prune-confirm");
        ok.getStyleClass().add("danger");
        Button cancel = Dialogs.button(i18n, "dialog.cancel", "prune-cancel");
        cancel.setCancelButton(true);
        VBox content = new VBox(12, heading, body, all, result, Dialogs.buttonRow(new Node[0], cancel, ok));
        content.setPrefWidth(480);
        stage = Dialogs.stage(owner, i18n, "prune.title", content, "prune-dialog");
        cancel.setOnAction(e -> stage.close());
        ok.setOnAction(e -> {
            ok.setDisable(true);
            all.setDisable(true);
            vm.prune(all.isSelected(), r -> {
                result.textProperty().bind(i18n.text("prune.result", r.deletedCount(), Formats.size(r.spaceReclaimed())));
                result.setVisible(true);
                cancel.textProperty().bind(i18n.text("dialog.close"));
                ok.setVisible(false);
            });
        });
    }

    public void show() {
        stage.show();
    }
}
