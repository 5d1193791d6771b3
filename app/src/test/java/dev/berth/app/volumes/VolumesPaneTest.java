package dev.berth.app.volumes;

import dev.berth.app.volumes.VolumeBrowserDialog.Item;
import dev.berth.app.volumes.VolumesClient.Volume;
import dev.berth.app.testing.EmbeddedShell;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
import javafx.scene.control.TreeView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.berth.app.testing.Gui.shown;
import static dev.berth.app.testing.Gui.snapshot;
import static dev.berth.app.testing.Gui.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Volumes pane in the real window under Xvfb, on an embedded engine that serves its API
 * socket: create (with inline checks), list with size, browse a volume's files (directories read
 * when opened, a link out of the volume shown and never followed), inspect, remove refused while
 * in use, remove.
 */
@ExtendWith(ApplicationExtension.class)
class VolumesPaneTest {

    static final String CONTAINER = "f".repeat(64);

    @TempDir
    Path tmp;

    private EmbeddedShell app;

    @Start
    void start(Stage stage) {
        app = EmbeddedShell.show(stage, tmp);
    }

    @AfterEach
    void closeShell() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void createBrowseInspectAndRemoveAVolumeThroughThePane(FxRobot robot) throws Exception {
        waitUntil(() -> app.shell().viewModel().volumes().loadedProperty().get());
        robot.clickOn("#nav-volumes");
        assertThat(shown(robot.lookup("#volumes-empty-title").query())).isTrue();

        robot.clickOn("#volumes-create");
        waitUntil(() -> robot.lookup("#volumes-create-name").tryQuery().isPresent());
        robot.clickOn("#volumes-create-name").write("x");
        Button confirm = robot.lookup("#volumes-create-confirm").queryButton();
        waitUntil(() -> validation(robot).contains("at least two characters"),
                () -> "validation says \"" + validation(robot) + "\", name field has \""
                        + robot.lookup("#volumes-create-name").queryAs(javafx.scene.control.TextField.class).getText() + "\"");
        assertThat(confirm.isDisabled()).isTrue();
        // (the field selects its text when its window gets the focus back: set the rest directly)
        robot.interact(() -> robot.lookup("#volumes-create-name").queryAs(javafx.scene.control.TextField.class).appendText("-site"));
        robot.clickOn("#volumes-create-labels").write("app=shop");
        waitUntil(() -> !confirm.isDisabled(), () -> "validation says \"" + validation(robot) + "\", name field has \""
                + robot.lookup("#volumes-create-name").queryAs(javafx.scene.control.TextField.class).getText() + "\", labels \""
                + robot.lookup("#volumes-create-labels").queryAs(javafx.scene.control.TextArea.class).getText() + "\"");
        robot.clickOn(confirm);
        TableView<Volume> table = robot.lookup("#volumes-table").queryTableView();
        waitUntil(() -> row(table, "x-site").isPresent());
        assertThat(row(table, "x-site").orElseThrow().labels()).containsEntry("app", "shop");
        assertThat(shown(robot.lookup("#volumes-empty-title").query())).isFalse();

        // fill the volume's data as a container would, with a link pointing out of it
        Path data = app.backend().engine().volumes().inspect("x-site").mountpoint();
        Files.writeString(data.resolve("index.html"), "<h1>shop</h1>\n".repeat(100));
        Files.createDirectories(data.resolve("assets/img"));
        Files.write(data.resolve("assets/logo.png"), new byte[5_000]);
        Files.createSymbolicLink(data.resolve("escape"), Path.of("/etc"));

        // a tmpfs volume; its creation event also refreshes the list, with the new sizes
        robot.clickOn("#volumes-create");
        robot.clickOn("#volumes-create-name").write("cache");
        robot.clickOn("#volumes-create-tmpfs");
        robot.clickOn("#volumes-create-size").write("8m");
        robot.clickOn("#volumes-create-confirm");
        waitUntil(() -> row(table, "cache").isPresent());
        assertThat(row(table, "cache").orElseThrow().options()).containsEntry("type", "tmpfs").containsEntry("o", "size=8m");
        assertThat(row(table, "x-site").orElseThrow().size()).isEqualTo(1_400 + 5_000);
        assertThat(row(table, "x-site").orElseThrow().mountpoint()).isEqualTo(data.toString());
        robot.interact(() -> table.getSelectionModel().select(row(table, "x-site").orElseThrow()));
        snapshot(table.getScene(), "volumes-pane.png");

        // browse: the top is read at once, a folder when opened
        robot.clickOn("#volumes-browse");
        waitUntil(() -> robot.lookup("#volumes-browser-tree").tryQuery().isPresent());
        TreeTableView<Item> tree = robot.lookup("#volumes-browser-tree").queryAs(TreeTableView.class);
        waitUntil(() -> tree.getRoot().getChildren().size() == 3);
        assertThat(names(tree.getRoot())).containsExactly("assets", "escape", "index.html");
        Item index = tree.getRoot().getChildren().get(2).getValue();
        assertThat(index.entry().size()).isEqualTo(1_400);
        assertThat(index.path()).isEqualTo("/index.html");
        assertThat(tree.getRoot().getChildren().get(1).getValue().entry().type()).isEqualTo("symlink");
        assertThat(tree.getRoot().getChildren().get(1).isLeaf()).isTrue();
        TreeItem<Item> assets = tree.getRoot().getChildren().getFirst();
        assertThat(assets.getChildren()).isEmpty();
        robot.interact(() -> assets.setExpanded(true));
        waitUntil(() -> assets.getChildren().size() == 2);
        assertThat(names(assets)).containsExactly("img", "logo.png");
        assertThat(assets.getChildren().get(1).getValue().entry().size()).isEqualTo(5_000);
        assertThat(assets.getChildren().get(1).getValue().path()).isEqualTo("/assets/logo.png");
        snapshot(tree.getScene(), "volume-browser.png");
        robot.clickOn("#volumes-browser-close");

        // inspect
        robot.clickOn("#volumes-inspect");
        waitUntil(() -> robot.lookup("#inspect-tree").tryQuery().isPresent());
        TreeView<?> json = robot.lookup("#inspect-tree").queryAs(TreeView.class);
        assertThat(json.getRoot().getChildren()).extracting(i -> i.getValue().toString()).anyMatch(s -> s.contains("Mountpoint"));
        robot.clickOn("#inspect-close");

        // remove: refused while a container uses it, then done
        app.backend().engine().volumes().acquire("x-site", CONTAINER);
        try {
            robot.clickOn("#volumes-remove");
            robot.clickOn("#volumes-remove-confirm");
            Label status = robot.lookup("#volumes-status").queryAs(Label.class);
            waitUntil(() -> status.getText().contains("volume is in use"));
            assertThat(status.getText()).startsWith("Conflict: ").contains(CONTAINER);
            assertThat(Files.exists(data.resolve("index.html"))).isTrue();
        } finally {
            app.backend().engine().volumes().release("x-site", CONTAINER);
        }
        robot.clickOn("#volumes-remove");
        robot.clickOn("#volumes-remove-confirm");
        waitUntil(() -> row(table, "x-site").isEmpty());
        assertThat(Files.exists(data)).isFalse();
        assertThat(Files.isDirectory(Path.of("/etc"))).isTrue();
    }

    private static List<String> names(TreeItem<Item> dir) {
        return dir.getChildren().stream().map(i -> i.getValue().entry().name()).toList();
    }

    private static String validation(FxRobot robot) {
        return robot.lookup("#volumes-create-validation").queryAs(Label.class).getText();
    }

    private static Optional<Volume> row(TableView<Volume> table, String name) {
        return table.getItems().stream().filter(v -> v.name().equals(name)).findFirst();
    }
}
