package dev.berth.app.components;

import dev.berth.app.i18n.Localization;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** A pane's title and one-line description, with room for actions on the right. */
public final class PaneHeader {

    private PaneHeader() {}

    public static HBox create(Localization i18n, String titleKey, String subtitleKey, String idPrefix, Node... actions) {
        Label title = new Label();
        title.textProperty().bind(i18n.text(titleKey));
        title.getStyleClass().add("pane-title");
        title.setId(idPrefix + "-title");
        Label subtitle = new Label();
        subtitle.textProperty().bind(i18n.text(subtitleKey));
        subtitle.getStyleClass().add("pane-subtitle");
        VBox texts = new VBox(title, subtitle);
        texts.setSpacing(2);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(texts, spacer);
        header.getChildren().addAll(actions);
        header.getStyleClass().add("pane-header");
        header.setAlignment(Pos.CENTER_LEFT);
        return header;
    }
}
