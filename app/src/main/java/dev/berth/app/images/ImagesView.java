package dev.berth.app.images;

import dev.berth.app.components.EmptyStateView;
import dev.berth.app.components.PaneHeader;
import dev.berth.app.i18n.Localization;
import javafx.scene.Parent;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;

/** The Images pane: header and, while there are none, the empty state. */
public final class ImagesView {

    private final VBox root;

    public ImagesView(ImagesViewModel viewModel, Localization i18n) {
        var header = PaneHeader.create(i18n, viewModel.titleKey(), viewModel.subtitleKey(), "images");
        var empty = new EmptyStateView(i18n, MaterialDesignL.LAYERS_OUTLINE, viewModel.emptyState(), "images").root();
        VBox.setVgrow(empty, Priority.ALWAYS);
        root = new VBox(header, empty);
        root.setId("images-pane");
        root.getStyleClass().add("content");
    }

    public Parent root() {
        return root;
    }
}
