package dev.berth.app.containers;

import dev.berth.app.shell.AppShell;
import dev.berth.app.shell.Page;
import dev.berth.app.testing.EmbeddedShell;
import dev.berth.testkit.LocalImages;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.berth.app.testing.Gui.label;
import static dev.berth.app.testing.Gui.shown;
import static dev.berth.app.testing.Gui.snapshot;
import static dev.berth.app.testing.Gui.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Containers pane in the real window under Xvfb, on an embedded engine serving its socket,
 * with real runc containers from a locally built busybox image. Every container a test makes is
 * removed after it.
 */
@ExtendWith(ApplicationExtension.class)
class ContainersPaneTest {

    /** Ends on SIGTERM at once (a plain {@code sleep} as PID 1 ignores it and waits for the stop timeout). */
    private static final String QUICK_TO_STOP = "sh -c 'trap \"exit 0\" TERM; while true; do sleep 1; done'";

    @TempDir
    Path tmp;

    private EmbeddedShell app;
    private AppShell shell;

    @Start
    void start(Stage stage) {
        app = EmbeddedShell.show(stage, tmp, b -> LocalImages.busybox(b.engine(), tmp.resolve("busybox"), "busybox:latest"));
        shell = app.shell();
    }

    @AfterEach
    void removeContainersAndClose() {
        try {
            if (app != null) {
                app.removeContainers();
            }
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    private ContainersViewModel vm() {
        return shell.viewModel().containers();
    }

    private void openPane(FxRobot robot) {
        waitUntil(() -> vm().loadedProperty().get());
        robot.clickOn("#nav-containers");
    }

    @Test
    void runFromTheDialogSeeItRunningStopItAndRemoveIt(FxRobot robot) {
        openPane(robot);
        assertThat(shown(robot.lookup("#containers-empty-title").query())).isTrue();

        robot.clickOn("#containers-run");
        Button run = robot.lookup("#run-start").queryButton();
        assertThat(run.isDisabled()).isTrue();
        ComboBox<String> image = robot.lookup("#run-image").queryComboBox();
        waitUntil(() -> image.getItems().contains("busybox:latest"));
        robot.clickOn(image.getEditor()).write("BusyBox");
        waitUntil(() -> label(robot, "#run-error-image").isVisible());
        assertThat(label(robot, "#run-error-image").getText()).contains("must be lowercase");
        assertThat(run.isDisabled()).isTrue();
        robot.interact(() -> image.getEditor().clear());
        robot.clickOn(image.getEditor()).write("busybox:latest");
        waitUntil(() -> !label(robot, "#run-error-image").isVisible());
        robot.clickOn("#run-name").write("web");
        robot.clickOn("#run-command").write("sh -c 'sleep 300'");
        assertThat(run.isDisabled()).isFalse();

        // inline validation: the problem under the field, Run disabled until it is fixed
        robot.clickOn("#run-memory").write("12q");
        assertThat(label(robot, "#run-error-memory").isVisible()).isTrue();
        assertThat(label(robot, "#run-error-memory").getText())
                .isEqualTo("Not a memory size: 12q. Write a number with a unit, e.g. 256m or 1g.");
        assertThat(run.isDisabled()).isTrue();
        robot.interact(() -> robot.lookup("#run-memory").queryAs(TextField.class).setText("64m"));
        assertThat(label(robot, "#run-error-memory").isVisible()).isFalse();
        assertThat(run.isDisabled()).isFalse();

        robot.clickOn(run);
        waitUntil(() -> robot.lookup("#run-dialog").tryQuery().isEmpty());
        waitUntil(() -> row("web").map(r -> r.state() == ContainerState.RUNNING).orElse(false));
        TableView<ContainersViewModel.Row> table = robot.lookup("#containers-table").queryTableView();
        waitUntil(() -> table.getSelectionModel().getSelectedItems().size() == 1
                && table.getSelectionModel().getSelectedItem().container().name().equals("web"));
        assertThat(shown(table)).isTrue();
        ContainerSummary web = row("web").orElseThrow().container();
        assertThat(web.command()).isEqualTo("sh -c sleep 300");
        assertThat(web.image()).contains("busybox");
        assertThat(app.backend().engine().containers().inspect(web.id()).hostConfig().resources().memory()).isEqualTo(64L * 1024 * 1024);
        assertThat(stateCellText(robot, "web")).isEqualTo("Running");
        waitUntil(() -> row("web").orElseThrow().statsProperty().get() != null);

        // the selected container's details below the table: a terminal into it, `echo hi` answered
        var details = shell.view().containerDetails();
        waitUntil(() -> details.viewModel().inspect().valueProperty().get() != null);
        waitUntil(() -> !robot.lookup("#details-open-terminal").queryButton().isDisabled());
        robot.clickOn("#details-open-terminal");
        try {
            waitUntil(() -> details.terminals().size() == 1 && details.terminals().get(0).screenText().contains("#"));
        } catch (AssertionError e) {
            throw new AssertionError("terminals: " + details.terminals().size() + (details.terminals().isEmpty() ? ""
                    : ", state " + details.terminals().get(0).stateProperty().get() + ", screen:\n"
                    + details.terminals().get(0).screenText()), e);
        }
        robot.clickOn("#details-terminal-pane");
        robot.write("echo hi");
        robot.type(KeyCode.ENTER);
        waitUntil(() -> details.terminals().get(0).screenText().lines().anyMatch(l -> l.strip().equals("hi")));

        robot.clickOn("#containers-stop");
        waitUntil(() -> row("web").map(r -> r.state() == ContainerState.EXITED).orElse(false));
        assertThat(stateCellText(robot, "web")).isEqualTo("Exited");
        assertThat(label(robot, "#containers-status").getText()).isEqualTo("Stopped web.");
        waitUntil(() -> row("web").orElseThrow().statsProperty().get() == null);

        robot.clickOn(rowNode(robot, "web"));
        robot.clickOn("#containers-remove");
        assertThat(label(robot, "#containers-remove-dialog .dialog-heading").getText()).isEqualTo("Remove web?");
        assertThat(robot.lookup("#containers-remove-running").query().isVisible()).isFalse();
        robot.clickOn("#containers-remove-confirm");
        waitUntil(() -> vm().allRows().isEmpty());
        assertThat(shown(robot.lookup("#containers-empty-title").query())).isTrue();
    }

    @Test
    void bulkStopAndRemoveOfTwoFilterAndShowStopped(FxRobot robot) throws IOException {
        openPane(robot);
        ContainersClient client = new ContainersClient(app.backend().api());
        for (String name : List.of("alpha", "beta")) {
            RunRequest r = new RunRequest("busybox", name, QUICK_TO_STOP, List.of(), "", "", "no", "", false, false, false,
                    List.of(), List.of(), "");
            client.start(client.create(r.toCreateBody(), name));
        }
        RunRequest done = new RunRequest("busybox", "gamma", "true", List.of(), "", "", "no", "", false, false, false,
                List.of(), List.of(), "");
        client.start(client.create(done.toCreateBody(), "gamma"));
        waitUntil(() -> state("alpha") == ContainerState.RUNNING && state("beta") == ContainerState.RUNNING
                && state("gamma") == ContainerState.EXITED);
        TableView<ContainersViewModel.Row> table = robot.lookup("#containers-table").queryTableView();
        assertThat(names(table)).containsExactlyInAnyOrder("alpha", "beta", "gamma");
        waitUntil(() -> row("alpha").orElseThrow().statsProperty().get() != null
                && row("beta").orElseThrow().statsProperty().get() != null);
        robot.moveTo("#status-bar");
        waitUntil(() -> label(robot, "#status-tasks").getText().isEmpty());
        snapshot(shell.scene(), "containers-pane.png");

        robot.clickOn("#containers-filter").write("alp");
        waitUntil(() -> names(table).equals(List.of("alpha")));
        robot.interact(() -> robot.lookup("#containers-filter").queryAs(TextField.class).clear());
        robot.clickOn("#containers-show-stopped");
        waitUntil(() -> names(table).size() == 2);
        assertThat(names(table)).containsExactlyInAnyOrder("alpha", "beta");
        assertThat(label(robot, "#containers-count").getText()).isEqualTo("2 of 3 containers, 2 running");

        robot.clickOn(rowNode(robot, "alpha"));
        robot.press(KeyCode.CONTROL).clickOn(rowNode(robot, "beta")).release(KeyCode.CONTROL);
        assertThat(table.getSelectionModel().getSelectedItems()).hasSize(2);
        assertThat(robot.lookup("#containers-start").queryButton().isDisabled()).isTrue();
        robot.clickOn("#containers-stop");
        waitUntil(() -> state("alpha") == ContainerState.EXITED && state("beta") == ContainerState.EXITED);
        // stopped ones are hidden while "show stopped" is off
        waitUntil(() -> names(table).isEmpty());

        robot.clickOn("#containers-show-stopped");
        waitUntil(() -> names(table).size() == 3);
        robot.interact(() -> {
            table.getSelectionModel().clearSelection();
            table.getItems().stream().filter(r -> !r.container().name().equals("gamma")).forEach(r -> table.getSelectionModel().select(r));
        });
        robot.rightClickOn(rowNode(robot, "alpha"));
        robot.clickOn("#containers-menu-remove");
        assertThat(label(robot, "#containers-remove-dialog .dialog-heading").getText()).isEqualTo("Remove 2 containers?");
        robot.clickOn("#containers-remove-volumes");
        robot.clickOn("#containers-remove-confirm");
        waitUntil(() -> names(table).equals(List.of("gamma")));
        assertThat(client.list(true)).extracting(ContainerSummary::name).containsExactly("gamma");

        // Prune names what it removes, asks, then says what it did
        robot.clickOn("#containers-prune");
        assertThat(label(robot, "#containers-prune-body").getText()).contains(": gamma.");
        robot.clickOn("#containers-prune-confirm");
        waitUntil(() -> vm().allRows().isEmpty());
        assertThat(label(robot, "#containers-status").getText()).startsWith("Removed 1 stopped container(s), ");
        assertThat(client.list(true)).isEmpty();
        assertThat(robot.lookup("#containers-prune").queryButton().isDisabled()).isTrue();
    }

    @Test
    void aNetworkAndAVolumeMadeInTheirPanesThenRunFromImagesWithThemAndAPortServesFromTheVolume(FxRobot robot) throws Exception {
        waitUntil(() -> vm().loadedProperty().get() && !shell.viewModel().images().allRows().isEmpty());
        // a network and a volume made in their panes
        waitUntil(() -> shell.viewModel().networks().backendProperty().get() != null
                && shell.viewModel().volumes().loadedProperty().get());
        robot.clickOn("#nav-networks");
        robot.clickOn("#networks-create");
        robot.clickOn("#networks-create-name").write("appnet");
        waitUntil(() -> !robot.lookup("#networks-create-confirm").queryButton().isDisabled());
        robot.clickOn("#networks-create-confirm");
        waitUntil(() -> exists(() -> app.backend().engine().networks().get("appnet")));
        robot.clickOn("#nav-volumes");
        robot.clickOn("#volumes-create");
        waitUntil(() -> robot.lookup("#volumes-create-name").tryQuery().isPresent());
        robot.clickOn("#volumes-create-name").write("data");
        waitUntil(() -> !robot.lookup("#volumes-create-confirm").queryButton().isDisabled());
        robot.clickOn("#volumes-create-confirm");
        waitUntil(() -> exists(() -> app.backend().engine().volumes().inspect("data", false)));
        int port;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        robot.clickOn("#nav-images");
        robot.clickOn(robot.lookup(".table-row-cell").match(n -> n instanceof TableRow<?> r && r.getItem() != null).queryAs(Node.class));
        robot.clickOn("#images-run");
        ComboBox<String> image = robot.lookup("#run-image").queryComboBox();
        assertThat(image.getEditor().getText()).endsWith("busybox:latest");

        robot.clickOn("#run-name").write("a");
        assertThat(label(robot, "#run-error-name").getText()).startsWith("Invalid name a:");
        robot.write("pp");
        assertThat(label(robot, "#run-error-name").isVisible()).isFalse();
        robot.interact(() -> robot.lookup("#run-command").queryAs(TextField.class)
                .setText("sh -c 'echo \"hello $GREETING\" > /srv/data/index.html; exec httpd -f -p 80 -h /srv/data'"));
        add(robot, "#run-env-add");
        robot.write("GREETING");
        robot.clickOn(robot.lookup(".run-env-value").queryAs(TextField.class)).write("from the volume");
        add(robot, "#run-ports-add");
        robot.write("127.0.0.1:" + port + ":80x");
        assertThat(label(robot, "#run-error-ports").getText())
                .isEqualTo("Row 1: Not a port number (1 to 65535): 80x in 127.0.0.1:" + port + ":80x.");
        robot.type(KeyCode.BACK_SPACE);
        assertThat(label(robot, "#run-error-ports").isVisible()).isFalse();
        add(robot, "#run-volumes-add");
        robot.write("data");
        robot.clickOn(robot.lookup(".run-volume-target").queryAs(TextField.class)).write("srv");
        assertThat(label(robot, "#run-error-volumes").getText())
                .isEqualTo("Volume 1: the container path srv must be absolute (start with /).");
        assertThat(robot.lookup("#run-start").queryButton().isDisabled()).isTrue();
        TextField target = robot.lookup(".run-volume-target").queryAs(TextField.class);
        robot.interact(() -> target.setText("/srv/data"));
        assertThat(robot.lookup("#run-start").queryButton().isDisabled()).isFalse();
        // the engine's networks are offered once it has answered
        @SuppressWarnings("unchecked")
        ComboBox<String> network = robot.lookup("#run-network").queryAs(ComboBox.class);
        waitUntil(() -> network.getItems().contains("appnet"));
        robot.interact(() -> network.getSelectionModel().select("appnet"));
        snapshot(robot.lookup("#run-dialog").query().getScene(), "run-dialog.png");

        robot.clickOn("#run-start");
        waitUntil(() -> robot.lookup("#run-dialog").tryQuery().isEmpty());

        // the Containers pane, with the new container selected
        waitUntil(() -> shell.viewModel().pageProperty().get() == Page.CONTAINERS);
        TableView<ContainersViewModel.Row> table = robot.lookup("#containers-table").queryTableView();
        waitUntil(() -> table.getSelectionModel().getSelectedItem() != null
                && table.getSelectionModel().getSelectedItem().container().name().equals("app"));
        String id = table.getSelectionModel().getSelectedItem().id();
        var inspect = app.backend().engine().containers().inspect(id);
        assertThat(inspect.config().env()).contains("GREETING=from the volume");
        assertThat(app.backend().engine().containers().networkAttachment(id).orElseThrow().endpoints())
                .extracting(dev.berth.engine.network.Endpoint::network).containsExactly("appnet");
        assertThat(app.backend().engine().volumes().users("data")).contains(id);
        // the published port answers from the host with the file the container wrote into the volume
        waitUntil(() -> httpGet(port).contains("hello from the volume"));
        assertThat(stateCellText(robot, "app")).isEqualTo("Running");
        assertThat(cellText(robot, "app", "containers-col-ports")).contains(Integer.toString(port));
    }

    private static boolean exists(Runnable lookup) {
        try {
            lookup.run();
            return true;
        } catch (dev.berth.engine.errors.EngineException.NotFound e) {
            return false;
        }
    }

    private static String httpGet(int port) {
        try (var s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(2000);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Presses an Add button of the Run dialog (it may be scrolled out of sight); the new row's first field has the focus. */
    private static void add(FxRobot robot, String query) {
        robot.interact(() -> robot.lookup(query).queryButton().fire());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private Optional<ContainersViewModel.Row> row(String name) {
        return vm().allRows().stream().filter(r -> r.container().name().equals(name)).findFirst();
    }

    private ContainerState state(String name) {
        return row(name).map(ContainersViewModel.Row::state).orElse(null);
    }

    private static List<String> names(TableView<ContainersViewModel.Row> table) {
        return table.getItems().stream().map(r -> r.container().name()).toList();
    }

    private static Node rowNode(FxRobot robot, String name) {
        return robot.lookup(".table-row-cell").match(n -> n instanceof TableRow<?> r && r.getItem() instanceof ContainersViewModel.Row row
                && row.container().name().equals(name)).query();
    }

    private static String stateCellText(FxRobot robot, String name) {
        return cellText(robot, name, "containers-col-state");
    }

    private static String cellText(FxRobot robot, String name, String columnId) {
        WaitForAsyncUtils.waitForFxEvents();
        return robot.from(rowNode(robot, name)).lookup((java.util.function.Predicate<Node>) n -> n instanceof TableCell<?, ?> c && c.getTableColumn() != null
                && columnId.equals(c.getTableColumn().getId())).queryLabeled().getText();
    }
}
