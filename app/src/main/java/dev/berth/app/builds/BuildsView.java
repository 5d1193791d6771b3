package dev.berth.app.builds;

import dev.berth.app.components.EmptyStateView;
import dev.berth.app.components.PaneHeader;
import dev.berth.app.i18n.Localization;
import javafx.scene.Parent;

import java.util.Objects;
import java.util.function.Consumer;
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

    private Runnable onBuild = () -> { };
    private Consumer<BuildRun> onShowImage = run -> { };
    private Consumer<BuildRun> onRun = run -> { };

    /** What the Build… buttons (pane header, empty state) do: open the Build dialog. */
    public void setOnBuild(Runnable action) {
        onBuild = Objects.requireNonNull(action);
    }

    /** What "Show in Images" of a succeeded build does. */
    public void setOnShowImage(Consumer<BuildRun> action) {
        onShowImage = Objects.requireNonNull(action);
    }

    /** What "Run…" of a succeeded build does. */
    public void setOnRun(Consumer<BuildRun> action) {
        onRun = Objects.requireNonNull(action);
    }

    public Parent root() {
        return root;
    }
}
