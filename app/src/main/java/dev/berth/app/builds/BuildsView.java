package dev.berth.app.builds;

import dev.berth.app.components.EmptyStateView;
import dev.berth.app.components.PaneButtons;
import dev.berth.app.components.PaneHeader;
import dev.berth.app.i18n.Localization;
import dev.berth.ui.UiResources;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.css.PseudoClass;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Subscription;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignH;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Builds pane: Build… and Clear finished in the header; the empty state (with its own Build…)
 * while there are no builds; else a table of builds (status, name, context folder, start, duration,
 * cache hits) over the selected build's details: its summary and actions (Cancel while it runs; Show
 * in Images and Run… once it succeeded; Remove once it ended), the reason it failed, and three tabs:
 * a per-step timeline (duration bars, CACHED chips, a failure mark), the full log, and the Dockerfile
 * with line numbers, its failing line highlighted and scrolled to.
 */
public final class BuildsView {

    private static final PseudoClass FAILING = PseudoClass.getPseudoClass("failing");
    private static final PseudoClass MARKED = PseudoClass.getPseudoClass("marked");

    /** One line of the Dockerfile view. */
    record DockerfileLine(int number, String text) {}

    private final VBox root;
    private final BuildsViewModel vm;
    private final Localization i18n;
    private final ZoneId zone = ZoneId.systemDefault();
    private final TableView<BuildRun> table;
    private final ListView<BuildStepRow> stepList = new ListView<>();
    private final ListView<BuildLogLine> logList = new ListView<>();
    private final ListView<DockerfileLine> dockerfileList = new ListView<>();
    private final TabPane tabs = new TabPane();
    private final Tab dockerfileTab = new Tab();
    private Tab logTab;
    private final List<Subscription> shown = new ArrayList<>();
    private Runnable onBuild = () -> { };
    private Consumer<BuildRun> onShowImage = run -> { };
    private Consumer<BuildRun> onRun = run -> { };

    public BuildsView(BuildsViewModel viewModel, Localization i18n) {
        this.vm = viewModel;
        this.i18n = i18n;

        Button build = PaneButtons.button(i18n, "builds.action.build", "builds-build", MaterialDesignH.HAMMER_WRENCH,
                () -> onBuild.run());
        build.getStyleClass().add("accent");
        Button clear = PaneButtons.button(i18n, "builds.action.clear", "builds-clear", MaterialDesignD.DELETE_SWEEP_OUTLINE,
                viewModel::clearFinished);
        clear.disableProperty().bind(Bindings.createBooleanBinding(
                () -> viewModel.builds().stream().noneMatch(r -> r.status().finished()), viewModel.builds()));
        HBox actions = new HBox(8, clear, build);
        actions.setAlignment(Pos.CENTER_RIGHT);
        var header = PaneHeader.create(i18n, viewModel.titleKey(), viewModel.subtitleKey(), "builds", actions);

        // the empty state, with a way to start
        Button emptyBuild = PaneButtons.button(i18n, "builds.action.build", "builds-empty-build",
                MaterialDesignH.HAMMER_WRENCH, () -> onBuild.run());
        emptyBuild.getStyleClass().add("accent");
        VBox empty = new EmptyStateView(i18n, MaterialDesignH.HAMMER_WRENCH, viewModel.emptyState(), "builds").root();
        empty.getChildren().add(emptyBuild);
        VBox.setVgrow(empty, Priority.ALWAYS);
        BooleanBinding noBuilds = viewModel.emptyProperty();
        empty.visibleProperty().bind(noBuilds);
        empty.managedProperty().bind(empty.visibleProperty());

        table = buildsTable();
        Node details = details();
        SplitPane split = new SplitPane(table, details);
        split.setId("builds-split");
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.34);
        SplitPane.setResizableWithParent(table, false);
        split.visibleProperty().bind(noBuilds.not());
        split.managedProperty().bind(split.visibleProperty());
        VBox.setVgrow(split, Priority.ALWAYS);

        VBox body = new VBox(10, empty, split);
        body.getStyleClass().add("pane-body");
        VBox.setVgrow(body, Priority.ALWAYS);
        root = new VBox(header, body);
        root.setId("builds-pane");
        root.getStyleClass().add("content");
        root.getStylesheets().add(UiResources.external("themes/builds.css"));

        // the table's selection and the view model's follow each other
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                viewModel.selectedProperty().set(now);
            }
        });
        viewModel.selectedProperty().subscribe(run -> {
            if (run != null && table.getSelectionModel().getSelectedItem() != run) {
                table.getSelectionModel().select(run);
                table.scrollTo(run);
            }
            show(run);
        });
        i18n.languageProperty().addListener((obs, old, now) -> {
            table.refresh();
            stepList.refresh();
        });

        // while a build runs, its duration counts up once a second (its lines may pause for long)
        Timeline tick = new Timeline(new KeyFrame(javafx.util.Duration.seconds(1), e -> {
            table.refresh();
            selected().filter(r -> r.status() == BuildStatus.RUNNING).ifPresent(r -> summary.setText(describe(r)));
        }));
        tick.setCycleCount(Animation.INDEFINITE);
        Runnable ticking = () -> {
            if (viewModel.builds().stream().anyMatch(r -> r.status() == BuildStatus.RUNNING)) {
                tick.play();
            } else {
                tick.stop();
            }
        };
        viewModel.builds().addListener((javafx.collections.ListChangeListener<BuildRun>) c -> ticking.run());
    }

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

    // ---- the list of builds ---------------------------------------------------------------------

    private TableView<BuildRun> buildsTable() {
        TableView<BuildRun> t = new TableView<>(vm.builds());
        t.setId("builds-table");
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<BuildRun, BuildStatus> status = new TableColumn<>();
        status.setId("builds-col-status");
        status.textProperty().bind(i18n.text("builds.column.status"));
        status.setPrefWidth(120);
        status.setCellValueFactory(c -> c.getValue().statusProperty());
        status.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(BuildStatus item, boolean isEmpty) {
                super.updateItem(item, isEmpty);
                if (isEmpty || item == null) {
                    setText(null);
                    setGraphic(null);
                } else {
                    setText(i18n.get(statusKey(item)));
                    setGraphic(statusIcon(item));
                }
            }
        });
        t.getColumns().add(status);
        t.getColumns().add(column("builds.column.name", "builds-col-name", 200, r -> r.imageIdProperty().map(id -> r.displayName())));
        TableColumn<BuildRun, String> context = column("builds.column.context", "builds-col-context", 240,
                r -> new ReadOnlyStringWrapper(r.request().contextDir().toString()));
        context.getStyleClass().add("mono");
        t.getColumns().add(context);
        t.getColumns().add(column("builds.column.started", "builds-col-started", 90,
                r -> new ReadOnlyStringWrapper(BuildsFormat.clock(r.started(), zone))));
        t.getColumns().add(column("builds.column.duration", "builds-col-duration", 90,
                r -> r.durationProperty().map(d -> BuildsFormat.duration(elapsed(r)))));
        t.getColumns().add(column("builds.column.cache", "builds-col-cache", 110,
                r -> Bindings.createStringBinding(() -> r.totalStepsProperty().get() == 0 ? ""
                        : r.cachedStepsProperty().get() + "/" + r.totalStepsProperty().get(),
                        r.cachedStepsProperty(), r.totalStepsProperty())));
        Label placeholder = new Label();
        placeholder.textProperty().bind(i18n.text("builds.placeholder"));
        t.setPlaceholder(placeholder);
        t.setOnKeyPressed(e -> {
            BuildRun r = t.getSelectionModel().getSelectedItem();
            if (e.getCode() == KeyCode.DELETE && r != null) {
                vm.remove(r);
            }
        });
        t.setMinHeight(120);
        return t;
    }

    private TableColumn<BuildRun, String> column(String key, String id, double width,
                                                 Function<BuildRun, ObservableValue<String>> value) {
        TableColumn<BuildRun, String> c = new TableColumn<>();
        c.setId(id);
        c.textProperty().bind(i18n.text(key));
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> value.apply(cell.getValue()));
        return c;
    }

    static String statusKey(BuildStatus s) {
        return switch (s) {
            case RUNNING -> "builds.status.running";
            case SUCCEEDED -> "builds.status.succeeded";
            case FAILED -> "builds.status.failed";
            case CANCELLED -> "builds.status.cancelled";
        };
    }

    static FontIcon statusIcon(BuildStatus s) {
        Ikon ikon = switch (s) {
            case RUNNING -> MaterialDesignP.PROGRESS_CLOCK;
            case SUCCEEDED -> MaterialDesignC.CHECK_CIRCLE;
            case FAILED -> MaterialDesignA.ALERT_CIRCLE;
            case CANCELLED -> MaterialDesignC.CLOSE_CIRCLE_OUTLINE;
        };
        FontIcon icon = new FontIcon(ikon);
        icon.getStyleClass().addAll("build-status-icon", "build-" + s.name().toLowerCase(java.util.Locale.ROOT));
        return icon;
    }

    // ---- the selected build ---------------------------------------------------------------------

    private final Label title = new Label();
    private final Label summary = new Label();
    private final Label error = new Label();
    private final StackPane titleIcon = new StackPane();
    private final Button cancel = new Button();
    private final Button showImage = new Button();
    private final Button run = new Button();
    private final Button remove = new Button();

    private Node details() {
        title.setId("builds-detail-title");
        title.getStyleClass().add("section-title");
        title.setMinWidth(Region.USE_PREF_SIZE);
        summary.setId("builds-detail-summary");
        summary.getStyleClass().add("muted");
        summary.setTextOverrun(OverrunStyle.CENTER_ELLIPSIS);
        HBox.setHgrow(summary, Priority.ALWAYS);
        summary.setMaxWidth(Double.MAX_VALUE);
        setUp(cancel, "builds.action.cancel", "builds-cancel", MaterialDesignS.STOP_CIRCLE_OUTLINE,
                () -> selected().ifPresent(BuildRun::cancel));
        setUp(showImage, "builds.action.showImage", "builds-show-image", MaterialDesignL.LAYERS_OUTLINE,
                () -> selected().ifPresent(onShowImage));
        setUp(run, "builds.action.run", "builds-run", MaterialDesignP.PLAY, () -> selected().ifPresent(onRun));
        run.getStyleClass().add("accent");
        setUp(remove, "builds.action.remove", "builds-remove", MaterialDesignD.DELETE_OUTLINE,
                () -> selected().ifPresent(vm::remove));
        HBox top = new HBox(8, titleIcon, title, summary, cancel, remove, showImage, run);
        top.setAlignment(Pos.CENTER_LEFT);
        top.getStyleClass().add("toolbar");

        error.setId("builds-error");
        error.setWrapText(true);
        error.getStyleClass().add("status-line-error");
        error.managedProperty().bind(error.visibleProperty());

        stepList.setId("builds-steps");
        stepList.getStyleClass().add("build-steps");
        stepList.setCellFactory(l -> new StepCell());
        Label noSteps = new Label();
        noSteps.textProperty().bind(i18n.text("builds.steps.none"));
        stepList.setPlaceholder(noSteps);
        // a step picked in the timeline is marked in the Dockerfile
        stepList.getSelectionModel().selectedItemProperty().addListener((obs, old, step) -> {
            if (step != null && step.line() > 0 && step.line() <= dockerfileList.getItems().size()) {
                dockerfileList.getSelectionModel().select(step.line() - 1);
            }
        });

        // a step opened (double click, Enter) shows where its output begins in the log
        stepList.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                openInLog(stepList.getSelectionModel().getSelectedItem());
            }
        });
        stepList.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                openInLog(stepList.getSelectionModel().getSelectedItem());
            }
        });

        logList.setId("builds-log");
        logList.getStyleClass().add("build-log");
        logList.setCellFactory(l -> new LogCell());

        dockerfileList.setId("builds-dockerfile");
        dockerfileList.getStyleClass().add("build-dockerfile");
        dockerfileList.setCellFactory(l -> new DockerfileCell());

        Tab steps = tab("builds.tab.steps", "builds-tab-steps", stepList);
        logTab = tab("builds.tab.log", "builds-tab-log", logList);
        dockerfileTab.setId("builds-tab-dockerfile");
        dockerfileTab.textProperty().bind(i18n.text("builds.tab.dockerfile"));
        dockerfileTab.setContent(dockerfileList);
        dockerfileTab.setClosable(false);
        tabs.setId("builds-tabs");
        tabs.getTabs().setAll(steps, logTab, dockerfileTab);
        VBox.setVgrow(tabs, Priority.ALWAYS);

        VBox box = new VBox(8, top, error, tabs);
        box.setId("builds-details");
        box.getStyleClass().add("build-details");
        return box;
    }

    private void openInLog(BuildStepRow step) {
        if (step == null) {
            return;
        }
        List<BuildLogLine> items = logList.getItems();
        for (int i = 0; i < items.size(); i++) {
            BuildLogLine l = items.get(i);
            if (l.kind() == BuildLogLine.Kind.STEP && l.step() == step.number()) {
                tabs.getSelectionModel().select(logTab);
                logList.getSelectionModel().select(i);
                logList.scrollTo(i);
                return;
            }
        }
    }

    private Tab tab(String key, String id, Node content) {
        Tab t = new Tab();
        t.setId(id);
        t.textProperty().bind(i18n.text(key));
        t.setContent(content);
        t.setClosable(false);
        return t;
    }

    private void setUp(Button b, String key, String id, Ikon icon, Runnable action) {
        b.setId(id);
        b.textProperty().bind(i18n.text(key));
        b.setGraphic(new FontIcon(icon));
        b.setOnAction(e -> action.run());
        b.setMinWidth(Region.USE_PREF_SIZE);
        b.managedProperty().bind(b.visibleProperty());
    }

    private java.util.Optional<BuildRun> selected() {
        return java.util.Optional.ofNullable(vm.selectedProperty().get());
    }

    /** Shows {@code r}'s details, following its changes until another build is selected. */
    private void show(BuildRun r) {
        shown.forEach(Subscription::unsubscribe);
        shown.clear();
        if (r == null) {
            stepList.setItems(FXCollections.observableArrayList());
            logList.setItems(FXCollections.observableArrayList());
            dockerfileList.setItems(FXCollections.observableArrayList());
            title.textProperty().unbind();
            title.setText("");
            summary.setText("");
            error.textProperty().unbind();
            error.setVisible(false);
            for (Button b : List.of(cancel, showImage, run, remove)) {
                b.setVisible(false);
            }
            return;
        }
        stepList.setItems(r.steps());
        logList.setItems(r.log());
        title.textProperty().unbind();
        title.textProperty().bind(r.imageIdProperty().map(id -> r.displayName()));
        error.textProperty().unbind();
        error.textProperty().bind(i18n.text(r.errorProperty()));
        shown.add(r.errorProperty().subscribe(e -> error.setVisible(e != null)));
        shown.add(r.statusProperty().subscribe(s -> {
            titleIcon.getChildren().setAll(statusIcon(s));
            cancel.setVisible(s == BuildStatus.RUNNING);
            remove.setVisible(s.finished());
            showImage.setVisible(s == BuildStatus.SUCCEEDED);
            run.setVisible(s == BuildStatus.SUCCEEDED);
        }));
        Runnable describe = () -> summary.setText(describe(r));
        shown.add(r.statusProperty().subscribe(s -> describe.run()));
        shown.add(r.durationProperty().subscribe(d -> describe.run()));
        shown.add(r.imageIdProperty().subscribe(d -> describe.run()));
        shown.add(i18n.languageProperty().subscribe(l -> describe.run()));
        shown.add(r.dockerfileProperty().subscribe(text -> dockerfileList.setItems(lines(text))));
        shown.add(r.failingLineProperty().subscribe(line -> {
            dockerfileList.refresh();
            if (line.intValue() > 0) {
                tabs.getSelectionModel().select(dockerfileTab);
                int index = line.intValue() - 1;
                dockerfileList.getSelectionModel().select(index);
                dockerfileList.scrollTo(Math.max(0, index - 3));
            }
        }));
        // a bar's length is a share of the longest step: when a step ends, every bar may change
        javafx.collections.ListChangeListener<BuildStepRow> rescale = c -> {
            while (c.next()) {
                if (c.wasReplaced()) {
                    stepList.refresh();
                    return;
                }
            }
        };
        r.steps().addListener(rescale);
        shown.add(() -> r.steps().removeListener(rescale));
        // the log follows a running build to its newest line
        javafx.collections.ListChangeListener<BuildLogLine> follow = c -> {
            if (r.status() == BuildStatus.RUNNING && !r.log().isEmpty()) {
                logList.scrollTo(r.log().size() - 1);
            }
        };
        r.log().addListener(follow);
        shown.add(() -> r.log().removeListener(follow));
        if (r.failingLineProperty().get() == 0) {
            tabs.getSelectionModel().select(0);
        }
    }

    /** How long {@code r} took, or has been running (its last line may be long ago: a RUN can be silent). */
    private static Duration elapsed(BuildRun r) {
        if (r.status() == BuildStatus.RUNNING) {
            Duration d = Duration.between(r.started(), Instant.now());
            return d.isNegative() ? Duration.ZERO : d;
        }
        return r.durationProperty().get();
    }

    /** "sha256:… · /path/to/context · Dockerfile · 3 of 4 steps cached". */
    private String describe(BuildRun r) {
        List<String> parts = new ArrayList<>();
        if (!r.imageId().isEmpty()) {
            parts.add(r.imageId().substring(0, Math.min(r.imageId().length(), 19)));
        }
        parts.add(r.request().contextDir().toString());
        parts.add(r.request().dockerfile());
        if (r.request().hasTarget()) {
            parts.add(i18n.get("builds.detail.target", r.request().target()));
        }
        if (r.totalStepsProperty().get() > 0) {
            parts.add(i18n.get("builds.detail.cached", r.cachedStepsProperty().get(), r.totalStepsProperty().get()));
        }
        parts.add(BuildsFormat.duration(elapsed(r)));
        return String.join("  ·  ", parts);
    }

    private static ObservableList<DockerfileLine> lines(String text) {
        ObservableList<DockerfileLine> out = FXCollections.observableArrayList();
        if (text == null || text.isEmpty()) {
            return out;
        }
        String[] ls = text.split("\r?\n", -1);
        int n = text.endsWith("\n") ? ls.length - 1 : ls.length;
        for (int i = 0; i < n; i++) {
            out.add(new DockerfileLine(i + 1, ls[i]));
        }
        return out;
    }

    // ---- cells ----------------------------------------------------------------------------------

    /** A step of the timeline: number, instruction, CACHED chip or failure mark, a bar as long as its share, its time. */
    private final class StepCell extends ListCell<BuildStepRow> {
        private final Label number = new Label();
        private final Label instruction = new Label();
        private final Label chip = new Label();
        private final FontIcon failed = new FontIcon(MaterialDesignA.ALERT_CIRCLE);
        private final Region bar = new Region();
        private final StackPane track = new StackPane(bar);
        private final Label time = new Label();
        private final HBox box = new HBox(10, number, instruction, chip, failed, track, time);

        StepCell() {
            number.getStyleClass().addAll("build-step-number", "mono");
            instruction.getStyleClass().addAll("build-step-instruction", "mono");
            instruction.setMaxWidth(Double.MAX_VALUE);
            instruction.setMinWidth(80);
            HBox.setHgrow(instruction, Priority.ALWAYS);
            chip.getStyleClass().addAll("tag", "build-cached");
            chip.textProperty().bind(i18n.text("builds.step.cached"));
            chip.setMinWidth(Region.USE_PREF_SIZE);
            chip.managedProperty().bind(chip.visibleProperty());
            failed.getStyleClass().addAll("build-status-icon", "build-failed");
            failed.managedProperty().bind(failed.visibleProperty());
            track.getStyleClass().add("build-step-track");
            track.setAlignment(Pos.CENTER_LEFT);
            track.setMinWidth(160);
            track.setPrefWidth(160);
            track.setMaxWidth(160);
            bar.getStyleClass().add("build-step-bar");
            bar.setMaxWidth(Region.USE_PREF_SIZE);
            time.getStyleClass().addAll("build-step-time", "mono");
            time.setMinWidth(64);
            time.setAlignment(Pos.CENTER_RIGHT);
            box.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(BuildStepRow step, boolean isEmpty) {
            super.updateItem(step, isEmpty);
            if (isEmpty || step == null) {
                setId(null);
                setGraphic(null);
                setText(null);
                setTooltip(null);
                pseudoClassStateChanged(FAILING, false);
                return;
            }
            setId("builds-step-" + step.number());
            number.setText(step.number() + "/" + step.total());
            instruction.setText(step.instruction());
            setTooltip(new Tooltip(step.line() > 0 ? i18n.get("builds.step.line", step.line(), step.instruction())
                    : step.instruction()));
            chip.setVisible(step.cached());
            failed.setVisible(step.failed());
            Duration longest = getListView().getItems().stream().map(BuildStepRow::duration).filter(Objects::nonNull)
                    .max(Duration::compareTo).orElse(Duration.ZERO);
            double share = step.duration() == null || longest.isZero() ? 0
                    : step.duration().toNanos() / (double) longest.toNanos();
            bar.setPrefWidth(Math.max(2, 160 * share));
            bar.pseudoClassStateChanged(MARKED, step.cached());
            bar.pseudoClassStateChanged(FAILING, step.failed());
            bar.setVisible(step.duration() != null);
            time.setText(step.running() ? i18n.get("builds.step.running") : BuildsFormat.duration(step.duration()));
            pseudoClassStateChanged(FAILING, step.failed());
            setGraphic(box);
            setText(null);
        }
    }

    /** A log line, monospaced; steps bold, the builder's words muted, errors red. */
    private static final class LogCell extends ListCell<BuildLogLine> {
        LogCell() {
            getStyleClass().add("mono");
        }

        @Override
        protected void updateItem(BuildLogLine line, boolean isEmpty) {
            super.updateItem(line, isEmpty);
            getStyleClass().removeAll("build-log-step", "build-log-output", "build-log-stderr", "build-log-builder", "build-log-error");
            if (isEmpty || line == null) {
                setText(null);
                return;
            }
            setText(line.text());
            getStyleClass().add("build-log-" + line.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** A Dockerfile line with its number; the failing line stands out. */
    private final class DockerfileCell extends ListCell<DockerfileLine> {
        private final Label number = new Label();
        private final Label text = new Label();
        private final HBox box = new HBox(12, number, text);

        DockerfileCell() {
            number.getStyleClass().addAll("build-line-number", "mono");
            number.setMinWidth(36);
            number.setAlignment(Pos.CENTER_RIGHT);
            text.getStyleClass().addAll("build-line-text", "mono");
            box.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(DockerfileLine line, boolean isEmpty) {
            super.updateItem(line, isEmpty);
            if (isEmpty || line == null) {
                setGraphic(null);
                setText(null);
                pseudoClassStateChanged(FAILING, false);
                return;
            }
            number.setText(Integer.toString(line.number()));
            text.setText(line.text());
            BuildRun r = vm.selectedProperty().get();
            pseudoClassStateChanged(FAILING, r != null && r.failingLineProperty().get() == line.number());
            setGraphic(box);
            setText(null);
        }
    }
}
