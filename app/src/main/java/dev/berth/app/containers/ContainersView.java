package dev.berth.app.containers;

import dev.berth.app.components.EmptyStateView;
import dev.berth.app.components.PaneHeader;
import dev.berth.app.containers.ContainersViewModel.Action;
import dev.berth.app.containers.ContainersViewModel.Row;
import dev.berth.app.i18n.Localization;
import dev.berth.app.images.Formats;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignB;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignE;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Containers pane: Run… in the header; a toolbar (filter, "show stopped", and the lifecycle
 * actions on every selected container) over a virtualized, multi-select table with the same
 * actions in its context menu; a details area below the table (see {@link #setDetails}); the
 * empty state while the engine has no containers at all.
 */
public final class ContainersView {

    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final VBox root;
    private final ContainersViewModel vm;
    private final Localization i18n;
    private final TableView<Row> table;
    private final SplitPane split;
    private Consumer<String> onSelected;

    public ContainersView(ContainersViewModel viewModel, Localization i18n) {
        this.vm = viewModel;
        this.i18n = i18n;

        Button run = new Button();
        run.setId("containers-run");
        run.textProperty().bind(i18n.text("containers.action.run"));
        run.setGraphic(new FontIcon(MaterialDesignP.PLAY_OUTLINE));
        run.getStyleClass().add("accent");
        run.disableProperty().bind(viewModel.backendProperty().isNull());
        run.setOnAction(e -> openRunDialog(root(), "", null));
        Button prune = new Button();
        prune.setId("containers-prune");
        prune.textProperty().bind(i18n.text("containers.action.prune"));
        prune.setGraphic(new FontIcon(MaterialDesignB.BROOM));
        prune.disableProperty().bind(viewModel.backendProperty().isNull().or(viewModel.hasStopped().not()));
        prune.setOnAction(e -> new PruneContainersDialog(vm, i18n, root()).show());
        HBox actions = new HBox(8, prune, run);
        actions.setAlignment(Pos.CENTER_RIGHT);
        var header = PaneHeader.create(i18n, viewModel.titleKey(), viewModel.subtitleKey(), "containers", actions);

        table = new TableView<>(viewModel.visibleRows());
        table.setId("containers-table");
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(stateColumn());
        table.getColumns().add(textColumn("containers.column.name", 170, false, c -> c.name(), "containers-col-name"));
        table.getColumns().add(textColumn("containers.column.image", 170, false, c -> c.image(), "containers-col-image"));
        table.getColumns().add(textColumn("containers.column.command", 170, true, c -> c.command(), "containers-col-command"));
        table.getColumns().add(textColumn("containers.column.ports", 150, true, ContainerSummary::portsText, "containers-col-ports"));
        table.getColumns().add(createdColumn());
        table.getColumns().add(cpuColumn());
        table.getColumns().add(memoryColumn());
        viewModel.visibleRows().comparatorProperty().bind(Bindings.createObjectBinding(
                () -> table.getComparator() == null ? ContainersViewModel.NEWEST_FIRST : table.getComparator(),
                table.comparatorProperty()));
        Label placeholder = new Label();
        placeholder.setId("containers-placeholder");
        placeholder.textProperty().bind(i18n.text("containers.placeholder.filtered"));
        placeholder.setWrapText(true);
        table.setPlaceholder(placeholder);
        i18n.languageProperty().addListener((obs, old, now) -> table.refresh());
        // "3 minutes ago" moves on by itself: the cells are redrawn each minute (nothing is read from the engine)
        Timeline ages = new Timeline(new KeyFrame(javafx.util.Duration.minutes(1), e -> table.refresh()));
        ages.setCycleCount(Animation.INDEFINITE);
        table.sceneProperty().addListener((obs, old, scene) -> {
            if (scene == null) {
                ages.stop();
            } else {
                ages.play();
            }
        });

        TextField filter = new TextField();
        filter.setId("containers-filter");
        filter.promptTextProperty().bind(i18n.text("containers.filter.prompt"));
        filter.textProperty().bindBidirectional(viewModel.filterProperty());
        filter.getStyleClass().add("search-field");
        filter.setPrefWidth(240);
        filter.setMinWidth(120);
        FontIcon searchIcon = new FontIcon(MaterialDesignM.MAGNIFY);
        searchIcon.getStyleClass().add("search-icon");
        searchIcon.setMouseTransparent(true);
        StackPane search = new StackPane(filter, searchIcon);
        search.setMinWidth(120);
        StackPane.setAlignment(searchIcon, Pos.CENTER_LEFT);
        StackPane.setMargin(searchIcon, new Insets(0, 0, 0, 9));

        ToggleButton stopped = new ToggleButton();
        stopped.setId("containers-show-stopped");
        stopped.textProperty().bind(i18n.text("containers.showStopped"));
        stopped.setGraphic(new FontIcon(MaterialDesignS.STOP_CIRCLE_OUTLINE));
        stopped.selectedProperty().bindBidirectional(viewModel.showStoppedProperty());

        Map<Action, Ikon> icons = new EnumMap<>(Action.class);
        icons.put(Action.START, MaterialDesignP.PLAY);
        icons.put(Action.STOP, MaterialDesignS.STOP);
        icons.put(Action.RESTART, MaterialDesignR.RESTART);
        icons.put(Action.KILL, MaterialDesignL.LIGHTNING_BOLT);
        icons.put(Action.PAUSE, MaterialDesignP.PAUSE);
        icons.put(Action.RESUME, MaterialDesignP.PLAY_PAUSE);
        icons.put(Action.REMOVE, MaterialDesignD.DELETE_OUTLINE);
        List<Node> toolbarButtons = new ArrayList<>();
        for (Action a : Action.values()) {
            Button b = new Button();
            b.setId("containers-" + a.key());
            b.textProperty().bind(i18n.text("containers.action." + a.key()));
            b.setGraphic(new FontIcon(icons.get(a)));
            b.disableProperty().bind(noneApplies(a));
            b.setOnAction(e -> act(a, List.copyOf(table.getSelectionModel().getSelectedItems())));
            b.setMinWidth(Region.USE_PREF_SIZE);
            toolbarButtons.add(b);
        }

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox toolbar = new HBox(search, stopped, spacer);
        toolbar.getChildren().addAll(toolbarButtons);
        stopped.setMinWidth(Region.USE_PREF_SIZE);
        toolbar.getStyleClass().add("toolbar");

        Label status = new Label();
        status.setId("containers-status");
        status.setWrapText(true);
        status.textProperty().bind(i18n.text(viewModel.statusProperty()));
        status.visibleProperty().bind(viewModel.statusProperty().isNotNull());
        status.managedProperty().bind(status.visibleProperty());
        viewModel.statusIsErrorProperty().addListener((obs, was, now) -> {
            status.getStyleClass().removeAll("status-line-error", "status-line");
            status.getStyleClass().add(now ? "status-line-error" : "status-line");
        });
        status.getStyleClass().add("status-line");
        Label count = new Label();
        count.setId("containers-count");
        count.getStyleClass().add("muted");
        count.textProperty().bind(i18n.text(viewModel.summary()));
        Region footerSpace = new Region();
        HBox.setHgrow(footerSpace, Priority.ALWAYS);
        HBox footer = new HBox(status, footerSpace, count);
        footer.setAlignment(Pos.CENTER_LEFT);

        table.setRowFactory(t -> {
            TableRow<Row> row = new TableRow<>();
            row.contextMenuProperty().bind(Bindings.when(row.emptyProperty()).then((ContextMenu) null).otherwise(contextMenu(icons)));
            return row;
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE && !table.getSelectionModel().getSelectedItems().isEmpty()) {
                act(Action.REMOVE, List.copyOf(table.getSelectionModel().getSelectedItems()));
            }
        });
        table.getSelectionModel().getSelectedItems().addListener((ListChangeListener<Row>) c -> selectionChanged());
        viewModel.selectRequestProperty().addListener((obs, old, id) -> select(id));

        // the table on top, the details of the selected container below (see setDetails)
        split = new SplitPane(table);
        split.setId("containers-split");
        split.setOrientation(Orientation.VERTICAL);
        split.setStyle("-fx-background-color: transparent; -fx-background-insets: 0; -fx-padding: 0;");
        VBox.setVgrow(split, Priority.ALWAYS);
        VBox listBody = new VBox(10, toolbar, split, footer);
        var emptyView = new EmptyStateView(i18n, MaterialDesignC.CUBE_OUTLINE, viewModel.emptyState(), "containers").root();
        StackPane stack = new StackPane(listBody, emptyView);
        emptyView.visibleProperty().bind(viewModel.emptyProperty());
        listBody.visibleProperty().bind(viewModel.emptyProperty().not());
        VBox.setVgrow(stack, Priority.ALWAYS);
        VBox body = new VBox(stack);
        body.getStyleClass().add("pane-body");
        VBox.setVgrow(body, Priority.ALWAYS);
        root = new VBox(header, body);
        root.setId("containers-pane");
        root.getStyleClass().add("content");
    }

    /**
     * Places {@code details} below the table and from now on tells {@code onSelected} the id of
     * the single selected container, or null when none or several are selected.
     */
    public void setDetails(Node details, Consumer<String> onSelected) {
        if (split.getItems().size() > 1) {
            split.getItems().set(1, details);
        } else {
            split.getItems().add(details);
            split.setDividerPositions(0.5);
        }
        this.onSelected = onSelected;
        selectionChanged();
    }

    private void selectionChanged() {
        Consumer<String> listener = onSelected;
        if (listener != null) {
            var selected = table.getSelectionModel().getSelectedItems();
            listener.accept(selected.size() == 1 && selected.getFirst() != null ? selected.getFirst().id() : null);
        }
    }

    private void select(String id) {
        if (id == null) {
            return;
        }
        vm.row(id).ifPresent(row -> {
            if (!vm.visibleRows().contains(row)) {
                vm.filterProperty().set("");
                vm.showStoppedProperty().set(true);
            }
            table.getSelectionModel().clearSelection();
            table.getSelectionModel().select(row);
            table.scrollTo(row);
        });
    }

    /**
     * Opens the Run dialog over {@code owner} with {@code image} filled in (blank for none);
     * {@code onStarted} (may be null) runs once the container is started.
     */
    public void openRunDialog(Node owner, String image, Runnable onStarted) {
        new RunDialog(vm, i18n, owner, image, onStarted).show();
    }

    private void act(Action action, List<Row> targets) {
        if (targets.stream().noneMatch(r -> action.appliesTo(r.state()))) {
            return;
        }
        if (action == Action.REMOVE) {
            new RemoveContainersDialog(vm, i18n, root, targets).show();
        } else {
            vm.apply(action, targets, false);
        }
    }

    private BooleanBinding noneApplies(Action action) {
        var selected = table.getSelectionModel().getSelectedItems();
        return Bindings.createBooleanBinding(() -> selected.stream().noneMatch(r -> r != null && action.appliesTo(r.state())),
                selected, vm.allRows());
    }

    private ContextMenu contextMenu(Map<Action, Ikon> icons) {
        ContextMenu menu = new ContextMenu();
        for (Action a : Action.values()) {
            if (a == Action.REMOVE) {
                menu.getItems().add(new SeparatorMenuItem());
            }
            MenuItem item = new MenuItem();
            item.setId("containers-menu-" + a.key());
            item.textProperty().bind(i18n.text("containers.action." + a.key()));
            item.setGraphic(new FontIcon(icons.get(a)));
            item.disableProperty().bind(noneApplies(a));
            item.setOnAction(e -> act(a, List.copyOf(table.getSelectionModel().getSelectedItems())));
            menu.getItems().add(item);
            if (a == Action.KILL) {
                menu.getItems().add(signalMenu());
            }
        }
        return menu;
    }

    /** "Send signal" with the signals of {@code docker kill -s}; their names are the same in every language. */
    private Menu signalMenu() {
        Menu signals = new Menu();
        signals.setId("containers-menu-signal");
        signals.textProperty().bind(i18n.text("containers.action.signal"));
        signals.disableProperty().bind(noneApplies(Action.KILL));
        for (String signal : ContainersViewModel.SIGNALS) {
            MenuItem item = new MenuItem();
            item.setId("containers-menu-signal-" + signal);
            item.setText(signal);
            item.setOnAction(e -> vm.signal(List.copyOf(table.getSelectionModel().getSelectedItems()), signal));
            signals.getItems().add(item);
        }
        return signals;
    }

    // ---- columns ----------------------------------------------------------------------------------

    private TableColumn<Row, ContainerSummary> summaryColumn(String key, String id, double width) {
        TableColumn<Row, ContainerSummary> c = new TableColumn<>();
        c.setId(id);
        c.textProperty().bind(i18n.text(key));
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> cell.getValue().containerProperty());
        return c;
    }

    private TableColumn<Row, ContainerSummary> textColumn(String key, double width, boolean mono,
                                                          Function<ContainerSummary, String> value, String id) {
        TableColumn<Row, ContainerSummary> c = summaryColumn(key, id, width);
        c.setComparator(Comparator.comparing(value, String.CASE_INSENSITIVE_ORDER));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(ContainerSummary item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : value.apply(item));
            }
        });
        if (mono) {
            c.getStyleClass().add("mono");
        }
        return c;
    }

    private TableColumn<Row, ContainerSummary> stateColumn() {
        TableColumn<Row, ContainerSummary> c = summaryColumn("containers.column.state", "containers-col-state", 120);
        c.setComparator(Comparator.comparing(ContainerSummary::state));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(ContainerSummary item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setGraphic(null);
                    setTooltip(null);
                    return;
                }
                setText(i18n.get("containers.state." + item.state().dockerName()));
                setGraphic(stateIcon(item.state()));
                setTooltip(item.status().isEmpty() ? null : new Tooltip(item.status()));
                getStyleClass().removeIf(s -> s.startsWith("state-"));
                getStyleClass().add("state-" + item.state().dockerName());
            }
        });
        return c;
    }

    static FontIcon stateIcon(ContainerState state) {
        FontIcon icon = switch (state) {
            case RUNNING -> new FontIcon(MaterialDesignP.PLAY_CIRCLE);
            case PAUSED -> new FontIcon(MaterialDesignP.PAUSE_CIRCLE);
            case RESTARTING -> new FontIcon(MaterialDesignR.RESTART);
            case EXITED -> new FontIcon(MaterialDesignS.STOP_CIRCLE);
            case DEAD -> new FontIcon(MaterialDesignA.ALERT_CIRCLE);
            case REMOVING -> new FontIcon(MaterialDesignD.DELETE_CLOCK_OUTLINE);
            case CREATED -> new FontIcon(MaterialDesignC.CIRCLE_OUTLINE);
            case UNKNOWN -> new FontIcon(MaterialDesignE.EYE_OFF_OUTLINE);
        };
        icon.setIconColor(switch (state) {
            case RUNNING -> Color.web("#2e9d5b");
            case PAUSED, RESTARTING -> Color.web("#d08a1c");
            case DEAD -> Color.web("#d0453a");
            default -> Color.web("#8a8f98");
        });
        icon.setIconSize(16);
        return icon;
    }

    private TableColumn<Row, ContainerSummary> createdColumn() {
        TableColumn<Row, ContainerSummary> c = summaryColumn("containers.column.created", "containers-col-created", 120);
        c.setComparator(Comparator.comparing(s -> s.created() == null ? Instant.EPOCH : s.created()));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(ContainerSummary item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setTooltip(null);
                    return;
                }
                setText(i18n.get(Formats.ago(item.created(), Instant.now())));
                setTooltip(item.created() == null ? null : new Tooltip(EXACT.format(item.created().atZone(ZoneId.systemDefault()))));
            }
        });
        return c;
    }

    private TableColumn<Row, StatsSample> statsColumn(String key, String id, double width, Function<StatsSample, String> text,
                                                      Comparator<StatsSample> order) {
        TableColumn<Row, StatsSample> c = new TableColumn<>();
        c.setId(id);
        c.textProperty().bind(i18n.text(key));
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> (ObservableValue<StatsSample>) cell.getValue().statsProperty());
        c.setComparator(Comparator.nullsFirst(order));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(StatsSample item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item == null ? "\u2014" : text.apply(item));
            }
        });
        c.getStyleClass().add("numeric");
        return c;
    }

    private TableColumn<Row, StatsSample> cpuColumn() {
        return statsColumn("containers.column.cpu", "containers-col-cpu", 80,
                s -> s.hasCpu() ? String.format(Locale.ROOT, "%.2f%%", s.cpuPercent()) : "\u2014",
                Comparator.comparingDouble(s -> s.hasCpu() ? s.cpuPercent() : -1));
    }

    private TableColumn<Row, StatsSample> memoryColumn() {
        return statsColumn("containers.column.memory", "containers-col-memory", 110,
                s -> Formats.size(s.memoryUsage()), Comparator.comparingLong(StatsSample::memoryUsage));
    }

    /** The table, for tests and the screenshot. */
    TableView<Row> table() {
        return table;
    }

    public Parent root() {
        return root;
    }
}
