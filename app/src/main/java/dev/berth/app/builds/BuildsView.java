package dev.berth.app.builds;

import dev.berth.app.components.EmptyStateView;
import dev.berth.app.components.PaneHeader;
import dev.berth.app.i18n.Localization;
import javafx.scene.Parent;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.materialdesign2.MaterialDesignH;

/** The Builds pane: header and, while there are none, the empty state. */
public final class BuildsView {

    private final VBox root;

    public BuildsView(BuildsViewModel viewModel, Localization i18n) {
        var header = PaneHeader.create(i18n, viewModel.titleKey(), viewModel.subtitleKey(), "builds");
        var empty = new EmptyStateView(i18n, MaterialDesignH.HAMMER_WRENCH, viewModel.emptyState(), "builds").root();
        VBox.setVgrow(empty, Priority.ALWAYS);
        root = new VBox(header, empty);
        root.setId("builds-pane");
        root.getStyleClass().add("content");
    }

    public Parent root() {
        return root;
    }
}
