package dev.berth.app.volumes;

import dev.berth.app.components.EmptyStateView;
import dev.berth.app.components.PaneHeader;
import dev.berth.app.i18n.Localization;
import javafx.scene.Parent;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;

/** The Volumes pane: header and, while there are none, the empty state. */
public final class VolumesView {

    private final VBox root;

    public VolumesView(VolumesViewModel viewModel, Localization i18n) {
        var header = PaneHeader.create(i18n, viewModel.titleKey(), viewModel.subtitleKey(), "volumes");
        var empty = new EmptyStateView(i18n, MaterialDesignD.DATABASE_OUTLINE, viewModel.emptyState(), "volumes").root();
        VBox.setVgrow(empty, Priority.ALWAYS);
        root = new VBox(header, empty);
        root.setId("volumes-pane");
        root.getStyleClass().add("content");
    }

    public Parent root() {
        return root;
    }
}
