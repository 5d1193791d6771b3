package dev.berth.app.networks;

import dev.berth.app.components.Dialogs;
import dev.berth.app.components.PaneButtons;
import dev.berth.app.components.EmptyStateView;
import dev.berth.app.components.PaneHeader;
import dev.berth.app.components.TableSelection;
import dev.berth.app.i18n.Localization;
import dev.berth.app.images.Formats;
import dev.berth.app.images.InspectDialog;
import dev.berth.app.networks.NetworksClient.Attached;
import dev.berth.app.networks.NetworksClient.Network;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
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
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignB;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;

import java.time.Instant;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Networks pane: Create and Prune in the header; the empty state (how to make a network)
 * while only the built-in networks exist; a virtualized table of networks with Inspect and
 * Remove; below it, the containers attached to the selected network with their addresses.
 */
public final class NetworksView {

    private final VBox root;
    private final NetworksViewModel vm;
    private final Localization i18n;
    private final TableView<Network> table;

    public NetworksView(NetworksViewModel viewModel, Localization i18n) {
        this.vm = viewModel;
        this.i18n = i18n;
        BooleanBinding noBackend = viewModel.backendProperty().isNull();

        Button create = headerButton("networks.action.create", "networks-create", MaterialDesignP.PLUS, this::openCreate);
        create.getStyleClass().add("accent");
        Button prune = headerButton("networks.action.prune", "networks-prune", MaterialDesignB.BROOM, this::confirmPrune);
        create.disableProperty().bind(noBackend);
        prune.disableProperty().bind(noBackend);
        HBox actions = new HBox(8, prune, create);
        actions.setAlignment(Pos.CENTER_RIGHT);
        var header = PaneHeader.create(i18n, viewModel.titleKey(), viewModel.subtitleKey(), "networks", actions);

        table = new TableView<>(viewModel.rows());
        table.setId("networks-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(column("networks.column.name", 200, Network::name, "networks-col-name"));
        table.getColumns().add(column("networks.column.driver", 90, Network::driver, "networks-col-driver"));
        table.getColumns().add(column("networks.column.subnet", 150, Network::subnet, "networks-col-subnet"));
        table.getColumns().add(column("networks.column.gateway", 130, Network::gateway, "networks-col-gateway"));
        TableColumn<Network, Integer> count = new TableColumn<>();
        count.setId("networks-col-containers");
        count.textProperty().bind(i18n.text("networks.column.containers"));
        count.setPrefWidth(100);
        count.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().containers().size()));
        table.getColumns().add(count);
        TableColumn<Network, Boolean> internal = new TableColumn<>();
        internal.setId("networks-col-internal");
        internal.textProperty().bind(i18n.text("networks.column.internal"));
        internal.setPrefWidth(80);
        internal.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().internal()));
        internal.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Boolean item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : i18n.get(item ? "networks.yes" : "networks.no"));
            }
        });
        table.getColumns().add(internal);
        table.getColumns().add(createdColumn());
        Label placeholder = new Label();
        placeholder.textProperty().bind(i18n.text("networks.placeholder"));
        table.setPlaceholder(placeholder);
        i18n.languageProperty().addListener((obs, old, now) -> table.refresh());
        BooleanBinding noSelection = table.getSelectionModel().selectedItemProperty().isNull();
        BooleanBinding builtinSelected = Bindings.createBooleanBinding(() -> {
            Network n = table.getSelectionModel().getSelectedItem();
            return n == null || n.builtin();
        }, table.getSelectionModel().selectedItemProperty());

        Button inspect = toolButton("networks.action.inspect", "networks-inspect", MaterialDesignC.CODE_BRACES, this::openInspect);
        inspect.disableProperty().bind(noSelection);
        Button remove = toolButton("networks.action.remove", "networks-remove", MaterialDesignD.DELETE_OUTLINE, this::confirmRemove);
        remove.disableProperty().bind(builtinSelected);
        Label countLabel = new Label();
        countLabel.setId("networks-count");
        countLabel.getStyleClass().add("muted");
        countLabel.textProperty().bind(i18n.text(viewModel.summary()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox toolbar = new HBox(countLabel, spacer, inspect, remove);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        toolbar.getStyleClass().add("toolbar");
        for (Button b : new Button[] {inspect, remove}) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }

        table.setRowFactory(t -> {
            TableRow<Network> row = new TableRow<>();
            row.contextMenuProperty().bind(Bindings.when(row.emptyProperty()).then((ContextMenu) null).otherwise(contextMenu(row)));
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    openInspect(row.getItem());
                }
            });
            return row;
        });
        table.setOnKeyPressed(e -> {
            Network n = table.getSelectionModel().getSelectedItem();
            if (e.getCode() == KeyCode.DELETE && n != null && !n.builtin()) {
                confirmRemove(n);
            }
        });

        // the attached containers of the selected network, with their addresses
        TableView<Attached> attached = new TableView<>();
        attached.setId("networks-attached");
        attached.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        attached.getColumns().add(attachedColumn("networks.attached.name", 220, Attached::name));
        attached.getColumns().add(attachedColumn("networks.attached.ipv4", 180, Attached::ipv4Address));
        attached.getColumns().add(attachedColumn("networks.attached.mac", 180, Attached::macAddress));
        attached.getColumns().add(attachedColumn("networks.attached.id", 200,
                a -> a.id().length() > 12 ? a.id().substring(0, 12) : a.id()));
        Label attachedPlaceholder = new Label();
        attachedPlaceholder.textProperty().bind(i18n.text("networks.attached.none"));
        attached.setPlaceholder(attachedPlaceholder);
        attached.setPrefHeight(170);
        attached.setMinHeight(120);
        // rows are replaced on each refresh: follow the selected network by id
        Runnable showAttached = () -> {
            Network n = table.getSelectionModel().getSelectedItem();
            attached.setItems(FXCollections.observableArrayList(n == null ? java.util.List.of() : n.containers()));
        };
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> showAttached.run());
        TableSelection.keepAcrossRefresh(table, Network::id, showAttached);
        Label attachedTitle = new Label();
        attachedTitle.setId("networks-attached-title");
        attachedTitle.getStyleClass().add("section-title");
        attachedTitle.textProperty().bind(Bindings.createStringBinding(() -> {
            Network n = table.getSelectionModel().getSelectedItem();
            return n == null ? i18n.get("networks.attached.select") : i18n.get("networks.attached.title", n.name());
        }, table.getSelectionModel().selectedItemProperty(), i18n.languageProperty()));

        Label status = new Label();
        status.setId("networks-status");
        status.setWrapText(true);
        status.textProperty().bind(i18n.text(viewModel.statusProperty()));
        status.visibleProperty().bind(viewModel.statusProperty().isNotNull());
        status.managedProperty().bind(status.visibleProperty());
        status.getStyleClass().add("status-line");
        viewModel.statusIsErrorProperty().addListener((obs, was, now) -> {
            status.getStyleClass().removeAll("status-line-error", "status-line");
            status.getStyleClass().add(now ? "status-line-error" : "status-line");
        });

        VBox emptyView = new EmptyStateView(i18n, MaterialDesignL.LAN, viewModel.emptyState(), "networks").root();
        emptyView.visibleProperty().bind(viewModel.noUserNetworksProperty());
        emptyView.managedProperty().bind(emptyView.visibleProperty());
        emptyView.setMaxHeight(Region.USE_PREF_SIZE);
        VBox.setVgrow(table, Priority.ALWAYS);
        VBox body = new VBox(10, emptyView, toolbar, table, attachedTitle, attached, status);
        body.getStyleClass().add("pane-body");
        VBox.setVgrow(body, Priority.ALWAYS);
        root = new VBox(header, body);
        root.setId("networks-pane");
        root.getStyleClass().add("content");
    }

    private ContextMenu contextMenu(TableRow<Network> row) {
        MenuItem inspect = menuItem("networks.action.inspect", "networks-menu-inspect", MaterialDesignC.CODE_BRACES, row, this::openInspect);
        MenuItem remove = menuItem("networks.action.remove", "networks-menu-remove", MaterialDesignD.DELETE_OUTLINE, row, this::confirmRemove);
        remove.disableProperty().bind(Bindings.createBooleanBinding(() -> row.getItem() == null || row.getItem().builtin(),
                row.itemProperty()));
        return new ContextMenu(inspect, remove);
    }

    private MenuItem menuItem(String key, String id, Ikon icon, TableRow<Network> row, Consumer<Network> action) {
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
        new CreateNetworkDialog(vm, i18n, root).show();
    }

    private void openInspect(Network n) {
        vm.inspect(n, json -> new InspectDialog(i18n, root, "networks.inspect.title", n.name(), json).show());
    }

    private void confirmRemove(Network n) {
        Dialogs.confirm(root, i18n, "networks-remove")
                .title(i18n.text("networks.remove.title"))
                .heading(i18n.text("networks.remove.heading", n.name()))
                .body(i18n.text("networks.remove.body", n.name()))
                .confirmLabel(i18n.text("networks.remove.confirm"))
                .show(unused -> vm.remove(n));
    }

    private void confirmPrune() {
        Dialogs.confirm(root, i18n, "networks-prune")
                .title(i18n.text("networks.prune.title"))
                .heading(i18n.text("networks.prune.heading"))
                .body(i18n.text("networks.prune.body"))
                .confirmLabel(i18n.text("networks.prune.confirm"))
                .show(unused -> vm.prune(names -> { }));
    }

    private TableColumn<Network, String> column(String key, double width, Function<Network, String> value, String id) {
        TableColumn<Network, String> c = new TableColumn<>();
        c.setId(id);
        c.textProperty().bind(i18n.text(key));
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return c;
    }

    private TableColumn<Attached, String> attachedColumn(String key, double width, Function<Attached, String> value) {
        TableColumn<Attached, String> c = new TableColumn<>();
        c.textProperty().bind(i18n.text(key));
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return c;
    }

    private TableColumn<Network, Instant> createdColumn() {
        TableColumn<Network, Instant> c = new TableColumn<>();
        c.setId("networks-col-created");
        c.textProperty().bind(i18n.text("networks.column.created"));
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

    private Button toolButton(String key, String id, Ikon icon, Consumer<Network> action) {
        return PaneButtons.forSelected(i18n, key, id, icon, table, action);
    }

}
