package dev.berth.app.settings;

import dev.berth.app.components.PaneHeader;
import dev.berth.app.i18n.Language;
import dev.berth.app.i18n.Localization;
import dev.berth.app.theme.Theme;
import javafx.beans.property.ObjectProperty;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.util.function.Function;

/** The Settings pane: language and theme, applied at once and saved. */
public final class SettingsView {

    private final VBox root;

    public SettingsView(SettingsViewModel vm, Localization i18n) {
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

        VBox body = new VBox(language, theme, status);
        body.getStyleClass().add("pane-body");
        body.setSpacing(16);
        root = new VBox(PaneHeader.create(i18n, "settings.title", "settings.subtitle", "settings"), body);
        root.setId("settings-pane");
        root.getStyleClass().add("content");
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
