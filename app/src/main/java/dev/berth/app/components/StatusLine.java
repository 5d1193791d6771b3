package dev.berth.app.components;

import dev.berth.app.i18n.Localization;
import dev.berth.app.i18n.Text;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableObjectValue;
import javafx.scene.control.Label;

/** The line under a pane's table that says how its last command went: hidden before the first, red for a failure. */
public final class StatusLine {

    private StatusLine() {}

    public static Label create(Localization i18n, String id, ObservableObjectValue<Text> status, ObservableBooleanValue isError) {
        Label label = new Label();
        label.setId(id);
        label.setWrapText(true);
        label.textProperty().bind(i18n.text(status));
        label.visibleProperty().bind(Bindings.isNotNull(status));
        label.managedProperty().bind(label.visibleProperty());
        label.getStyleClass().add(isError.get() ? "status-line-error" : "status-line");
        isError.addListener((obs, was, now) -> {
            label.getStyleClass().removeAll("status-line-error", "status-line");
            label.getStyleClass().add(now ? "status-line-error" : "status-line");
        });
        return label;
    }
}
