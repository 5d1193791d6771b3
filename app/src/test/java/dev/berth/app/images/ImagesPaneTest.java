package dev.berth.app.images;

import dev.berth.app.Bundles;
import dev.berth.app.testing.EmbeddedShell;
import javafx.scene.control.Button;
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

import static dev.berth.app.testing.Gui.label;
import static dev.berth.app.testing.Gui.shown;
import static dev.berth.app.testing.Gui.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** The Images pane in the real window under Xvfb, on an embedded engine with no images. */
@ExtendWith(ApplicationExtension.class)
class ImagesPaneTest {

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
    void pullDialogChecksTheReferenceWithTheEnginesRulesAsItIsTyped(FxRobot robot) {
        waitUntil(() -> app.shell().viewModel().images().backendProperty().get() != null);
        robot.clickOn("#nav-images");
        assertThat(shown(label(robot, "#images-empty-title"))).isTrue();
        assertThat(shown(robot.lookup("#images-table").query())).isFalse();
        robot.clickOn("#images-pull");
        Button pull = robot.lookup("#pull-start").queryAs(Button.class);
        assertThat(pull.isDisabled()).isTrue();

        robot.clickOn("#pull-reference").write("Not/Valid:tag");
        waitUntil(() -> label(robot, "#pull-validation").getText().contains("invalid reference format"));
        assertThat(label(robot, "#pull-validation").getText()).contains("must be lowercase");
        assertThat(pull.isDisabled()).isTrue();

        robot.doubleClickOn("#pull-reference").eraseText(20).write("busybox");
        waitUntil(() -> label(robot, "#pull-validation").getText().equals("Will pull docker.io/library/busybox:latest"));
        assertThat(pull.isDisabled()).isFalse();
        robot.clickOn("#pull-cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#pull-reference").tryQuery()).isEmpty();
    }

    @Test
    void runNeedsASelectedImage(FxRobot robot) {
        waitUntil(() -> app.shell().viewModel().images().backendProperty().get() != null);
        robot.clickOn("#nav-images");
        // the toolbar is behind the empty state while there are no images; its controls exist all the same
        Button run = robot.lookup("#images-run").queryAs(Button.class);
        assertThat(run.isDisabled()).isTrue();
        assertThat(run.getText()).isEqualTo(Bundles.en("images.action.run"));
    }

    @Test
    void settingsRegistriesRefuseABadMirrorByNameAndSaveGoodListsToTheEnginesConfig(FxRobot robot) throws Exception {
        waitUntil(() -> app.shell().viewModel().registries().editableProperty().get());
        robot.clickOn("#nav-settings");
        javafx.scene.control.ScrollPane scroll = robot.lookup(".settings-scroll").queryAs(javafx.scene.control.ScrollPane.class);
        robot.interact(() -> scroll.setVvalue(1));
        robot.clickOn("#settings-mirrors").write("mirror.example.com");
        robot.clickOn("#settings-registries-save");
        waitUntil(() -> label(robot, "#settings-registries-status").getText().contains("invalid mirror"));
        assertThat(label(robot, "#settings-registries-status").getText()).contains("\"mirror.example.com\"");
        assertThat(tmp.resolve("root/config.json")).doesNotExist();

        javafx.scene.control.TextArea mirrors = robot.lookup("#settings-mirrors").queryAs(javafx.scene.control.TextArea.class);
        robot.interact(mirrors::clear);
        robot.clickOn(mirrors).write("https://mirror.example.com");
        robot.clickOn("#settings-insecure").write("registry.lan:5000");
        robot.clickOn("#settings-registries-save");
        waitUntil(() -> label(robot, "#settings-registries-status").getText().startsWith("Saved in "));
        String json = java.nio.file.Files.readString(tmp.resolve("root/config.json"));
        assertThat(json).contains("\"registry-mirrors\" : [ \"https://mirror.example.com\" ]")
                .contains("\"insecure-registries\" : [ \"registry.lan:5000\" ]");
    }
}
