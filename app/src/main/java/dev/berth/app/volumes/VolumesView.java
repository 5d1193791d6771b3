package dev.berth.app.volumes;

import dev.berth.app.components.Dialogs;
import dev.berth.app.components.PaneButtons;
import dev.berth.app.components.EmptyStateView;
import dev.berth.app.components.PaneHeader;
import dev.berth.app.components.TableSelection;
import dev.berth.app.i18n.Localization;
import dev.berth.app.images.Formats;
import dev.berth.app.images.InspectDialog;
import dev.berth.app.volumes.VolumesClient.Volume;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignB;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;

import java.time.Instant;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.function.Function;

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
        table.getColumns().add(column("volumes.column.name", 220, Volume::name, "volumes-col-name"));
        table.getColumns().add(column("volumes.column.driver", 110,
                v -> v.tmpfs() ? v.driver() + " (tmpfs)" : v.driver(), "volumes-col-driver"));
        table.getColumns().add(column("volumes.column.mountpoint", 330, Volume::mountpoint, "volumes-col-mountpoint"));
        TableColumn<Volume, Long> size = new TableColumn<>();
        size.setId("volumes-col-size");
        size.textProperty().bind(i18n.text("volumes.column.size"));
        size.setPrefWidth(100);
        size.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().size()));
        size.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Long item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null || item < 0 ? null : Formats.size(item));
            }
        });
        table.getColumns().add(size);
        TableColumn<Volume, Volume> usedBy = new TableColumn<>();
        usedBy.setId("volumes-col-usedby");
        usedBy.textProperty().bind(i18n.text("volumes.column.usedBy"));
        usedBy.setPrefWidth(180);
        usedBy.setSortable(false);
        usedBy.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        usedBy.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Volume item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : i18n.get(usedByText(item)));
            }
        });
        table.getColumns().add(usedBy);
        table.getColumns().add(createdColumn());
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

        table.setRowFactory(t -> {
            TableRow<Volume> row = new TableRow<>();
            row.contextMenuProperty().bind(Bindings.when(row.emptyProperty()).then((ContextMenu) null).otherwise(contextMenu(row)));
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    openBrowser(row.getItem());
                }
            });
            return row;
        });
        table.setOnKeyPressed(e -> {
            Volume v = table.getSelectionModel().getSelectedItem();
            if (e.getCode() == KeyCode.DELETE && v != null) {
                confirmRemove(v);
            }
        });

        Label status = new Label();
        status.setId("volumes-status");
        status.setWrapText(true);
        status.textProperty().bind(i18n.text(viewModel.statusProperty()));
        status.visibleProperty().bind(viewModel.statusProperty().isNotNull());
        status.managedProperty().bind(status.visibleProperty());
        status.getStyleClass().add("status-line");
        viewModel.statusIsErrorProperty().addListener((obs, was, now) -> {
            status.getStyleClass().removeAll("status-line-error", "status-line");
            status.getStyleClass().add(now ? "status-line-error" : "status-line");
        });

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
                menuItem("volumes.action.browse", "volumes-menu-browse", MaterialDesignF.FOLDER_SEARCH_OUTLINE, row, this::openBrowser),
                menuItem("volumes.action.inspect", "volumes-menu-inspect", MaterialDesignC.CODE_BRACES, row, this::openInspect),
                menuItem("volumes.action.remove", "volumes-menu-remove", MaterialDesignD.DELETE_OUTLINE, row, this::confirmRemove));
    }

    private MenuItem menuItem(String key, String id, Ikon icon, TableRow<Volume> row, Consumer<Volume> action) {
        MenuItem item = new MenuItem();
        item.setId(id);
        item.textProperty().bind(i18n.text(key));
        item.setGraphic(new FontIcon(icon));
        item.setOnAction(e -> {
            if (row.getItem() != null) {
                action.accept(row.getItem());
            }
        });
        return item;
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

    private TableColumn<Volume, String> column(String key, double width, Function<Volume, String> value, String id) {
        TableColumn<Volume, String> c = new TableColumn<>();
        c.setId(id);
        c.textProperty().bind(i18n.text(key));
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return c;
    }

    private TableColumn<Volume, Instant> createdColumn() {
        TableColumn<Volume, Instant> c = new TableColumn<>();
        c.setId("volumes-col-created");
        c.textProperty().bind(i18n.text("volumes.column.created"));
        c.setPrefWidth(130);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().created()));
        c.setComparator(Comparator.nullsFirst(Comparator.naturalOrder()));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Instant item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : i18n.get(Formats.ago(item, Instant.now())));
            }
        });
        return c;
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
