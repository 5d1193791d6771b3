package dev.berth.app.containers.details;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.backend.ApiClient;
import dev.berth.app.backend.Backend;
import dev.berth.app.i18n.Language;
import dev.berth.app.i18n.Localization;
import dev.berth.app.task.UiExecutor;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignT;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Details of one container, as tabs: Logs, Inspect, Network, Stats, Processes, Changes, X-ray,
 * and any number of Terminal tabs (plus an Attach tab for a container run with {@code -it}). The
 * Containers pane embeds {@link #node()} and calls {@link #show(String)} when its selection
 * changes. Everything goes through the Docker API of {@link Backend#api()}, on background threads.
 */
public final class ContainerDetailsPane {

    private final Localization i18n;
    private final ContainerDetailsViewModel vm;
    private final BorderPane root = new BorderPane();
    private final TabPane tabs = new TabPane();
    private final Label title = new Label();
    private final Button terminalButton;
    private final Button attachButton;
    private final LogsView logsView;
    private final XrayView xrayView;
    private final Tab logsTab;
    private final Tab inspectTab;
    private final Tab networkTab;
    private final Tab statsTab;
    private final Tab processesTab;
    private final Tab changesTab;
    private final Tab xrayTab;
    private final List<TerminalTab> terminals = new ArrayList<>();
    private final Timeline xrayTimer;
    private final StackPane stack;
    private final Label empty = new Label();
    private Consumer<String> browser = ContainerDetailsPane::xdgOpen;
    private int terminalCount;
    private boolean closed;

    /** A pane in English; the app passes its {@link Localization} with the other constructor. */
    public ContainerDetailsPane(Backend backend, UiExecutor ui) {
        this(backend, ui, new Localization(Language.ENGLISH));
    }

    public ContainerDetailsPane(Backend backend, UiExecutor ui, Localization i18n) {
        this(backend::api, ui, i18n);
    }

    /**
     * A pane whose engine is looked up on each call: the app builds it before its backend has
     * connected ({@code api} throws {@code EngineException.Unavailable} until then).
     */
    public ContainerDetailsPane(java.util.function.Supplier<ApiClient> api, UiExecutor ui, Localization i18n) {
        this.i18n = i18n;
        this.vm = new ContainerDetailsViewModel(new DetailsClient(api), ui);
        logsView = new LogsView(vm.logs(), i18n);
        xrayView = new XrayView(vm, i18n);
        logsTab = tab("details.tab.logs", "details-tab-logs", MaterialDesignT.TEXT_BOX_OUTLINE, logsView.node());
        inspectTab = tab("details.tab.inspect", "details-tab-inspect", MaterialDesignC.CODE_BRACES, new InspectView(vm, i18n).node());
        networkTab = tab("details.tab.network", "details-tab-network", MaterialDesignL.LAN,
                new NetworkView(vm, i18n, url -> browser.accept(url)).node());
        statsTab = tab("details.tab.stats", "details-tab-stats", MaterialDesignC.CHART_LINE, new StatsView(vm, i18n).node());
        processesTab = tab("details.tab.processes", "details-tab-processes", MaterialDesignF.FORMAT_LIST_BULLETED,
                new ProcessesView(vm, i18n).node());
        changesTab = tab("details.tab.changes", "details-tab-changes", MaterialDesignF.FILE_TREE, new ChangesView(vm, i18n).node());
        xrayTab = tab("details.tab.xray", "details-tab-xray", MaterialDesignM.MAGNIFY_SCAN, xrayView.node());
        tabs.getTabs().addAll(logsTab, inspectTab, networkTab, statsTab, processesTab, changesTab, xrayTab);
        tabs.setId("details-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.SELECTED_TAB);
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, now) -> refresh(now));

        xrayTimer = new Timeline(new KeyFrame(Duration.seconds(2), e -> vm.refreshXray()));
        xrayTimer.setCycleCount(Timeline.INDEFINITE);

        title.setId("details-title");
        title.setStyle("-fx-font-size: 15px; -fx-font-weight: bold;");
        terminalButton = new Button();
        terminalButton.setId("details-open-terminal");
        terminalButton.textProperty().bind(i18n.text("details.terminal.open"));
        terminalButton.setGraphic(new FontIcon(MaterialDesignC.CONSOLE_LINE));
        terminalButton.setOnAction(e -> openTerminal());
        attachButton = new Button();
        attachButton.setId("details-attach");
        attachButton.textProperty().bind(i18n.text("details.terminal.attach"));
        attachButton.setGraphic(new FontIcon(MaterialDesignP.POWER_PLUG_OUTLINE));
        attachButton.setOnAction(e -> openAttach());
        attachButton.setVisible(false);
        attachButton.managedProperty().bind(attachButton.visibleProperty());
        terminalButton.setDisable(true);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, title, spacer, attachButton, terminalButton);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(6, 8, 6, 8));
        BorderPane content = new BorderPane(tabs);
        content.setTop(header);
        empty.textProperty().bind(i18n.text("details.empty"));
        empty.setId("details-empty");
        stack = new StackPane(content, empty);
        content.visibleProperty().bind(vm.containerIdProperty().isNotNull());
        empty.visibleProperty().bind(vm.containerIdProperty().isNull());
        root.setCenter(stack);
        root.setId("container-details");
        vm.inspect().valueProperty().addListener((o, a, now) -> header(now));
    }

    private Tab tab(String key, String id, Ikon icon, Node content) {
        Tab t = new Tab();
        t.textProperty().bind(i18n.text(key));
        t.setId(id);
        t.setGraphic(new FontIcon(icon));
        t.setContent(content);
        t.setClosable(false);
        return t;
    }

    private void header(JsonNode inspect) {
        if (inspect == null) {
            title.setText("");
            terminalButton.setDisable(true);
            attachButton.setVisible(false);
            return;
        }
        String name = inspect.path("Name").asText("").replaceFirst("^/", "");
        boolean running = inspect.path("State").path("Running").asBoolean();
        title.setText(i18n.get("details.title", name, inspect.path("Id").asText("").substring(0, Math.min(12, inspect.path("Id").asText("").length())),
                inspect.path("State").path("Status").asText("")));
        terminalButton.setDisable(!running);
        JsonNode cfg = inspect.path("Config");
        attachButton.setVisible(running && cfg.path("Tty").asBoolean() && cfg.path("OpenStdin").asBoolean());
    }

    private void refresh(Tab selected) {
        xrayTimer.stop();
        if (closed || vm.containerIdProperty().get() == null) {
            return;
        }
        if (selected == processesTab) {
            vm.refreshTop();
        } else if (selected == changesTab) {
            vm.refreshChanges();
        } else if (selected == xrayTab) {
            vm.refreshXray();
            xrayTimer.play(); // the usage counters are live
        }
    }

    /** The pane's node, to embed. */
    public Node node() {
        return root;
    }

    /** Shows container {@code containerIdOrNull} (null: an empty state). Terminals of the previous container close. */
    public void show(String containerIdOrNull) {
        closed = false;
        closeTerminals();
        vm.show(containerIdOrNull);
        tabs.getSelectionModel().select(logsTab);
    }

    /** Opens a new Terminal tab (a shell by exec) into the container shown, and selects it. */
    public TerminalTab openTerminal() {
        return open(false);
    }

    /** Opens the Attach tab: the TTY of a container run with {@code -it}. */
    public TerminalTab openAttach() {
        return open(true);
    }

    private TerminalTab open(boolean attach) {
        String id = vm.containerIdProperty().get();
        if (id == null) {
            return null;
        }
        JsonNode inspect = vm.inspect().valueProperty().get();
        String name = inspect == null ? id : inspect.path("Name").asText(id).replaceFirst("^/", "");
        TerminalTab t = new TerminalTab(vm.client(), vm.ui(), i18n, id, name, attach ? 0 : ++terminalCount, attach);
        terminals.add(t);
        t.tab().setOnClosed(e -> {
            t.close();
            terminals.remove(t);
        });
        tabs.getTabs().add(t.tab());
        tabs.getSelectionModel().select(t.tab());
        return t;
    }

    /** Where "open in browser" sends a URL (the app passes {@code HostServices::showDocument}); xdg-open by default. */
    public void setBrowser(Consumer<String> browser) {
        this.browser = browser;
    }

    /** Stops the log and stats streams and closes every terminal. */
    public void close() {
        closed = true;
        closeTerminals(); // may change the selected tab: refresh() starts nothing once closed
        xrayTimer.stop();
        vm.stopStreams();
    }

    private void closeTerminals() {
        for (TerminalTab t : List.copyOf(terminals)) {
            t.close();
            tabs.getTabs().remove(t.tab());
        }
        terminals.clear();
        terminalCount = 0;
    }

    // ---- for tests and the containers pane

    public ContainerDetailsViewModel viewModel() {
        return vm;
    }

    public TabPane tabs() {
        return tabs;
    }

    public LogsView logsView() {
        return logsView;
    }

    public XrayView xrayView() {
        return xrayView;
    }

    public List<TerminalTab> terminals() {
        return List.copyOf(terminals);
    }

    private static void xdgOpen(String url) {
        Thread.ofVirtual().start(() -> {
            try {
                new ProcessBuilder("xdg-open", url).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (java.io.IOException e) {
                System.getLogger(ContainerDetailsPane.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot open " + url + ": " + e.getMessage());
            }
        });
    }
}
