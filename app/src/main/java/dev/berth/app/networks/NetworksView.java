package dev.berth.app.networks;

import dev.berth.app.components.EmptyStateView;
import dev.berth.app.components.PaneHeader;
import dev.berth.app.i18n.Localization;
import javafx.scene.Parent;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;

/** The Networks pane: header and, while there are none, the empty state. */
public final class NetworksView {

    private final VBox root;

    public NetworksView(NetworksViewModel viewModel, Localization i18n) {
        var header = PaneHeader.create(i18n, viewModel.titleKey(), viewModel.subtitleKey(), "networks");
        var empty = new EmptyStateView(i18n, MaterialDesignL.LAN, viewModel.emptyState(), "networks").root();
        VBox.setVgrow(empty, Priority.ALWAYS);
        root = new VBox(header, empty);
        root.setId("networks-pane");
        root.getStyleClass().add("content");
    }

    public Parent root() {
        return root;
    }
}
