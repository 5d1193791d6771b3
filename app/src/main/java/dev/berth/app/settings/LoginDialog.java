package dev.berth.app.settings;

import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * Log in to a registry: registry, username, password. The password field is emptied as soon as
 * the login is sent; after a good login the dialog closes and {@code afterLogin} runs (the Pull
 * dialog tries again).
 */
public final class LoginDialog {

    private final Stage stage;

    public LoginDialog(RegistriesViewModel vm, Localization i18n, Node owner, Runnable afterLogin) {
        Label heading = Dialogs.label(i18n, "login.heading");
        heading.getStyleClass().add("dialog-heading");
        TextField registry = new TextField();
        registry.setId("login-registry");
        registry.textProperty().bindBidirectional(vm.registryProperty());
        TextField username = new TextField();
        username.setId("login-username");
        username.textProperty().bindBidirectional(vm.usernameProperty());
        PasswordField password = new PasswordField();
        password.setId("login-password");
        password.textProperty().bindBidirectional(vm.passwordProperty());
        GridPane form = new GridPane();
        form.setHgap(12);
        form.setVgap(8);
        form.addRow(0, Dialogs.label(i18n, "registries.registry"), registry);
        form.addRow(1, Dialogs.label(i18n, "registries.username"), username);
        form.addRow(2, Dialogs.label(i18n, "registries.password"), password);
        GridPane.setHgrow(registry, Priority.ALWAYS);
        Label status = new Label();
        status.setId("login-status");
        status.setWrapText(true);
        status.textProperty().bind(i18n.text(vm.loginStatusProperty()));
        status.getStyleClass().add("status-line-error");
        status.visibleProperty().bind(vm.loginFailedProperty());
        Button ok = Dialogs.button(i18n, "registries.login", "login-submit");
        ok.setDefaultButton(true);
        Button cancel = Dialogs.button(i18n, "dialog.cancel", "login-cancel");
        cancel.setCancelButton(true);
        VBox content = new VBox(12, heading, form, status, Dialogs.buttonRow(new Node[0], cancel, ok));
        content.setPrefWidth(440);
        stage = Dialogs.stage(owner, i18n, "login.title", content, "login-dialog");
        cancel.setOnAction(e -> stage.close());
        ok.setOnAction(e -> vm.login(() -> {
            stage.close();
            afterLogin.run();
        }));
        if (!registry.getText().isBlank()) {
            username.requestFocus();
        }
    }

    public void show() {
        stage.show();
    }
}
