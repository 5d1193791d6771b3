package dev.berth.app.images;

import dev.berth.app.components.Columns;
import dev.berth.app.components.EmptyStateView;
import dev.berth.app.components.PaneButtons;
import dev.berth.app.components.PaneHeader;
import dev.berth.app.components.StatusLine;
import dev.berth.app.components.TableRows;
import dev.berth.app.i18n.Localization;
import dev.berth.app.images.ImagesViewModel.Row;
import dev.berth.app.settings.RegistriesViewModel;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignB;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignH;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignT;
import org.kordamp.ikonli.materialdesign2.MaterialDesignU;

import java.io.File;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Images pane: Pull, Load and Prune in the header; a toolbar (filter, dangling switch and
 * the actions on the selected image) over a virtualized table with the same actions in its
 * context menu; the empty state while the engine has no images at all.
 */
public final class ImagesView {


    private final VBox root;
    private final ImagesViewModel vm;
    private final RegistriesViewModel registries;
    private final Localization i18n;
    private final TableView<Row> table;
    private Consumer<String> onRun;
    private Runnable onBuild;

    public ImagesView(ImagesViewModel viewModel, RegistriesViewModel registries, Localization i18n) {
        this.vm = viewModel;
        this.registries = registries;
        this.i18n = i18n;
        BooleanBinding noBackend = viewModel.backendProperty().isNull();

        Button pull = headerButton("images.action.pull", "images-pull", MaterialDesignD.DOWNLOAD, this::openPull);
        pull.getStyleClass().add("accent");
        Button load = headerButton("images.action.load", "images-load", MaterialDesignU.UPLOAD_OUTLINE, this::load);
        Button prune = headerButton("images.action.prune", "images-prune", MaterialDesignB.BROOM, this::prune);
        Button build = headerButton("builds.dialog.action.build", "images-build", MaterialDesignH.HAMMER_WRENCH, () -> {
            if (onBuild != null) {
                onBuild.run();
            }
        });
        for (Button b : new Button[] {pull, load, prune, build}) {
            b.disableProperty().bind(noBackend);
        }
        HBox actions = new HBox(8, prune, load, build, pull);
        actions.setAlignment(Pos.CENTER_RIGHT);
        var header = PaneHeader.create(i18n, viewModel.titleKey(), viewModel.subtitleKey(), "images", actions);

        table = new TableView<>(viewModel.visibleRows());
        table.setId("images-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<Row, String> id = Columns.text(i18n, "images.column.id", "images-col-id", 140, Row::shortId);
        id.getStyleClass().add("mono");
        table.getColumns().addAll(List.of(
                Columns.text(i18n, "images.column.repository", "images-col-repository", 300, Row::repository),
                Columns.text(i18n, "images.column.tag", "images-col-tag", 140, Row::tag),
                id,
                Columns.created(i18n, "images.column.created", "images-col-created", 150, Row::created),
                Columns.size(i18n, "images.column.size", "images-col-size", 110, Row::size)));
        viewModel.visibleRows().comparatorProperty().bind(Bindings.createObjectBinding(
                () -> table.getComparator() == null ? ImagesViewModel.NEWEST_FIRST : table.getComparator(),
                table.comparatorProperty()));
        Label placeholder = new Label();
        placeholder.setId("images-placeholder");
        placeholder.textProperty().bind(i18n.text("images.placeholder.filtered"));
        table.setPlaceholder(placeholder);
        i18n.languageProperty().addListener((obs, old, now) -> table.refresh());
        BooleanBinding noSelection = table.getSelectionModel().selectedItemProperty().isNull();

        TextField filter = new TextField();
        filter.setId("images-filter");
        filter.promptTextProperty().bind(i18n.text("images.filter.prompt"));
        filter.textProperty().bindBidirectional(viewModel.filterProperty());
        filter.getStyleClass().add("search-field");
        filter.setPrefWidth(260);
        filter.setMinWidth(140);
        FontIcon searchIcon = new FontIcon(MaterialDesignM.MAGNIFY);
        searchIcon.getStyleClass().add("search-icon");
        searchIcon.setMouseTransparent(true);
        StackPane search = new StackPane(filter, searchIcon);
        search.setMinWidth(140);
        StackPane.setAlignment(searchIcon, Pos.CENTER_LEFT);
        StackPane.setMargin(searchIcon, new Insets(0, 0, 0, 9));

        ToggleButton dangling = new ToggleButton();
        dangling.setId("images-dangling");
        dangling.textProperty().bind(i18n.text("images.showDangling"));
        dangling.setGraphic(new FontIcon(MaterialDesignT.TAG_OFF_OUTLINE));
        dangling.selectedProperty().bindBidirectional(viewModel.showDanglingProperty());

        Button run = toolButton("images.action.run", "images-run", MaterialDesignP.PLAY_OUTLINE, this::run);
        Button tag = toolButton("images.action.tag", "images-tag", MaterialDesignT.TAG_PLUS_OUTLINE, this::openTag);
        Button push = toolButton("images.action.push", "images-push", MaterialDesignU.UPLOAD, vm::push);
        Button remove = toolButton("images.action.remove", "images-remove", MaterialDesignD.DELETE_OUTLINE, this::confirmRemove);
        Button inspect = toolButton("images.action.inspect", "images-inspect", MaterialDesignC.CODE_BRACES, this::openInspect);
        Button layers = toolButton("images.action.layers", "images-layers", MaterialDesignL.LAYERS_TRIPLE_OUTLINE, this::openLayers);
        Button save = toolButton("images.action.save", "images-save", MaterialDesignC.CONTENT_SAVE_OUTLINE, this::save);
        for (Button b : new Button[] {run, tag, push, remove, inspect, layers, save}) {
            b.disableProperty().bind(noSelection);
        }
        push.disableProperty().unbind();
        push.disableProperty().bind(Bindings.createBooleanBinding(() -> {
            Row r = table.getSelectionModel().getSelectedItem();
            return r == null || r.dangling();
        }, table.getSelectionModel().selectedItemProperty()));

        Label count = new Label();
        count.setId("images-count");
        count.getStyleClass().add("muted");
        count.textProperty().bind(i18n.text(viewModel.summary()));

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox toolbar = new HBox(search, dangling, spacer, run, tag, push, inspect, layers, save, remove);
        // buttons keep their labels whole; the filter box gives up width first
        for (var n : List.of(dangling, run, tag, push, inspect, layers, save, remove)) {
            n.setMinWidth(Region.USE_PREF_SIZE);
        }
        toolbar.getStyleClass().add("toolbar");

        Label status = StatusLine.create(i18n, "images-status", viewModel.statusProperty(), viewModel.statusIsErrorProperty());
        HBox footer = new HBox(status, new Region(), count);
        HBox.setHgrow(footer.getChildren().get(1), Priority.ALWAYS);
        footer.setAlignment(Pos.CENTER_LEFT);

        TableRows.actions(table, this::contextMenu, this::openInspect, this::confirmRemove);

        // a selection asked for from elsewhere (a finished build): as soon as the image's row is listed
        // (a turn later: the filter may have to be cleared, which must not happen inside the list's own change)
        viewModel.pendingSelectionProperty().addListener((obs, old, now) -> viewModel.executor().runOnUi(this::selectPending));
        viewModel.visibleRows().addListener((javafx.collections.ListChangeListener<Row>) c -> {
            if (viewModel.pendingSelectionProperty().get() != null) {
                viewModel.executor().runOnUi(this::selectPending);
            }
        });

        if (viewModel.pendingSelectionProperty().get() != null) { // asked for before this pane was first shown
            viewModel.executor().runOnUi(this::selectPending);
        }

        var emptyView = new EmptyStateView(i18n, MaterialDesignL.LAYERS_OUTLINE, viewModel.emptyState(), "images").root();
        VBox.setVgrow(table, Priority.ALWAYS);
        VBox listBody = new VBox(toolbar, table, footer);
        listBody.setSpacing(10);
        StackPane stack = new StackPane(listBody, emptyView);
        emptyView.visibleProperty().bind(viewModel.emptyProperty());
        listBody.visibleProperty().bind(viewModel.emptyProperty().not());
        VBox.setVgrow(stack, Priority.ALWAYS);
        VBox body = new VBox(stack);
        body.getStyleClass().add("pane-body");
        VBox.setVgrow(body, Priority.ALWAYS);
        root = new VBox(header, body);
        root.setId("images-pane");
        root.getStyleClass().add("content");
    }

    /** Selects (and scrolls to) the image {@code imageId} once it is listed. */
    public void select(String imageId) {
        vm.select(imageId);
    }

    private void selectPending() {
        if (vm.pendingSelectionProperty().get() == null) {
            return;
        }
        Row row = vm.takePendingSelection();
        if (row != null) {
            table.getSelectionModel().clearSelection();
            table.getSelectionModel().select(row);
            table.scrollTo(row);
        }
    }

    private ContextMenu contextMenu(TableRow<Row> row) {
        ContextMenu menu = new ContextMenu();
        MenuItem run = menuItem("images.action.run", "images-menu-run", MaterialDesignP.PLAY_OUTLINE, row, this::run);
        MenuItem push = menuItem("images.action.push", "images-menu-push", MaterialDesignU.UPLOAD, row, vm::push);
        push.disableProperty().bind(Bindings.createBooleanBinding(() -> row.getItem() == null || row.getItem().dangling(),
                row.itemProperty()));
        menu.getItems().addAll(
                menuItem("images.action.pull", "images-menu-pull", MaterialDesignD.DOWNLOAD, row, r -> openPull()),
                run,
                new SeparatorMenuItem(),
                menuItem("images.action.tag", "images-menu-tag", MaterialDesignT.TAG_PLUS_OUTLINE, row, this::openTag),
                push,
                menuItem("images.action.inspect", "images-menu-inspect", MaterialDesignC.CODE_BRACES, row, this::openInspect),
                menuItem("images.action.layers", "images-menu-layers", MaterialDesignL.LAYERS_TRIPLE_OUTLINE, row, this::openLayers),
                menuItem("images.action.save", "images-menu-save", MaterialDesignC.CONTENT_SAVE_OUTLINE, row, this::save),
                new SeparatorMenuItem(),
                menuItem("images.action.remove", "images-menu-remove", MaterialDesignD.DELETE_OUTLINE, row, this::confirmRemove));
        return menu;
    }

    private MenuItem menuItem(String key, String id, Ikon icon, TableRow<Row> row, Consumer<Row> action) {
        return PaneButtons.menuItem(i18n, key, id, icon, row, action);
    }

    // ---- actions ----------------------------------------------------------------------------------

    /**
     * What Run… does with an image reference (its tag, or its id when it has none): the shell
     * opens the Containers pane's Run dialog with it.
     */
    public void setOnRun(Consumer<String> onRun) {
        this.onRun = onRun;
    }

    /** What Build… in the header does: the shell opens the Build dialog. */
    public void setOnBuild(Runnable onBuild) {
        this.onBuild = onBuild;
    }

    private void run(Row row) {
        Consumer<String> handler = onRun;
        if (handler != null) {
            handler.accept(row.reference());
        }
    }

    private void openPull() {
        new PullDialog(vm, registries, i18n, root).show();
    }

    private void openTag(Row row) {
        new TagDialog(vm, i18n, root, row).show();
    }

    private void confirmRemove(Row row) {
        new RemoveDialog(vm, i18n, root, row).show();
    }

    private void openInspect(Row row) {
        vm.inspect(row, json -> new InspectDialog(i18n, root, row, json).show());
    }

    private void openLayers(Row row) {
        vm.history(row, layers -> new LayersDialog(i18n, root, row, layers).show());
    }

    private void save(Row row) {
        FileChooser chooser = new FileChooser();
        chooser.titleProperty().bind(i18n.text("images.save.title"));
        chooser.setInitialFileName(row.dangling() ? row.shortId() + ".tar"
                : (row.repository().substring(row.repository().lastIndexOf('/') + 1) + "-" + row.tag() + ".tar").replace(':', '-'));
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(i18n.get("images.file.tar"), "*.tar"));
        File file = chooser.showSaveDialog(root.getScene().getWindow());
        if (file != null) {
            vm.save(row, file.toPath());
        }
    }

    private void load() {
        FileChooser chooser = new FileChooser();
        chooser.titleProperty().bind(i18n.text("images.load.title"));
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter(i18n.get("images.file.tar"), "*.tar", "*.tar.gz", "*.tgz"),
                new FileChooser.ExtensionFilter(i18n.get("images.file.all"), "*"));
        File file = chooser.showOpenDialog(root.getScene().getWindow());
        if (file != null) {
            vm.load(file.toPath());
        }
    }

    private void prune() {
        new PruneDialog(vm, i18n, root).show();
    }

    /** The table, for tests and the screenshot. */
    TableView<Row> table() {
        return table;
    }

    public Parent root() {
        return root;
    }
    private Button headerButton(String key, String id, Ikon icon, Runnable action) {
        return PaneButtons.button(i18n, key, id, icon, action);
    }

    private Button toolButton(String key, String id, Ikon icon, Consumer<Row> action) {
        return PaneButtons.forSelected(i18n, key, id, icon, table, action);
    }

}
