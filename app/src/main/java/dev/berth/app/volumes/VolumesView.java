package dev.berth.app.volumes;

import dev.berth.app.components.Columns;
import dev.berth.app.components.Dialogs;
import dev.berth.app.components.PaneButtons;
import dev.berth.app.components.EmptyStateView;
import dev.berth.app.components.PaneHeader;
import dev.berth.app.components.StatusLine;
import dev.berth.app.components.TableRows;
import dev.berth.app.components.TableSelection;
import dev.berth.app.i18n.Localization;
import dev.berth.app.images.InspectDialog;
import dev.berth.app.volumes.VolumesClient.Volume;
import javafx.beans.binding.BooleanBinding;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignB;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;

import java.util.function.Consumer;

/**
 * The Volumes pane: Create and Prune in the header; a virtualized table of volumes (name,
 * driver, mount point, size, used by, created) with Browse files, Inspect and Remove; the empty
 * state while the engine has no volumes.
 */
public final class VolumesView {

    private final VBox root;
    private final VolumesViewModel vm;
    private final Localization i18n;
    private final TableView<Volume> table;

    public VolumesView(VolumesViewModel viewModel, Localization i18n) {
        this.vm = viewModel;
        this.i18n = i18n;
        BooleanBinding noBackend = viewModel.backendProperty().isNull();

        Button create = headerButton("volumes.action.create", "volumes-create", MaterialDesignP.PLUS, this::openCreate);
        create.getStyleClass().add("accent");
        Button prune = headerButton("volumes.action.prune", "volumes-prune", MaterialDesignB.BROOM, this::confirmPrune);
        create.disableProperty().bind(noBackend);
        prune.disableProperty().bind(noBackend);
        HBox actions = new HBox(8, prune, create);
        actions.setAlignment(Pos.CENTER_RIGHT);
        var header = PaneHeader.create(i18n, viewModel.titleKey(), viewModel.subtitleKey(), "volumes", actions);

        table = new TableView<>(viewModel.rows());
        table.setId("volumes-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(Columns.text(i18n, "volumes.column.name", "volumes-col-name", 220, Volume::name));
        table.getColumns().add(Columns.text(i18n, "volumes.column.driver", "volumes-col-driver", 110,
                v -> v.tmpfs() ? v.driver() + " (tmpfs)" : v.driver()));
        table.getColumns().add(Columns.text(i18n, "volumes.column.mountpoint", "volumes-col-mountpoint", 330, Volume::mountpoint));
        table.getColumns().add(Columns.size(i18n, "volumes.column.size", "volumes-col-size", 100, Volume::size));
        TableColumn<Volume, Volume> usedBy = Columns.shown(i18n, "volumes.column.usedBy", "volumes-col-usedby", 180,
                v -> v, v -> i18n.get(usedByText(v)));
        usedBy.setSortable(false);
        table.getColumns().add(usedBy);
        table.getColumns().add(Columns.created(i18n, "volumes.column.created", "volumes-col-created", 130, Volume::created));
        Label placeholder = new Label();
        placeholder.textProperty().bind(i18n.text("volumes.placeholder"));
        table.setPlaceholder(placeholder);
        i18n.languageProperty().addListener((obs, old, now) -> table.refresh());
        BooleanBinding noSelection = table.getSelectionModel().selectedItemProperty().isNull();
        TableSelection.keepAcrossRefresh(table, Volume::name, () -> { });

        Button browse = toolButton("volumes.action.browse", "volumes-browse", MaterialDesignF.FOLDER_SEARCH_OUTLINE, this::openBrowser);
        Button inspect = toolButton("volumes.action.inspect", "volumes-inspect", MaterialDesignC.CODE_BRACES, this::openInspect);
        Button remove = toolButton("volumes.action.remove", "volumes-remove", MaterialDesignD.DELETE_OUTLINE, this::confirmRemove);
        for (Button b : new Button[] {browse, inspect, remove}) {
            b.disableProperty().bind(noSelection);
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        Label count = new Label();
        count.setId("volumes-count");
        count.getStyleClass().add("muted");
        count.textProperty().bind(i18n.text(viewModel.summary()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox toolbar = new HBox(count, spacer, browse, inspect, remove);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        toolbar.getStyleClass().add("toolbar");

        TableRows.actions(table, this::contextMenu, this::openBrowser, this::confirmRemove);

        Label status = StatusLine.create(i18n, "volumes-status", viewModel.statusProperty(), viewModel.statusIsErrorProperty());

        var emptyView = new EmptyStateView(i18n, MaterialDesignD.DATABASE_OUTLINE, viewModel.emptyState(), "volumes").root();
        VBox.setVgrow(table, Priority.ALWAYS);
        VBox listBody = new VBox(10, toolbar, table);
        StackPane stack = new StackPane(listBody, emptyView);
        emptyView.visibleProperty().bind(viewModel.emptyProperty());
        listBody.visibleProperty().bind(viewModel.emptyProperty().not());
        VBox.setVgrow(stack, Priority.ALWAYS);
        VBox body = new VBox(10, stack, status);
        body.getStyleClass().add("pane-body");
        VBox.setVgrow(body, Priority.ALWAYS);
        root = new VBox(header, body);
        root.setId("volumes-pane");
        root.getStyleClass().add("content");
    }

    /** The container names, or how many use it when the engine gives only a count, or "unused". */
    static dev.berth.app.i18n.Text usedByText(Volume v) {
        if (!v.usedBy().isEmpty()) {
            return dev.berth.app.i18n.Text.of("volumes.usedBy.names", String.join(", ", v.usedBy()));
        }
        if (v.refCount() > 0) {
            return dev.berth.app.i18n.Text.of("volumes.usedBy.count", v.refCount());
        }
        return dev.berth.app.i18n.Text.of("volumes.usedBy.none");
    }

    private ContextMenu contextMenu(TableRow<Volume> row) {
        return new ContextMenu(
                PaneButtons.menuItem(i18n, "volumes.action.browse", "volumes-menu-browse", MaterialDesignF.FOLDER_SEARCH_OUTLINE,
                        row, this::openBrowser),
                PaneButtons.menuItem(i18n, "volumes.action.inspect", "volumes-menu-inspect", MaterialDesignC.CODE_BRACES,
                        row, this::openInspect),
                PaneButtons.menuItem(i18n, "volumes.action.remove", "volumes-menu-remove", MaterialDesignD.DELETE_OUTLINE,
                        row, this::confirmRemove));
    }

    private void openCreate() {
        new CreateVolumeDialog(vm, i18n, root).show();
    }

    private void openBrowser(Volume v) {
        new VolumeBrowserDialog(vm, i18n, root, v).show();
    }

    private void openInspect(Volume v) {
        vm.inspect(v, json -> new InspectDialog(i18n, root, "volumes.inspect.title", v.name(), json).show());
    }

    private void confirmRemove(Volume v) {
        Dialogs.confirm(root, i18n, "volumes-remove")
                .title(i18n.text("volumes.remove.title"))
                .heading(i18n.text("volumes.remove.heading", v.name()))
                .body(i18n.text("volumes.remove.body", v.name()))
                .option(i18n.text("volumes.remove.force"), "volumes-remove-force")
                .confirmLabel(i18n.text("volumes.remove.confirm"))
                .show(force -> vm.remove(v, force));
    }

    private void confirmPrune() {
        Dialogs.confirm(root, i18n, "volumes-prune")
                .title(i18n.text("volumes.prune.title"))
                .heading(i18n.text("volumes.prune.heading"))
                .body(i18n.text("volumes.prune.body"))
                .option(i18n.text("volumes.prune.all"), "volumes-prune-all")
                .confirmLabel(i18n.text("volumes.prune.confirm"))
                .show(all -> vm.prune(all, r -> { }));
    }

    public Parent root() {
        return root;
    }

    private Button headerButton(String key, String id, Ikon icon, Runnable action) {
        return PaneButtons.button(i18n, key, id, icon, action);
    }

    private Button toolButton(String key, String id, Ikon icon, Consumer<Volume> action) {
        return PaneButtons.forSelected(i18n, key, id, icon, table, action);
    }
}
