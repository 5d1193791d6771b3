package dev.berth.app.components;

import dev.berth.app.i18n.Localization;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;

/** An icon in a soft circle, a title, a sentence or two and a command to try, centred. */
public final class EmptyStateView {

    private final VBox root;

    public EmptyStateView(Localization i18n, Ikon icon, EmptyState state, String idPrefix) {
        StackPane badge = new StackPane(new FontIcon(icon));
        badge.getStyleClass().add("empty-icon");
        Label title = new Label();
        title.textProperty().bind(i18n.text(state.titleKey()));
        title.getStyleClass().add("empty-title");
        title.setId(idPrefix + "-empty-title");
        Label body = new Label();
        body.textProperty().bind(i18n.text(state.bodyKey()));
        body.getStyleClass().add("empty-body");
        body.setId(idPrefix + "-empty-body");
        Label hint = new Label();
        hint.textProperty().bind(i18n.text(state.hintKey()));
        hint.getStyleClass().add("code-hint");
        hint.setId(idPrefix + "-empty-hint");
        root = new VBox(badge, title, body, hint);
        root.getStyleClass().add("empty-state");
        VBox.setMargin(hint, new Insets(6, 0, 0, 0));
    }

    public VBox root() {
        return root;
    }
}
