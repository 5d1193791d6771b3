package dev.berth.app.builds;

import com.sun.javafx.scene.SceneHelper;
import com.sun.javafx.tk.TKClipboard;
import com.sun.javafx.tk.TKDropTargetListener;
import com.sun.javafx.tk.Toolkit;
import dev.berth.app.images.ImageLayer;
import dev.berth.app.images.ImagesClient;
import dev.berth.app.images.ImagesViewModel;
import dev.berth.app.shell.AppShell;
import dev.berth.app.shell.Page;
import dev.berth.app.testing.EmbeddedShell;
import dev.berth.testkit.LocalImages;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.DataFormat;
import javafx.scene.input.TransferMode;
import javafx.stage.Stage;
import javafx.util.Pair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static dev.berth.app.testing.Gui.snapshot;
import static dev.berth.app.testing.Gui.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drag a Dockerfile from a folder onto the real window under Xvfb, fill in the Build dialog, and
 * build on the busybox fixture through the embedded engine's socket; the new image ends up
 * selected in the Images pane and Run… is offered.
 *
 * <p>The drag enters through the scene's own drop-target entry point (the one the windowing
 * layer calls when a file manager drags files over the window) with a dragboard carrying a
 * {@code List<File>} as the toolkit's clipboards do, so JavaFX itself picks the target node and
 * fires DRAG_ENTERED, DRAG_OVER, DRAG_DROPPED through the window's handlers, and the accepted
 * transfer mode comes back as the windowing layer would see it.
 */
@ExtendWith(ApplicationExtension.class)
class DockerfileDropWindowTest {

    private static final String DOCKERFILE = """
            FROM busybox:latest AS base
            MAINTAINER Berth tests
            ARG GREETING=hello
            RUN echo "$GREETING from berth" > /greeting
            FROM base AS final
            CMD ["cat", "/greeting"]
            """;

    @TempDir
    Path tmp;

    private EmbeddedShell window;
    private AppShell shell;

    @Start
    void start(Stage stage) {
        window = EmbeddedShell.show(stage, tmp, b -> LocalImages.busybox(b.engine(), tmp.resolve("busybox"), "busybox:latest"));
        shell = window.shell();
    }

    @AfterEach
    void closeShell() {
        window.close();
    }

    @Test
    void dropADockerfileBuildItAndFindTheImageSelectedInImages(FxRobot robot) throws Exception {
        waitUntil(() -> shell.viewModel().builds().backendProperty().get() != null && window.backend() != null);
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path dockerfile = Files.writeString(project.resolve("Dockerfile"), DOCKERFILE);
        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("README.md"), "no Dockerfile here\n");
        Scene scene = shell.scene();
        Node overlay = robot.lookup("#drop-overlay").query();

        // a folder without a Dockerfile: not accepted, no overlay, and nothing opens on release
        Drag refused = new Drag(robot, scene, List.of(notes.toFile()));
        assertThat(refused.enter()).isNull();
        assertThat(refused.over()).isNull();
        assertThat(overlay.isVisible()).isFalse();
        refused.exit();
        assertThat(robot.lookup("#build-dialog").tryQuery()).isEmpty();

        // the Dockerfile: accepted as a copy while the overlay says "Drop to build"; leaving hides it
        Drag leaving = new Drag(robot, scene, List.of(dockerfile.toFile()));
        assertThat(leaving.enter()).isEqualTo(TransferMode.COPY);
        assertThat(overlay.isVisible()).isTrue();
        assertThat(robot.lookup("#drop-overlay-title").queryAs(Label.class).getText()).isEqualTo("Drop to build");
        leaving.exit();
        assertThat(overlay.isVisible()).isFalse();

        Drag drag = new Drag(robot, scene, List.of(dockerfile.toFile()));
        assertThat(drag.enter()).isEqualTo(TransferMode.COPY);
        assertThat(drag.over()).isEqualTo(TransferMode.COPY);
        assertThat(overlay.isVisible()).isTrue();
        snapshot(scene, "build-drop.png");
        assertThat(drag.drop()).isEqualTo(TransferMode.COPY);
        assertThat(overlay.isVisible()).isFalse();

        // the dialog, filled from the drop: the folder, the Dockerfile, its ARG and its stages
        waitUntil(() -> robot.lookup("#build-dialog").tryQuery().isPresent());
        TextField context = robot.lookup("#build-context").queryAs(TextField.class);
        assertThat(context.getText()).isEqualTo(project.toString());
        assertThat(robot.lookup("#build-dockerfile").queryAs(TextField.class).getText()).isEqualTo("Dockerfile");
        waitUntil(() -> robot.lookup(".build-arg-name").tryQuery().isPresent());
        assertThat(robot.lookup(".build-arg-name").queryAs(Label.class).getText()).isEqualTo("GREETING");
        TextField greeting = robot.lookup(".build-arg-value").queryAs(TextField.class);
        assertThat(greeting.getText()).isEqualTo("hello");
        ComboBox<String> target = robot.lookup("#build-target").queryComboBox();
        assertThat(target.getItems()).containsExactly("", "base", "final");
        Button build = robot.lookup("#build-start").queryButton();
        assertThat(build.isDisabled()).isFalse();

        // a bad tag is named under the field and blocks Build until it is fixed
        TextField tag = robot.lookup(".build-tag").queryAs(TextField.class);
        robot.clickOn(tag).write("Dropped:v1");
        Label tagError = robot.lookup("#build-error-tags").queryAs(Label.class);
        waitUntil(tagError::isVisible);
        assertThat(tagError.getText()).startsWith("Tag Dropped:v1: ").contains("must be lowercase");
        assertThat(build.isDisabled()).isTrue();
        robot.interact(() -> tag.setText("dropped:v1"));
        assertThat(tagError.isVisible()).isFalse();
        robot.interact(() -> greeting.setText("hi"));
        assertThat(build.isDisabled()).isFalse();
        snapshot(robot.lookup("#build-dialog").query().getScene(), "build-dialog.png");

        robot.clickOn(build);
        waitUntil(() -> robot.lookup("#build-dialog").tryQuery().isEmpty());
        assertThat(shell.viewModel().pageProperty().get()).isEqualTo(Page.BUILDS);
        BuildRun run = shell.viewModel().builds().selectedProperty().get();
        assertThat(run).isNotNull();
        assertThat(run.request().contextDir()).isEqualTo(project);
        assertThat(run.request().tags()).containsExactly("dropped:v1");
        assertThat(run.request().buildArgs()).containsExactly(java.util.Map.entry("GREETING", "hi"));
        waitUntil(() -> run.status().finished(), 120);
        assertThat(run.status()).as("build error: %s", run.errorProperty().get()).isEqualTo(BuildStatus.SUCCEEDED);
        String imageId = run.imageId();
        assertThat(imageId).startsWith("sha256:");
        // the build arg reached the engine: the RUN step's history names it, as Docker's does
        List<ImageLayer> history = ImagesClient.of(window.backend()).history(imageId);
        assertThat(history).anyMatch(l -> l.createdBy().contains("GREETING=hi"));

        // the Builds page shows the run with its own actions: no notice there; elsewhere it offers the image,
        // which Images already has selected
        Label notice = robot.lookup("#build-notice-message").queryAs(Label.class);
        Node noticeBar = robot.lookup("#build-notice").query();
        waitUntil(() -> notice.getText().equals("Built dropped:v1."));
        assertThat(noticeBar.isVisible()).isFalse();
        robot.clickOn("#nav-images");
        assertThat(noticeBar.isVisible()).isTrue();
        TableView<ImagesViewModel.Row> images = robot.lookup("#images-table").queryTableView();
        waitUntil(() -> images.getSelectionModel().getSelectedItem() != null
                && images.getSelectionModel().getSelectedItem().image().id().equals(imageId));
        ImagesViewModel.Row selected = images.getSelectionModel().getSelectedItem();
        assertThat(selected.repository()).isEqualTo("dropped");
        assertThat(selected.tag()).isEqualTo("v1");

        // Run… opens the Run dialog on the new image
        robot.clickOn("#build-notice-run");
        waitUntil(() -> robot.lookup("#run-dialog").tryQuery().isPresent());
        ComboBox<String> runImage = robot.lookup("#run-image").queryComboBox();
        assertThat(runImage.getEditor().getText()).isEqualTo("dropped:v1");
        assertThat(noticeBar.isVisible()).isFalse();
        robot.clickOn("#run-cancel");
    }

    @Test
    void aDroppedFolderWithAMalformedDockerfileOpensTheDialogNamingTheLine(FxRobot robot) throws Exception {
        waitUntil(() -> shell.viewModel().builds().backendProperty().get() != null && window.backend() != null);
        Path project = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(project.resolve("Containerfile"), "FROM busybox:latest\nCOPY --form=base /a /b\n");
        Drag drag = new Drag(robot, shell.scene(), List.of(project.toFile()));
        assertThat(drag.enter()).isEqualTo(TransferMode.COPY);
        assertThat(drag.drop()).isEqualTo(TransferMode.COPY);
        waitUntil(() -> robot.lookup("#build-dialog").tryQuery().isPresent());
        assertThat(robot.lookup("#build-dockerfile").queryAs(TextField.class).getText()).isEqualTo("Containerfile");
        Label error = robot.lookup("#build-error-dockerfile").queryAs(Label.class);
        waitUntil(error::isVisible);
        assertThat(error.getText()).startsWith("Containerfile, line 2, column 6: ").contains("--form");
        assertThat(robot.lookup("#build-start").queryButton().isDisabled()).isTrue();

        // fixed on disk and read again (the Dockerfile field re-typed): Build is offered
        Files.writeString(project.resolve("Containerfile"), "FROM busybox:latest\nCOPY Containerfile /b\n");
        TextField file = robot.lookup("#build-dockerfile").queryAs(TextField.class);
        robot.interact(() -> file.setText(""));
        waitUntil(() -> !error.isVisible() && !robot.lookup("#build-start").queryButton().isDisabled());
        robot.clickOn("#build-cancel");
        assertThat(shell.viewModel().builds().builds()).isEmpty();

        // Build... in the Images header and in the Builds pane: the chosen Dockerfile fills the same dialog
        Path other = Files.createDirectories(tmp.resolve("other/docker"));
        Path chosen = Files.writeString(other.resolve("web.Dockerfile"), "FROM busybox:latest AS web\n");
        List<javafx.stage.Window> owners = new java.util.ArrayList<>();
        shell.view().buildFlow().setChooser(owner -> {
            owners.add(owner);
            return chosen.toFile();
        });
        for (String page : List.of("#nav-images", "#nav-builds")) {
            robot.clickOn(page);
            robot.clickOn(page.equals("#nav-images") ? "#images-build" : "#builds-build");
            waitUntil(() -> robot.lookup("#build-dialog").tryQuery().isPresent());
            assertThat(robot.lookup("#build-context").queryAs(TextField.class).getText()).isEqualTo(other.toString());
            assertThat(robot.lookup("#build-dockerfile").queryAs(TextField.class).getText()).isEqualTo("web.Dockerfile");
            ComboBox<String> stages = robot.lookup("#build-target").queryComboBox();
            waitUntil(() -> stages.getItems().contains("web"));
            if (page.equals("#nav-builds")) {
                // a folder dropped onto the open dialog takes the place of the chosen file
                Scene dialog = robot.lookup("#build-dialog").query().getScene();
                Drag onDialog = new Drag(robot, dialog, List.of(project.toFile()));
                assertThat(onDialog.enter()).isEqualTo(TransferMode.COPY);
                assertThat(onDialog.drop()).isEqualTo(TransferMode.COPY);
                waitUntil(() -> robot.lookup("#build-context").queryAs(TextField.class).getText().equals(project.toString()));
                assertThat(robot.lookup("#build-dockerfile").queryAs(TextField.class).getText()).isEqualTo("Containerfile");
                waitUntil(() -> !stages.getItems().contains("web"));
            }
            robot.clickOn("#build-cancel");
            waitUntil(() -> robot.lookup("#build-dialog").tryQuery().isEmpty());
        }
        assertThat(owners).containsExactly(shell.scene().getWindow(), shell.scene().getWindow());
    }

    /**
     * One drag of {@code files} over the window, from outside it, through the scene's drop-target
     * listener (what the windowing layer calls), at the middle of the window.
     */
    private static final class Drag {
        private final FxRobot robot;
        private final TKDropTargetListener target;
        private final TKClipboard board;
        private final double x;
        private final double y;
        private final double screenX;
        private final double screenY;

        Drag(FxRobot robot, Scene scene, List<File> files) throws Exception {
            this.robot = robot;
            Field f = Class.forName("com.sun.javafx.tk.quantum.GlassScene").getDeclaredField("dropTargetListener");
            f.setAccessible(true);
            this.target = (TKDropTargetListener) f.get(SceneHelper.getPeer(scene));
            assertThat(target).as("the scene's drop target").isNotNull();
            this.board = fileManagerDragboard(files);
            this.x = scene.getWidth() / 2;
            this.y = scene.getHeight() / 2;
            this.screenX = scene.getWindow().getX() + scene.getX() + x;
            this.screenY = scene.getWindow().getY() + scene.getY() + y;
        }

        TransferMode enter() {
            return onFx(() -> target.dragEnter(x, y, screenX, screenY, TransferMode.COPY, board));
        }

        TransferMode over() {
            return onFx(() -> target.dragOver(x + 5, y + 5, screenX + 5, screenY + 5, TransferMode.COPY));
        }

        TransferMode drop() {
            return onFx(() -> target.drop(x + 5, y + 5, screenX + 5, screenY + 5, TransferMode.COPY));
        }

        void exit() {
            onFx(() -> {
                target.dragExit(x, y, screenX, screenY);
                return null;
            });
        }

        private <T> T onFx(Supplier<T> action) {
            AtomicReference<T> result = new AtomicReference<>();
            robot.interact(() -> result.set(action.get()));
            WaitForAsyncUtils.waitForFxEvents();
            return result.get();
        }

        /**
         * The toolkit's own in-memory clipboard holding the files, offering copy, move and link as a
         * file manager's drag does (the in-memory clipboard alone has no source to ask).
         */
        private static TKClipboard fileManagerDragboard(List<File> files) {
            TKClipboard local = Toolkit.getToolkit().createLocalClipboard();
            @SuppressWarnings("unchecked")
            Pair<DataFormat, Object>[] content = new Pair[] {new Pair<>(DataFormat.FILES, files)};
            local.putContent(content);
            return (TKClipboard) Proxy.newProxyInstance(TKClipboard.class.getClassLoader(), new Class<?>[] {TKClipboard.class},
                    (proxy, method, args) -> method.getName().equals("getTransferModes")
                            ? EnumSet.of(TransferMode.COPY, TransferMode.MOVE, TransferMode.LINK)
                            : method.invoke(local, args));
        }
    }
}
