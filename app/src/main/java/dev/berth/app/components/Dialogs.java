package dev.berth.app.components;

import dev.berth.app.i18n.Localization;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.util.EnumMap;
import java.util.Locale;

/**
 * Small windows over the main one: a modal stage with the owner's stylesheets (so the theme
 * follows), a title from the bundle, and a row of buttons on the right.
 */
public final class Dialogs {

    private Dialogs() {}

    /** A modal window owned by {@code owner}'s window, titled from {@code titleKey}. */
    public static Stage stage(Node owner, Localization i18n, String titleKey, Parent content, String id) {
        return stage(owner, i18n.text(titleKey), content, id);
    }

    /** A modal window owned by {@code owner}'s window, titled {@code title}. */
    public static Stage stage(Node owner, ObservableValue<String> title, Parent content, String id) {
        Stage stage = new Stage();
        Window window = owner.getScene() == null ? null : owner.getScene().getWindow();
        if (window != null) {
            stage.initOwner(window);
        }
        stage.initModality(Modality.WINDOW_MODAL);
        stage.titleProperty().bind(title);
        Scene scene = new Scene(content);
        if (owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        content.getStyleClass().add("dialog-body");
        content.setId(id);
        stage.setScene(scene);
        return stage;
    }

    /**
     * A danger confirmation (remove, prune) whose node ids start with {@code idPrefix}: set its texts,
     * then {@link ConfirmDialog#show show} it with the action to run on confirm.
     */
    public static ConfirmDialog confirm(Node owner, Localization i18n, String idPrefix) {
        return new ConfirmDialog(owner, i18n, idPrefix);
    }

    /** A button labelled from {@code key}. */
    public static Button button(Localization i18n, String key, String id) {
        Button b = new Button();
        b.textProperty().bind(i18n.text(key));
        b.setId(id);
        return b;
    }

    /** A label bound to {@code key}. */
    public static Label label(Localization i18n, String key) {
        Label l = new Label();
        l.textProperty().bind(i18n.text(key));
        return l;
    }

    /** A form section's heading with a muted, wrapping note under it ({@code .settings-heading}, {@code .muted}). */
    public static Node section(Localization i18n, String titleKey, String noteKey) {
        Label title = label(i18n, titleKey);
        title.getStyleClass().add("settings-heading");
        Label note = label(i18n, noteKey);
        note.getStyleClass().add("muted");
        note.setWrapText(true);
        return new VBox(2, title, note);
    }

    /** A two-column form: labels at least {@code labelWidth} wide, inputs taking the rest of the width. */
    public static GridPane formGrid(double labelWidth) {
        GridPane g = new GridPane();
        g.setHgap(12);
        g.setVgap(8);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(labelWidth);
        ColumnConstraints inputs = new ColumnConstraints();
        inputs.setHgrow(Priority.ALWAYS);
        g.getColumnConstraints().setAll(labels, inputs);
        return g;
    }

    /** Buttons aligned right, with {@code left} nodes on the left. */
    public static HBox buttonRow(Node[] left, Button... buttons) {
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox row = new HBox(8);
        row.getChildren().addAll(left);
        row.getChildren().add(spacer);
        row.getChildren().addAll(buttons);
        row.getStyleClass().add("dialog-buttons");
        return row;
    }

    /**
     * One error label per form field, hidden until a problem is shown in it; ids {@code <idPrefix>-<field>}
     * (the field's name in lower case, {@code _} as {@code -}).
     */
    public static <F extends Enum<F>> EnumMap<F, Label> fieldErrors(Class<F> fields, String idPrefix) {
        EnumMap<F, Label> errors = new EnumMap<>(fields);
        for (F f : fields.getEnumConstants()) {
            Label l = new Label();
            l.setId(idPrefix + "-" + f.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            l.getStyleClass().add("field-error");
            l.setWrapText(true);
            l.setVisible(false);
            l.setManaged(false);
            errors.put(f, l);
        }
        return errors;
    }
}
