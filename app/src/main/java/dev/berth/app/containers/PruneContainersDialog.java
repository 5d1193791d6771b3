package dev.berth.app.containers;

import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

import java.util.stream.Collectors;

/** Prune: names the stopped containers that {@code docker container prune} would remove, and asks first. */
final class PruneContainersDialog {

    private final Stage stage;

    PruneContainersDialog(ContainersViewModel vm, Localization i18n, Node owner) {
        String names = vm.allRows().stream().filter(r -> !r.state().alive()).map(r -> r.container().name())
                .sorted().collect(Collectors.joining(", "));
        Label heading = Dialogs.label(i18n, "containers.prune.heading");
        heading.getStyleClass().add("dialog-heading");
        Label body = new Label();
        body.setId("containers-prune-body");
        body.setWrapText(true);
        body.textProperty().bind(i18n.text("containers.prune.body", names));
        Button ok = Dialogs.button(i18n, "containers.prune.confirm", "containers-prune-confirm");
        ok.getStyleClass().add("danger");
        Button cancel = Dialogs.button(i18n, "dialog.cancel", "containers-prune-cancel");
        cancel.setCancelButton(true);
        cancel.setDefaultButton(true);
        VBox content = new VBox(12, heading, body, Dialogs.buttonRow(new Node[0], cancel, ok));
        content.setPrefWidth(460);
        stage = Dialogs.stage(owner, i18n, "containers.prune.title", content, "containers-prune-dialog");
        cancel.setOnAction(e -> stage.close());
        ok.setOnAction(e -> {
            vm.prune();
            stage.close();
        });
    }

    void show() {
        stage.show();
    }
}
