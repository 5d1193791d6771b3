package dev.berth.app.networks;

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
import dev.berth.app.networks.NetworksClient.Attached;
import dev.berth.app.networks.NetworksClient.Network;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.collections.FXCollections;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignB;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;

import java.util.function.Consumer;

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
        table.getColumns().add(Columns.text(i18n, "networks.column.name", "networks-col-name", 200, Network::name));
        table.getColumns().add(Columns.text(i18n, "networks.column.driver", "networks-col-driver", 90, Network::driver));
        table.getColumns().add(Columns.text(i18n, "networks.column.subnet", "networks-col-subnet", 150, Network::subnet));
        table.getColumns().add(Columns.text(i18n, "networks.column.gateway", "networks-col-gateway", 130, Network::gateway));
        table.getColumns().add(Columns.shown(i18n, "networks.column.containers", "networks-col-containers", 100,
                n -> n.containers().size(), String::valueOf));
        table.getColumns().add(Columns.shown(i18n, "networks.column.internal", "networks-col-internal", 80,
                Network::internal, internal -> i18n.get(internal ? "networks.yes" : "networks.no")));
        table.getColumns().add(Columns.created(i18n, "networks.column.created", "networks-col-created", 130, Network::created));
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

        TableRows.actions(table, this::contextMenu, this::openInspect, n -> {
            if (!n.builtin()) {
                confirmRemove(n);
            }
        });

        // the attached containers of the selected network, with their addresses
        TableView<Attached> attached = new TableView<>();
        attached.setId("networks-attached");
        attached.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        attached.getColumns().add(Columns.text(i18n, "networks.attached.name", "networks-attached-name", 220, Attached::name));
        attached.getColumns().add(Columns.text(i18n, "networks.attached.ipv4", "networks-attached-ipv4", 180, Attached::ipv4Address));
        attached.getColumns().add(Columns.text(i18n, "networks.attached.mac", "networks-attached-mac", 180, Attached::macAddress));
        attached.getColumns().add(Columns.text(i18n, "networks.attached.id", "networks-attached-id", 200,
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

        Label status = StatusLine.create(i18n, "networks-status", viewModel.statusProperty(), viewModel.statusIsErrorProperty());

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
        MenuItem inspect = PaneButtons.menuItem(i18n, "networks.action.inspect", "networks-menu-inspect", MaterialDesignC.CODE_BRACES,
                row, this::openInspect);
        MenuItem remove = PaneButtons.menuItem(i18n, "networks.action.remove", "networks-menu-remove", MaterialDesignD.DELETE_OUTLINE,
                row, this::confirmRemove);
        remove.disableProperty().bind(Bindings.createBooleanBinding(() -> row.getItem() == null || row.getItem().builtin(),
                row.itemProperty()));
        return new ContextMenu(inspect, remove);
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
