package dev.berth.app.networks;

import dev.berth.app.networks.NetworksClient.Attached;
import dev.berth.app.networks.NetworksClient.Network;
import dev.berth.app.testing.EmbeddedShell;
import dev.berth.engine.network.Attachment;
import dev.berth.engine.network.EndpointRequest;
import dev.berth.engine.network.NetworkService;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.berth.app.testing.Gui.shown;
import static dev.berth.app.testing.Gui.snapshot;
import static dev.berth.app.testing.Gui.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Networks pane in the real window under Xvfb, on an embedded engine that serves its API
 * socket: create (with inline checks and the engine's refusal), list, attached containers,
 * inspect, remove refused while attached, remove.
 */
@ExtendWith(ApplicationExtension.class)
class NetworksPaneTest {

    static final String CONTAINER = "e".repeat(64);

    @TempDir
    Path tmp;

    private EmbeddedShell app;

    @Start
    void start(Stage stage) {
        app = EmbeddedShell.show(stage, tmp);
    }

    @AfterEach
    void closeShell() {
        try {
            if (app != null && app.backend() != null) {
                NetworkService networks = app.backend().engine().networks();
                for (Attachment a : networks.attachments()) {
                    networks.detach(a.containerId());
                }
            }
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void createListInspectAndRemoveANetworkThroughThePane(FxRobot robot) throws Exception {
        waitUntil(() -> app.shell().viewModel().networks().backendProperty().get() != null);
        robot.clickOn("#nav-networks");
        TableView<Network> table = robot.lookup("#networks-table").queryTableView();
        waitUntil(() -> table.getItems().size() == 3);
        assertThat(table.getItems()).extracting(Network::name).containsExactly("bridge", "host", "none");
        assertThat(shown(robot.lookup("#networks-empty-title").query())).isTrue();

        // create, with a mistake caught as it is typed
        robot.clickOn("#networks-create");
        robot.clickOn("#networks-create-name").write("web-net");
        robot.clickOn("#networks-create-subnet").write("10.99.50.0/24");
        robot.clickOn("#networks-create-gateway").write("10.99.51.1");
        Button confirm = robot.lookup("#networks-create-confirm").queryButton();
        waitUntil(() -> validation(robot).contains("10.99.51.1 is not a host address inside 10.99.50.0/24"));
        assertThat(confirm.isDisabled()).isTrue();
        robot.interact(() -> robot.lookup("#networks-create-gateway").queryAs(TextField.class).setText("10.99.50.1"));
        robot.clickOn("#networks-create-labels").write("team=shop");
        waitUntil(() -> !confirm.isDisabled());
        assertThat(validation(robot)).isEmpty();
        robot.clickOn(confirm);
        waitUntil(() -> row(table, "web-net").isPresent());
        Network created = row(table, "web-net").orElseThrow();
        assertThat(created.subnet()).isEqualTo("10.99.50.0/24");
        assertThat(created.gateway()).isEqualTo("10.99.50.1");
        assertThat(created.labels()).containsEntry("team", "shop");
        assertThat(robot.lookup("#networks-create-dialog").tryQuery()).isEmpty();
        assertThat(shown(robot.lookup("#networks-empty-title").query())).isFalse();

        // the engine's refusal (an overlapping subnet) is shown in the dialog, which stays open
        robot.clickOn("#networks-create");
        robot.clickOn("#networks-create-name").write("other");
        robot.clickOn("#networks-create-subnet").write("10.99.50.128/25");
        robot.clickOn("#networks-create-confirm");
        waitUntil(() -> validation(robot).contains("overlaps with network web-net"));
        robot.clickOn("#networks-create-cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(row(table, "other")).isEmpty();

        // a container joins: the pane follows the connect event and shows its address
        Attachment a = app.backend().engine().networks().attach(CONTAINER, "/shop", null, List.of(EndpointRequest.of("web-net")), List.of());
        String ip = a.endpoint("web-net").orElseThrow().ipAddress();
        waitUntil(() -> row(table, "web-net").map(n -> n.containers().size() == 1).orElse(false));
        robot.interact(() -> table.getSelectionModel().select(row(table, "web-net").orElseThrow()));
        TableView<Attached> attached = robot.lookup("#networks-attached").queryTableView();
        waitUntil(() -> attached.getItems().size() == 1);
        assertThat(attached.getItems().getFirst().name()).isEqualTo("shop");
        assertThat(attached.getItems().getFirst().ipv4Address()).isEqualTo(ip + "/24");
        assertThat(robot.lookup("#networks-attached-title").queryAs(Label.class).getText()).isEqualTo("Containers attached to web-net");
        snapshot(table.getScene(), "networks-pane.png");

        // inspect: the JSON tree
        robot.clickOn("#networks-inspect");
        waitUntil(() -> robot.lookup("#inspect-tree").tryQuery().isPresent());
        TreeView<?> tree = robot.lookup("#inspect-tree").queryAs(TreeView.class);
        assertThat(tree.getRoot().getChildren()).extracting(i -> i.getValue().toString()).anyMatch(s -> s.contains("Containers"));
        robot.clickOn("#inspect-close");

        // remove is refused while the container is attached, in plain words naming it
        robot.clickOn("#networks-remove");
        robot.clickOn("#networks-remove-confirm");
        Label status = robot.lookup("#networks-status").queryAs(Label.class);
        waitUntil(() -> status.getText().contains("has active endpoints"));
        assertThat(status.getText()).startsWith("Conflict: ").contains("shop");
        assertThat(status.getStyleClass()).contains("status-line-error");
        assertThat(row(table, "web-net")).isPresent();

        app.backend().engine().networks().detach(CONTAINER);
        waitUntil(() -> row(table, "web-net").map(n -> n.containers().isEmpty()).orElse(false));
        // the refresh replaced the rows; the selection stayed on web-net and its details followed
        waitUntil(() -> attached.getItems().isEmpty());
        assertThat(table.getSelectionModel().getSelectedItem().name()).isEqualTo("web-net");
        robot.rightClickOn(rowNode(robot, "web-net"));
        robot.clickOn("#networks-menu-remove");
        robot.clickOn("#networks-remove-confirm");
        waitUntil(() -> row(table, "web-net").isEmpty());
        assertThat(status.getText()).isEqualTo("Removed network web-net.");
        assertThat(app.backend().engine().networks().list(java.util.Map.of())).extracting(n -> n.name()).doesNotContain("web-net");
    }

    private static String validation(FxRobot robot) {
        return robot.lookup("#networks-create-validation").queryAs(Label.class).getText();
    }

    private static Optional<Network> row(TableView<Network> table, String name) {
        return table.getItems().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    private static TableRow<?> rowNode(FxRobot robot, String name) {
        return robot.lookup("#networks-table .table-row-cell")
                .match(n -> n instanceof TableRow<?> r && r.getItem() instanceof Network net && net.name().equals(name))
                .queryAs(TableRow.class);
    }
}
