package dev.berth.app.containers;

import dev.berth.app.components.EmptyStateView;
import dev.berth.app.components.PaneHeader;
import dev.berth.app.i18n.Localization;
import javafx.scene.Parent;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;

/** The Containers pane: header and, while there are none, the empty state. */
public final class ContainersView {

    private final VBox root;

    public ContainersView(ContainersViewModel viewModel, Localization i18n) {
        var header = PaneHeader.create(i18n, viewModel.titleKey(), viewModel.subtitleKey(), "containers");
        var empty = new EmptyStateView(i18n, MaterialDesignC.CUBE_OUTLINE, viewModel.emptyState(), "containers").root();
        VBox.setVgrow(empty, Priority.ALWAYS);
        root = new VBox(header, empty);
        root.setId("containers-pane");
        root.getStyleClass().add("content");
    }

    public Parent root() {
        return root;
    }
}
