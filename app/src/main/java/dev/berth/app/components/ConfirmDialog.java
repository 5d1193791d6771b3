package dev.berth.app.components;

import dev.berth.app.i18n.Localization;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A question asked before something is destroyed (remove, prune): a heading and a body over
 * Cancel, which is the default button, and a red confirm button; optionally one check box
 * ("force", "also remove anonymous volumes") with a muted note under it, and extra lines.
 * Made by {@link Dialogs#confirm}; every text is a binding from the bundle, so it follows
 * language switches. Node ids share one prefix: {@code <prefix>-dialog}, {@code -body},
 * {@code -confirm}, {@code -cancel} and, when the answer is reported, {@code -result}.
 */
public final class ConfirmDialog {

    private final Node owner;
    private final Localization i18n;
    private final String idPrefix;
    private ObservableValue<String> title;
    private ObservableValue<String> heading;
    private ObservableValue<String> body;
    private ObservableValue<String> confirmLabel;
    private final List<Label> details = new ArrayList<>();
    private CheckBox option;
    private Label optionNote;

    ConfirmDialog(Node owner, Localization i18n, String idPrefix) {
        this.owner = owner;
        this.i18n = i18n;
        this.idPrefix = idPrefix;
    }

    /** The window title. */
    public ConfirmDialog title(ObservableValue<String> text) {
        this.title = text;
        return this;
    }

    /** The question, in bold ({@code .dialog-heading}). */
    public ConfirmDialog heading(ObservableValue<String> text) {
        this.heading = text;
        return this;
    }

    /** What will happen, under the heading. */
    public ConfirmDialog body(ObservableValue<String> text) {
        this.body = text;
        return this;
    }

    /** One more line under the body with its own {@code id}; it takes no room when not {@code shown}. */
    public ConfirmDialog detail(ObservableValue<String> text, String id, boolean shown) {
        Label l = wrapped(text);
        l.setId(id);
        l.setVisible(shown);
        l.setManaged(shown);
        details.add(l);
        return this;
    }

    /** The check box whose state the action receives, with its own {@code id}; unchecked at first. */
    public ConfirmDialog option(ObservableValue<String> text, String id) {
        CheckBox box = new CheckBox();
        box.setId(id);
        box.textProperty().bind(text);
        this.option = box;
        return this;
    }

    /** A muted line under the check box that says what it means. */
    public ConfirmDialog optionNote(ObservableValue<String> text) {
        Label note = wrapped(text);
        note.getStyleClass().add("muted");
        this.optionNote = note;
        return this;
    }

    /** The label of the red button. */
    public ConfirmDialog confirmLabel(ObservableValue<String> text) {
        this.confirmLabel = text;
        return this;
    }

    /** Shows the question; on confirm, runs {@code action} with the check box's state (false without one) and closes. */
    public void show(Consumer<Boolean> action) {
        Parts p = build();
        p.confirm.setOnAction(e -> {
            action.accept(p.checked());
            p.stage.close();
        });
        p.stage.show();
    }

    /**
     * Shows the question and stays open after confirm: {@code action} gets the check box's state and
     * a callback through which it shows its outcome (say, what a prune reclaimed) in {@code <prefix>-result};
     * the confirm button then goes away and Cancel becomes Close.
     */
    public void showAndReport(BiConsumer<Boolean, Consumer<ObservableValue<String>>> action) {
        Parts p = build();
        Label result = wrapped(null);
        result.setId(idPrefix + "-result");
        result.getStyleClass().add("status-line-ok");
        result.setVisible(false);
        result.managedProperty().bind(result.visibleProperty());
        p.content.getChildren().add(p.content.getChildren().size() - 1, result);
        p.confirm.setOnAction(e -> {
            p.confirm.setDisable(true);
            if (option != null) {
                option.setDisable(true);
            }
            action.accept(p.checked(), outcome -> {
                result.textProperty().bind(outcome);
                result.setVisible(true);
                p.cancel.textProperty().bind(i18n.text("dialog.close"));
                p.confirm.setVisible(false);
            });
        });
        p.stage.show();
    }

    private record Parts(Stage stage, VBox content, Button confirm, Button cancel, CheckBox option) {
        boolean checked() {
            return option != null && option.isSelected();
        }
    }

    private Parts build() {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(heading, "heading");
        Objects.requireNonNull(confirmLabel, "confirmLabel");
        Label head = wrapped(heading);
        head.getStyleClass().add("dialog-heading");
        VBox content = new VBox(12, head);
        if (body != null) {
            Label b = wrapped(body);
            b.setId(idPrefix + "-body");
            content.getChildren().add(b);
        }
        content.getChildren().addAll(details);
        if (option != null) {
            content.getChildren().add(option);
        }
        if (optionNote != null) {
            content.getChildren().add(optionNote);
        }
        Button confirm = new Button();
        confirm.setId(idPrefix + "-confirm");
        confirm.textProperty().bind(confirmLabel);
        confirm.getStyleClass().add("danger");
        Button cancel = Dialogs.button(i18n, "dialog.cancel", idPrefix + "-cancel");
        cancel.setCancelButton(true);
        cancel.setDefaultButton(true);
        content.getChildren().add(Dialogs.buttonRow(new Node[0], cancel, confirm));
        content.setPrefWidth(480);
        Stage stage = Dialogs.stage(owner, title, content, idPrefix + "-dialog");
        cancel.setOnAction(e -> stage.close());
        return new Parts(stage, content, confirm, cancel, option);
    }

    private static Label wrapped(ObservableValue<String> text) {
        Label l = new Label();
        if (text != null) {
            l.textProperty().bind(text);
        }
        l.setWrapText(true);
        return l;
    }
}
