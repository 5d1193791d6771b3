package dev.berth.app.containers;

import dev.berth.app.components.Dialogs;
import dev.berth.app.containers.ContainersViewModel.Action;
import dev.berth.app.containers.ContainersViewModel.Row;
import dev.berth.app.i18n.Localization;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Remove: asks first, names the containers, says that running ones are killed first (removed
 * with force), and offers "also remove anonymous volumes" ({@code docker rm -v}).
 */
final class RemoveContainersDialog {

    private final Stage stage;

    RemoveContainersDialog(ContainersViewModel vm, Localization i18n, Node owner, List<Row> targets) {
        List<Row> removable = targets.stream().filter(r -> Action.REMOVE.appliesTo(r.state())).toList();
        String names = removable.stream().map(r -> r.container().name()).collect(Collectors.joining(", "));
        List<String> running = removable.stream().filter(r -> r.state().alive()).map(r -> r.container().name()).toList();

        Label heading = new Label();
        heading.textProperty().bind(removable.size() == 1 ? i18n.text("containers.remove.heading.one", names)
                : i18n.text("containers.remove.heading.many", removable.size()));
        heading.getStyleClass().add("dialog-heading");
        heading.setWrapText(true);
        Label body = new Label();
        body.setId("containers-remove-body");
        body.setWrapText(true);
        body.textProperty().bind(i18n.text("containers.remove.body", names));
        Label force = new Label();
        force.setId("containers-remove-running");
        force.setWrapText(true);
        force.textProperty().bind(i18n.text("containers.remove.running", String.join(", ", running)));
        force.setVisible(!running.isEmpty());
        force.setManaged(!running.isEmpty());
        CheckBox volumes = new CheckBox();
        volumes.setId("containers-remove-volumes");
        volumes.textProperty().bind(i18n.text("containers.remove.volumes"));
        Label volumesNote = Dialogs.label(i18n, "containers.remove.volumes.note");
        volumesNote.getStyleClass().add("muted");
        volumesNote.setWrapText(true);
        Button ok = Dialogs.button(i18n, "containers.remove.confirm", "containers-remove-confirm");
        ok.getStyleClass().add("danger");
        Button cancel = Dialogs.button(i18n, "dialog.cancel", "containers-remove-cancel");
        cancel.setCancelButton(true);
        cancel.setDefaultButton(true);
        VBox content = new VBox(12, heading, body, force, volumes, volumesNote, Dialogs.buttonRow(new Node[0], cancel, ok));
        content.setPrefWidth(480);
        stage = Dialogs.stage(owner, i18n, "containers.remove.title", content, "containers-remove-dialog");
        cancel.setOnAction(e -> stage.close());
        ok.setOnAction(e -> {
            vm.apply(Action.REMOVE, removable, volumes.isSelected());
            stage.close();
        });
    }

    void show() {
        stage.show();
    }
}
