package dev.berth.app.settings;

import dev.berth.app.components.PaneHeader;
import dev.berth.app.i18n.Language;
import dev.berth.app.i18n.Localization;
import dev.berth.app.theme.Theme;
import javafx.beans.property.ObjectProperty;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.util.function.Function;

/** The Settings pane: language and theme, applied at once and saved. */
public final class SettingsView {

    private final VBox root;

    public SettingsView(SettingsViewModel vm, RegistriesViewModel registries, Localization i18n) {
        VBox language = card(i18n, "settings.language", "settings.language.note",
                choices(i18n, Language.values(), vm.languageProperty(), Language::nameKey, l -> "settings-language-" + l.tag()));
        VBox theme = card(i18n, "settings.theme", "settings.theme.note",
                choices(i18n, Theme.values(), vm.themeProperty(), Theme::nameKey, t -> "settings-theme-" + t.id()));

        Label status = new Label();
        status.setId("settings-status");
        status.textProperty().bind(i18n.text(vm.saveStatusProperty()));
        status.getStyleClass().add("settings-note");
        vm.saveFailedProperty().addListener((obs, was, failed) -> {
            status.getStyleClass().removeAll("settings-note", "settings-error");
            status.getStyleClass().add(failed ? "settings-error" : "settings-note");
        });

        VBox body = new VBox(language, theme, status, registriesCard(registries, i18n));
        body.getStyleClass().add("pane-body");
        body.setSpacing(16);
        ScrollPane scroll = new ScrollPane(body);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("settings-scroll");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        root = new VBox(PaneHeader.create(i18n, "settings.title", "settings.subtitle", "settings"), scroll);
        root.setId("settings-pane");
        root.getStyleClass().add("content");
    }

    /** Registries: a login form, and the engine's mirrors and insecure registries (read-only for a remote engine). */
    private static VBox registriesCard(RegistriesViewModel vm, Localization i18n) {
        Label heading = new Label();
        heading.textProperty().bind(i18n.text("registries.heading"));
        heading.getStyleClass().add("settings-heading");
        Label note = new Label();
        note.textProperty().bind(i18n.text("registries.note"));
        note.getStyleClass().add("settings-note");
        note.setWrapText(true);

        TextField registry = new TextField();
        registry.setId("settings-registry");
        registry.textProperty().bindBidirectional(vm.registryProperty());
        TextField username = new TextField();
        username.setId("settings-username");
        username.textProperty().bindBidirectional(vm.usernameProperty());
        PasswordField password = new PasswordField();
        password.setId("settings-password");
        password.textProperty().bindBidirectional(vm.passwordProperty());
        Button login = new Button();
        login.setId("settings-login");
        login.textProperty().bind(i18n.text("registries.login"));
        login.setOnAction(e -> vm.login(() -> { }));
        Button logout = new Button();
        logout.setId("settings-logout");
        logout.textProperty().bind(i18n.text("registries.logout"));
        logout.setOnAction(e -> vm.logout());
        GridPane form = new GridPane();
        form.setHgap(12);
        form.setVgap(8);
        form.addRow(0, label(i18n, "registries.registry"), registry);
        form.addRow(1, label(i18n, "registries.username"), username);
        form.addRow(2, label(i18n, "registries.password"), password);
        form.add(new HBox(8, login, logout), 1, 3);
        GridPane.setHgrow(registry, Priority.ALWAYS);
        Label loginStatus = new Label();
        loginStatus.setId("settings-login-status");
        loginStatus.setWrapText(true);
        loginStatus.textProperty().bind(i18n.text(vm.loginStatusProperty()));
        vm.loginFailedProperty().addListener((obs, was, failed) -> {
            loginStatus.getStyleClass().removeAll("settings-note", "settings-error");
            loginStatus.getStyleClass().add(failed ? "settings-error" : "settings-note");
        });
        loginStatus.getStyleClass().add("settings-note");

        TextArea mirrors = new TextArea();
        mirrors.setId("settings-mirrors");
        mirrors.setPrefRowCount(3);
        mirrors.promptTextProperty().bind(i18n.text("registries.mirrors.prompt"));
        mirrors.textProperty().bindBidirectional(vm.mirrorsProperty());
        mirrors.editableProperty().bind(vm.editableProperty());
        TextArea insecure = new TextArea();
        insecure.setId("settings-insecure");
        insecure.setPrefRowCount(3);
        insecure.promptTextProperty().bind(i18n.text("registries.insecure.prompt"));
        insecure.textProperty().bindBidirectional(vm.insecureProperty());
        insecure.editableProperty().bind(vm.editableProperty());
        Button save = new Button();
        save.setId("settings-registries-save");
        save.textProperty().bind(i18n.text("registries.lists.save"));
        save.disableProperty().bind(vm.editableProperty().not());
        save.setOnAction(e -> vm.saveLists());
        Label listsStatus = new Label();
        listsStatus.setId("settings-registries-status");
        listsStatus.setWrapText(true);
        listsStatus.textProperty().bind(i18n.text(vm.listsStatusProperty()));
        vm.listsFailedProperty().addListener((obs, was, failed) -> {
            listsStatus.getStyleClass().removeAll("settings-note", "settings-error");
            listsStatus.getStyleClass().add(failed ? "settings-error" : "settings-note");
        });
        listsStatus.getStyleClass().add("settings-note");
        Label restart = new Label();
        restart.textProperty().bind(i18n.text("registries.lists.restart"));
        restart.getStyleClass().add("settings-note");
        restart.setWrapText(true);
        restart.visibleProperty().bind(vm.editableProperty());
        restart.managedProperty().bind(restart.visibleProperty());

        VBox card = new VBox(heading, note, form, loginStatus, new Separator(),
                label(i18n, "registries.mirrors"), mirrors, label(i18n, "registries.insecure"), insecure,
                restart, new HBox(8, save), listsStatus);
        card.getStyleClass().add("settings-card");
        card.setId("settings-registries");
        return card;
    }

    private static Label label(Localization i18n, String key) {
        Label l = new Label();
        l.textProperty().bind(i18n.text(key));
        return l;
    }

    private static VBox card(Localization i18n, String headingKey, String noteKey, HBox choices) {
        Label heading = new Label();
        heading.textProperty().bind(i18n.text(headingKey));
        heading.getStyleClass().add("settings-heading");
        Label note = new Label();
        note.textProperty().bind(i18n.text(noteKey));
        note.getStyleClass().add("settings-note");
        VBox card = new VBox(heading, note, choices);
        card.getStyleClass().add("settings-card");
        return card;
    }

    /** One radio button per value, kept in step with {@code property} both ways. */
    private static <T> HBox choices(Localization i18n, T[] values, ObjectProperty<T> property,
                                    Function<T, String> nameKey, Function<T, String> id) {
        ToggleGroup group = new ToggleGroup();
        HBox row = new HBox();
        row.getStyleClass().add("choice-row");
        for (T value : values) {
            RadioButton b = new RadioButton();
            b.setId(id.apply(value));
            b.textProperty().bind(i18n.text(nameKey.apply(value)));
            b.setUserData(value);
            b.setToggleGroup(group);
            b.setSelected(value == property.get());
            row.getChildren().add(b);
        }
        group.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                old.setSelected(true); // a choice always stays made
            } else if (now.getUserData() != property.get()) {
                @SuppressWarnings("unchecked") T value = (T) now.getUserData();
                property.set(value);
            }
        });
        property.addListener((obs, old, now) -> {
            for (Toggle t : group.getToggles()) {
                if (t.getUserData() == now && !t.isSelected()) {
                    t.setSelected(true);
                }
            }
        });
        return row;
    }

    public Parent root() {
        return root;
    }
}
