package dev.berth.app.containers.details;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.app.i18n.Language;
import dev.berth.app.i18n.Localization;
import dev.berth.app.task.UiExecutor;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerFilter;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.CreateRequest;
import dev.berth.testkit.LocalImages;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Details pane in a plain Stage under Xvfb, on an embedded engine serving its Docker API
 * socket, with real busybox containers under runc.
 */
@ExtendWith(ApplicationExtension.class)
class ContainerDetailsPaneTest {

    @TempDir
    static Path tmp;
    static EmbeddedBackend backend;
    static UiExecutor ui;

    private ContainerDetailsPane pane;
    private Stage stage;

    @BeforeAll
    static void engine() {
        backend = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("b.sock")), true);
        LocalImages.busybox(backend.engine(), tmp.resolve("image"), "busybox:latest");
        ui = UiExecutor.forJavaFx();
    }

    @AfterAll
    static void stopEngine() {
        if (ui != null) {
            ui.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** The pane gets a Stage of its own: the primary stage is shared with other test classes and keeps its size. */
    @Start
    void start(Stage primary) {
        Stage stage = new Stage();
        this.stage = stage;
        pane = new ContainerDetailsPane(backend, ui, new Localization(Language.ENGLISH));
        stage.setScene(new Scene(new javafx.scene.layout.StackPane(pane.node()), 1200, 800));
        stage.setWidth(1200);
        stage.setHeight(800);
        stage.show();
    }

    @AfterEach
    void removeContainers(FxRobot robot) {
        robot.interact(() -> {
            pane.close();
            stage.close();
        });
        for (Container c : backend.engine().containers().list(ContainerFilter.ALL)) {
            backend.engine().containers().remove(c.id(), true, false);
        }
    }

    private Container run(String name, CreateRequest.Builder b) {
        ContainerService svc = backend.engine().containers();
        return svc.start(svc.create(b.name(name).networkMode("none").build()).id());
    }

    @Test
    void terminalTabRunsAShellThatEchoesAndFollowsTheTabsSize(FxRobot robot) throws Exception {
        Container c = run("term", CreateRequest.builder("busybox").cmd("sleep", "300"));
        robot.interact(() -> pane.show(c.id()));
        waitUntil(() -> pane.viewModel().inspect().valueProperty().get() != null);
        TerminalTab[] tab = new TerminalTab[1];
        robot.interact(() -> tab[0] = pane.openTerminal());
        waitUntil(() -> tab[0].connector() != null && tab[0].screenText().contains("#"),
                () -> "state " + tab[0].stateProperty().get() + ", screen:\n" + tab[0].screenText());
        assertThat(pane.tabs().getSelectionModel().getSelectedItem()).isSameAs(tab[0].tab());

        robot.clickOn("#details-terminal-pane");
        robot.write("echo hi");
        robot.type(KeyCode.ENTER);
        waitUntil(() -> tab[0].screenText().lines().anyMatch(l -> l.strip().equals("hi")),
                () -> "screen:\n" + tab[0].screenText() + "\nfocus: " + stage.getScene().getFocusOwner());

        // a smaller window: the terminal gets fewer rows and columns and the engine hears of it
        var before = tab[0].connector().size();
        robot.interact(() -> {
            stage.setWidth(800);
            stage.setHeight(560);
        });
        waitUntil(() -> tab[0].connector().size() != null && !tab[0].connector().size().equals(before));
        WaitForAsyncUtils.sleep(500, TimeUnit.MILLISECONDS); // the resize call reaches the engine off the UI thread
        var size = tab[0].connector().size();
        robot.write("stty size");
        robot.type(KeyCode.ENTER);
        String expected = size.getRows() + " " + size.getColumns();
        waitUntil(() -> tab[0].screenText().lines().anyMatch(l -> l.strip().equals(expected)));
        snapshot(stage.getScene(), "container-terminal.png");

        // a second terminal at once, its own shell
        TerminalTab[] second = new TerminalTab[1];
        robot.interact(() -> second[0] = pane.openTerminal());
        waitUntil(() -> second[0].connector() != null && second[0].screenText().contains("#"));
        assertThat(pane.terminals()).hasSize(2);

        // the container stops: the terminal says so
        backend.engine().containers().kill(c.id(), "KILL");
        waitUntil(() -> second[0].stateProperty().get() != null
                && second[0].stateProperty().get().key().equals("details.terminal.stopped"));
        assertThat(robot.lookup("#details-terminal-message").queryAll().stream().anyMatch(Node::isVisible)).isTrue();
    }

    @Test
    void logsTellStdoutFromStderrRenderColoursAndFollowNewLines(FxRobot robot) throws Exception {
        Container c = run("logs", CreateRequest.builder("busybox").cmd("sh", "-c",
                "echo out1; echo err1 >&2; printf '\\033[32mgreen\\033[0m plain\\n'; "
                        + "i=0; while true; do sleep 0.3; i=$((i+1)); echo later$i; done"));
        robot.interact(() -> pane.show(c.id()));
        LogsViewModel logs = pane.viewModel().logs();
        waitUntil(() -> logs.lines().stream().anyMatch(l -> l.plain().equals("err1")));
        LogLine out = logs.lines().stream().filter(l -> l.plain().equals("out1")).findFirst().orElseThrow();
        LogLine err = logs.lines().stream().filter(l -> l.plain().equals("err1")).findFirst().orElseThrow();
        assertThat(out.stream()).isEqualTo(LogLine.Stream.STDOUT);
        assertThat(err.stream()).isEqualTo(LogLine.Stream.STDERR);
        assertThat(out.timestamp()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        waitUntil(() -> logs.lines().stream().anyMatch(l -> l.plain().equals("green plain")));
        LogLine coloured = logs.lines().stream().filter(l -> l.plain().equals("green plain")).findFirst().orElseThrow();
        assertThat(AnsiText.parse(coloured.text()).getFirst().style().fg()).isEqualTo(2);

        // the view marks the stderr row
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup(".details-log-stderr").queryAll()).isNotEmpty();
        assertThat(robot.lookup(".details-log-stdout").queryAll()).isNotEmpty();

        // follow: lines written after the tab opened keep arriving, and the newest stays in view
        waitUntil(() -> logs.lines().stream().anyMatch(l -> l.plain().equals("later3")));
        int seen = logs.lines().size();
        waitUntil(() -> logs.lines().size() > seen + 1);
        // search highlights and counts
        robot.clickOn("#details-logs-search").write("later");
        waitUntil(() -> logs.matchesProperty().get() >= 3);
        assertThat(robot.lookup(".details-log-hit").queryAll()).isNotEmpty();
        robot.interact(() -> logs.searchProperty().set(""));
        robot.clickOn("#details-logs-timestamps");
        WaitForAsyncUtils.waitForFxEvents();
        snapshot(stage.getScene(), "container-logs.png");

        Path saved = tmp.resolve("saved.log");
        logs.saveTo(saved).get(10, TimeUnit.SECONDS);
        List<String> written = Files.readAllLines(saved);
        assertThat(written).anyMatch(l -> l.endsWith(" stderr err1")).anyMatch(l -> l.endsWith(" stdout green plain"));
    }

    @Test
    void aHundredThousandLinesAllReachTheModelAndTheViewStaysVirtualized(FxRobot robot) throws Exception {
        Container c = run("many", CreateRequest.builder("busybox").cmd("seq", "1", "100000"));
        backend.engine().containers().wait(c.id(), ContainerService.WaitCondition.NOT_RUNNING, Duration.ofSeconds(60));
        robot.interact(() -> pane.show(c.id()));
        LogsViewModel logs = pane.viewModel().logs();
        waitUntil(() -> logs.lines().size() == 100_000 && !logs.streamingProperty().get(), 60);
        assertThat(logs.lines().getFirst().plain()).isEqualTo("1");
        assertThat(logs.lines().get(49_999).plain()).isEqualTo("50000");
        assertThat(logs.lines().getLast().plain()).isEqualTo("100000");
        ListView<LogLine> list = pane.logsView().list();
        assertThat(list.getItems()).isSameAs(logs.lines());
        // only the visible rows exist as cells
        long cells = list.lookupAll(".list-cell").size();
        assertThat(cells).isPositive().isLessThan(200);
        robot.interact(() -> list.scrollTo(77_777));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(list.lookupAll(".list-cell").size()).isLessThan(200);
    }

    @Test
    void xrayShowsThePidNamespaceIsolatedFromTheHost(FxRobot robot) throws Exception {
        Container c = run("xray", CreateRequest.builder("busybox").cmd("sh", "-c", "touch /made-here; exec sleep 300")
                .resources(new dev.berth.engine.runtime.spec.RunSpec.Resources(64L << 20, null, null, 512L, 500_000_000L,
                        "0", null, 100L, null)));
        robot.interact(() -> pane.show(c.id()));
        waitUntil(() -> pane.viewModel().inspect().valueProperty().get() != null);
        robot.clickOn("#details-tab-xray");
        waitUntil(() -> !pane.xrayView().namespaces().getItems().isEmpty());
        JsonNode pidRow = pane.xrayView().namespaces().getItems().stream()
                .filter(n -> n.path("Type").asText().equals("pid")).findFirst().orElseThrow();
        long container = inode(Path.of("/proc/" + c.state().pid() + "/ns/pid"));
        Path hostNs = readable(Path.of("/proc/1/ns/pid")) ? Path.of("/proc/1/ns/pid") : Path.of("/proc/self/ns/pid");
        long host = inode(hostNs);
        assertThat(pidRow.path("Inode").asLong()).isEqualTo(container);
        assertThat(pidRow.path("HostInode").asLong()).isEqualTo(host);
        assertThat(container).isNotEqualTo(host);
        assertThat(pidRow.path("Shared").asBoolean()).isFalse();
        waitUntil(() -> !((javafx.scene.control.Label) robot.lookup("#details-xray-summary").query()).getText().isEmpty());
        @SuppressWarnings("unchecked")
        var limits = (javafx.scene.control.TableView<JsonNode>) robot.lookup("#details-xray-limits").query();
        JsonNode pids = limits.getItems().stream().filter(n -> n.path("Resource").asText().equals("pids")).findFirst().orElseThrow();
        assertThat(pids.path("Value").asText()).isEqualTo("100");
        assertThat(pids.path("Requested").asText()).isEqualTo("100");
        snapshot(stage.getScene(), "container-xray.png");
    }

    @Test
    void processesChangesAndInspectTabsShowTheContainer(FxRobot robot) {
        Container c = run("tabs", CreateRequest.builder("busybox").cmd("sh", "-c", "touch /made-here; exec sleep 300"));
        robot.interact(() -> pane.show(c.id()));
        waitUntil(() -> pane.viewModel().inspect().valueProperty().get() != null);

        robot.clickOn("#details-tab-stats");
        waitUntil(() -> pane.viewModel().stats().size() >= 2);
        StatsPoint last = pane.viewModel().stats().getLast();
        assertThat(last.memory()).isPositive();
        assertThat(last.pids()).isGreaterThanOrEqualTo(1);
        @SuppressWarnings("unchecked")
        var memoryChart = (javafx.scene.chart.LineChart<Number, Number>) robot.lookup("#details-stats-memory").query();
        waitUntil(() -> !memoryChart.getData().getFirst().getData().isEmpty());

        robot.clickOn("#details-tab-processes");
        var table = robot.lookup("#details-processes-table").queryTableView();
        waitUntil(() -> table.getItems().stream().anyMatch(r -> r.toString().contains("sleep 300")));
        assertThat(table.getColumns().stream().map(col -> col.getText())).contains("PID");

        robot.clickOn("#details-tab-changes");
        @SuppressWarnings("unchecked")
        var tree = (javafx.scene.control.TreeView<ChangesView.Change>) robot.lookup("#details-changes-tree").query();
        waitUntil(() -> tree.getRoot() != null && tree.getRoot().getChildren().stream()
                .anyMatch(i -> i.getValue().path().equals("/made-here") && i.getValue().mark().equals("A")));

        robot.clickOn("#details-tab-inspect");
        robot.clickOn("#details-inspect-search").write("Hostname");
        @SuppressWarnings("unchecked")
        var inspect = (javafx.scene.control.TreeView<dev.berth.app.images.JsonTree.Entry>) robot.lookup("#details-inspect-tree").query();
        waitUntil(() -> inspect.getSelectionModel().getSelectedItem() != null);
        assertThat(inspect.getSelectionModel().getSelectedItem().getValue().key()).startsWith("Hostname");
    }

    @Test
    void attachTabJoinsTheTtyOfAContainerRunWithIt(FxRobot robot) {
        Container c = run("attach", CreateRequest.builder("busybox").tty(true).openStdin(true).cmd("sh"));
        robot.interact(() -> pane.show(c.id()));
        waitUntil(() -> robot.lookup("#details-attach").query().isVisible());
        TerminalTab[] tab = new TerminalTab[1];
        robot.interact(() -> tab[0] = pane.openAttach());
        waitUntil(() -> tab[0].connector() != null);
        robot.clickOn("#details-terminal-pane");
        robot.write("echo attached-$((40+2))");
        robot.type(KeyCode.ENTER);
        waitUntil(() -> tab[0].screenText().lines().anyMatch(l -> l.strip().equals("attached-42")),
                () -> "screen:\n" + tab[0].screenText());
    }

    static boolean readable(Path link) {
        try {
            Files.readSymbolicLink(link);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static long inode(Path link) throws IOException {
        String s = Files.readSymbolicLink(link).toString();
        return Long.parseLong(s.substring(s.indexOf('[') + 1, s.indexOf(']')));
    }

    static void snapshot(Scene scene, String name) throws Exception {
        Path dir = Path.of(System.getProperty("user.dir")).resolve("..").resolve("screenshots").normalize();
        Files.createDirectories(dir);
        WritableImage[] image = new WritableImage[1];
        WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(() -> image[0] = scene.snapshot(null)));
        ImageIO.write(SwingFXUtils.fromFXImage(image[0], null), "png", dir.resolve(name).toFile());
    }

    static void waitUntil(BooleanSupplier condition) {
        waitUntil(condition, 20);
    }

    static void waitUntil(BooleanSupplier condition, java.util.function.Supplier<String> what) {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition::getAsBoolean);
        } catch (TimeoutException e) {
            throw new AssertionError("condition not met within 20 s: " + what.get(), e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    static void waitUntil(BooleanSupplier condition, int seconds) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition::getAsBoolean);
        } catch (TimeoutException e) {
            throw new AssertionError("condition not met within " + seconds + " s", e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }
}
