package dev.berth.app.networks;

import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import dev.berth.app.i18n.Text;
import dev.berth.app.networks.NetworksClient.CreateSpec;
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
 * Create network: name, subnet, gateway, IP range, internal, labels. Mistakes are named under
 * the form as they are typed ({@link NetworkForm}); the engine's own refusal (an overlapping
 * subnet, a taken name) shows there too, and the dialog stays open to fix it.
 */
public final class CreateNetworkDialog {

    private final Stage stage;

    public CreateNetworkDialog(NetworksViewModel vm, Localization i18n, Node owner) {
        TextField name = field("networks-create-name", i18n, "networks.create.name.prompt");
        TextField subnet = field("networks-create-subnet", i18n, "networks.create.subnet.prompt");
        TextField gateway = field("networks-create-gateway", i18n, "networks.create.gateway.prompt");
        TextField ipRange = field("networks-create-iprange", i18n, "networks.create.ipRange.prompt");
        CheckBox internal = new CheckBox();
        internal.setId("networks-create-internal");
        internal.textProperty().bind(i18n.text("networks.create.internal"));
        TextArea labels = new TextArea();
        labels.setId("networks-create-labels");
        labels.promptTextProperty().bind(i18n.text("networks.create.labels.prompt"));
        labels.setPrefRowCount(3);

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.addRow(0, Dialogs.label(i18n, "networks.create.name"), name);
        grid.addRow(1, Dialogs.label(i18n, "networks.create.subnet"), subnet);
        grid.addRow(2, Dialogs.label(i18n, "networks.create.gateway"), gateway);
        grid.addRow(3, Dialogs.label(i18n, "networks.create.ipRange"), ipRange);
        grid.addRow(4, new Label(), internal);
        grid.addRow(5, Dialogs.label(i18n, "networks.create.labels"), labels);

        ObjectProperty<Text> problem = new SimpleObjectProperty<>();
        Label validation = new Label();
        validation.setId("networks-create-validation");
        validation.setWrapText(true);
        validation.getStyleClass().add("status-line-error");
        validation.textProperty().bind(i18n.text(problem));

        Button create = Dialogs.button(i18n, "networks.create.confirm", "networks-create-confirm");
        create.getStyleClass().add("accent");
        create.setDefaultButton(true);
        Button cancel = Dialogs.button(i18n, "dialog.cancel", "networks-create-cancel");
        cancel.setCancelButton(true);
        Runnable check = () -> {
            Text p = NetworkForm.problem(name.getText(), subnet.getText(), gateway.getText(), ipRange.getText(), labels.getText());
            // an empty name is not an error to shout about before anything was typed
            problem.set(p != null && p.key().equals("networks.validation.nameEmpty") ? null : p);
            create.setDisable(p != null);
        };
        for (var input : new javafx.scene.control.TextInputControl[] {name, subnet, gateway, ipRange, labels}) {
            input.textProperty().addListener((obs, old, now) -> check.run());
        }
        check.run();

        Label heading = Dialogs.label(i18n, "networks.create.heading");
        heading.getStyleClass().add("dialog-heading");
        VBox content = new VBox(12, heading, grid, validation, Dialogs.buttonRow(new Node[0], cancel, create));
        content.setPrefWidth(520);
        stage = Dialogs.stage(owner, i18n, "networks.create.title", content, "networks-create-dialog");
        cancel.setOnAction(e -> stage.close());
        create.setOnAction(e -> {
            create.setDisable(true);
            CreateSpec spec = new CreateSpec(name.getText().strip(), subnet.getText(), gateway.getText(), ipRange.getText(),
                    internal.isSelected(), NetworkForm.labels(labels.getText()));
            vm.create(spec, stage::close, refusal -> {
                problem.set(refusal);
                create.setDisable(false);
            });
        });
    }

    private static TextField field(String id, Localization i18n, String promptKey) {
        TextField f = new TextField();
        f.setId(id);
        f.promptTextProperty().bind(i18n.text(promptKey));
        f.setPrefColumnCount(24);
        return f;
    }

    public void show() {
        stage.show();
    }
}
