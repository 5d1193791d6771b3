package dev.berth.app.images;

import dev.berth.app.Bundles;
import dev.berth.app.testing.EmbeddedShell;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.Layer;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.WithRegistry;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
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

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static dev.berth.app.testing.Gui.label;
import static dev.berth.app.testing.Gui.shown;
import static dev.berth.app.testing.Gui.snapshot;
import static dev.berth.app.testing.Gui.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pulling, tagging, inspecting and removing through the Images pane in the real window, on an
 * embedded engine with a temp root, from a real docker-registry on 127.0.0.1.
 */
@WithRegistry
@ExtendWith(ApplicationExtension.class)
class ImagesPullTest {

    LocalRegistry registry;

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
    void pullTagInspectLayersAndRemoveThroughThePane(FxRobot robot) throws IOException {
        BusyboxImage.build(tmp.resolve("busybox")).pushTo(registry, "busybox:latest");
        BusyboxImage.builder()
                .layer(Layer.builder().createdBy("COPY app /srv/app").file("srv/app/index.html", "<h1>berth</h1>\n".repeat(2000)).build())
                .cmd("httpd", "-f", "-h", "/srv/app")
                .build(tmp.resolve("app")).pushTo(registry, "tools/web:1.0");
        String busybox = registry.host() + "/busybox";
        String web = registry.host() + "/tools/web";
        waitUntil(() -> app.shell().viewModel().images().backendProperty().get() != null);
        robot.clickOn("#nav-images");
        assertThat(shown(label(robot, "#images-empty-title"))).isTrue();

        pull(robot, busybox + ":latest");
        ListView<PullProgressModel.Layer> layers = robot.lookup("#pull-layers").queryListView();
        assertThat(layers.getItems()).isNotEmpty().allMatch(l -> l.phase().finished() && l.fraction() == 1.0);
        assertThat(robot.lookup("#pull-overall").queryAs(ProgressBar.class).getProgress()).isEqualTo(1.0);
        assertThat(label(robot, "#pull-message").getText()).startsWith("Pulled " + busybox + ":latest (image ");
        robot.clickOn("#pull-cancel"); // "Close" once done
        TableView<ImagesViewModel.Row> table = robot.lookup("#images-table").queryTableView();
        waitUntil(() -> row(table, busybox, "latest").isPresent());
        assertThat(shown(label(robot, "#images-empty-title"))).isFalse();
        assertThat(shown(table)).isTrue();
        ImagesViewModel.Row pulled = row(table, busybox, "latest").orElseThrow();
        assertThat(pulled.shortId()).hasSize(12);
        assertThat(pulled.size()).isGreaterThan(0);

        pull(robot, web + ":1.0");
        // the base layer is there already: one row says so, the new layer is downloaded
        ListView<PullProgressModel.Layer> webLayers = robot.lookup("#pull-layers").queryListView();
        assertThat(webLayers.getItems()).extracting(PullProgressModel.Layer::phase)
                .contains(ImageProgress.Phase.ALREADY_EXISTS).hasSize(2);
        snapshot(robot.lookup("#pull-dialog").query().getScene(), "pull-dialog.png");
        robot.clickOn("#pull-cancel");
        waitUntil(() -> row(table, web, "1.0").isPresent());

        // Tag… from the context menu
        robot.rightClickOn(rowNode(robot, r -> r.repository().equals(busybox)));
        robot.clickOn("#images-menu-tag");
        TextField target = robot.lookup("#tag-target").queryAs(TextField.class);
        robot.interact(target::clear);
        robot.clickOn(target).write("mybox:v2");
        waitUntil(() -> !robot.lookup("#tag-apply").queryButton().isDisabled());
        robot.clickOn("#tag-apply");
        waitUntil(() -> row(table, "mybox", "v2").isPresent());
        assertThat(row(table, "mybox", "v2").orElseThrow().image().id()).isEqualTo(pulled.image().id());
        robot.moveTo("#status-bar");
        waitUntil(() -> label(robot, "#status-tasks").getText().isEmpty());
        snapshot(app.shell().scene(), "images-pane.png");

        // Inspect: the JSON tree, searchable
        robot.clickOn(rowNode(robot, r -> r.repository().equals(busybox)));
        robot.clickOn("#images-inspect");
        waitUntil(() -> robot.lookup("#inspect-tree").tryQuery().isPresent());
        robot.clickOn("#inspect-search").write("Cmd");
        TreeView<JsonTree.Entry> tree = robot.lookup("#inspect-tree").queryAs(TreeView.class);
        WaitForAsyncUtils.waitForFxEvents();
        JsonTree.Entry found = tree.getSelectionModel().getSelectedItem().getValue();
        assertThat(found.key()).isEqualTo("Cmd");
        assertThat(found.path()).endsWith(".Config.Cmd");
        assertThat(found.node().toString()).isEqualTo("[\"sh\"]");
        assertThat(label(robot, "#inspect-matches").getText()).matches("1 of \\d+");
        robot.clickOn("#inspect-close");

        // Layers: sizes, and the base layer shared with the busybox image
        robot.clickOn(rowNode(robot, r -> r.repository().equals(web)));
        robot.clickOn("#images-layers");
        waitUntil(() -> robot.lookup("#layers-table").tryQuery().isPresent());
        TableView<ImageLayer> history = robot.lookup("#layers-table").queryTableView();
        List<ImageLayer> withLayers = history.getItems().stream().filter(ImageLayer::hasLayer).toList();
        assertThat(withLayers).hasSize(2);
        assertThat(withLayers).allMatch(l -> l.size() > 0);
        ImageLayer top = withLayers.getFirst();
        ImageLayer base = withLayers.getLast();
        assertThat(top.createdBy()).isEqualTo("COPY app /srv/app");
        assertThat(top.sharedWith()).isZero();
        assertThat(base.sharedWith()).isEqualTo(1);
        assertThat(robot.lookup(".table-cell").match(n -> n instanceof javafx.scene.control.Labeled l
                && Formats.size(base.size()).equals(l.getText())).tryQuery()).isPresent();
        assertThat(robot.lookup(".table-cell.shared").queryLabeled().getText()).isEqualTo("With 1 other image");
        robot.clickOn("#layers-close");

        // Remove, with the confirm dialog: the extra tag goes, the image stays under its first one
        robot.rightClickOn(rowNode(robot, r -> r.repository().equals("mybox")));
        robot.clickOn("#images-menu-remove");
        assertThat(label(robot, "#remove-dialog .dialog-heading").getText()).isEqualTo("Remove mybox:v2?");
        robot.clickOn("#remove-confirm");
        waitUntil(() -> row(table, "mybox", "v2").isEmpty());
        assertThat(row(table, busybox, "latest")).isPresent();
        assertThat(label(robot, "#images-status").getText()).isEqualTo("Untagged mybox:v2; the image stays under its other tags.");

        // Prune asks first, then says what it reclaimed: nothing is dangling here, so nothing goes
        robot.clickOn("#images-prune");
        robot.clickOn("#prune-confirm");
        waitUntil(() -> robot.lookup("#prune-result").query().isVisible());
        assertThat(label(robot, "#prune-result").getText()).isEqualTo("Removed 0 image(s); 0 B reclaimed.");
        robot.clickOn("#prune-cancel");
        assertThat(table.getItems()).hasSize(2);
    }

    @Test
    void anUnknownTagSaysInPlainWordsThatTheImageDoesNotExist(FxRobot robot) throws IOException {
        BusyboxImage.build(tmp.resolve("busybox")).pushTo(registry, "busybox:latest");
        waitUntil(() -> app.shell().viewModel().images().backendProperty().get() != null);
        robot.clickOn("#nav-images");
        robot.clickOn("#images-pull");
        robot.clickOn("#pull-reference").write(registry.host() + "/busybox:no-such-tag");
        waitUntil(() -> !robot.lookup("#pull-start").queryButton().isDisabled());
        robot.clickOn("#pull-start");
        String prefix = Bundles.en("pull.error.notFound").replace("{0}", "");
        waitUntil(() -> label(robot, "#pull-message").getText().startsWith(prefix));
        assertThat(label(robot, "#pull-message").getText()).contains("no-such-tag");
        assertThat(robot.lookup("#pull-login").query().isVisible()).isFalse();
        robot.clickOn("#pull-cancel");
        assertThat(app.shell().viewModel().images().allRows()).isEmpty();
    }

    private static void pull(FxRobot robot, String reference) {
        robot.clickOn("#images-pull");
        robot.clickOn("#pull-reference").write(reference);
        waitUntil(() -> !robot.lookup("#pull-start").queryButton().isDisabled());
        robot.clickOn("#pull-start");
        waitUntil(() -> label(robot, "#pull-message").getText().startsWith("Pulled ")
                || label(robot, "#pull-message").getText().contains(":") && !label(robot, "#pull-message").getText().startsWith("Pulling"));
        assertThat(label(robot, "#pull-message").getText()).startsWith("Pulled ");
    }

    private static Optional<ImagesViewModel.Row> row(TableView<ImagesViewModel.Row> table, String repository, String tag) {
        return table.getItems().stream().filter(r -> r.repository().equals(repository) && r.tag().equals(tag)).findFirst();
    }

    @SuppressWarnings("unchecked")
    private static TableRow<ImagesViewModel.Row> rowNode(FxRobot robot, Predicate<ImagesViewModel.Row> which) {
        return robot.lookup("#images-table .table-row-cell")
                .match(n -> n instanceof TableRow<?> r && r.getItem() instanceof ImagesViewModel.Row row && which.test(row))
                .queryAs(TableRow.class);
    }
}
