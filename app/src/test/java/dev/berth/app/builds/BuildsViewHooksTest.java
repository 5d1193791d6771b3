package dev.berth.app.builds;

import dev.berth.app.i18n.Language;
import dev.berth.app.i18n.Localization;
import dev.berth.app.task.UiExecutor;
import dev.berth.ui.UiResources;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hooks the main window wires (Build…, Show in Images, Run…), on the pane alone: each button
 * calls its hook with the selected build, and shows only when it applies.
 */
@ExtendWith(ApplicationExtension.class)
class BuildsViewHooksTest {

    private BuildsViewModel vm;
    private BuildsView view;

    @Start
    void start(Stage stage) {
        vm = new BuildsViewModel(UiExecutor.forJavaFx());
        view = new BuildsView(vm, new Localization(Language.ENGLISH));
        Scene scene = new Scene(view.root(), 1100, 700);
        scene.getStylesheets().setAll(UiResources.external(UiResources.BASE_CSS), UiResources.external(UiResources.LIGHT_CSS));
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void theButtonsCallTheirHooksWithTheSelectedBuild(FxRobot robot) {
        List<String> calls = new ArrayList<>();
        BuildRun[] run = new BuildRun[1];
        robot.interact(() -> {
            view.setOnBuild(() -> calls.add("build"));
            view.setOnShowImage(r -> calls.add("show " + r.imageId()));
            view.setOnRun(r -> calls.add("run " + r.displayName()));
        });
        robot.clickOn("#builds-empty-build");
        assertThat(calls).containsExactly("build");

        robot.interact(() -> {
            // a build made by hand, as the engine's stream would leave it
            BuildRun r = new BuildRun(BuildRequest.of(Path.of("/work/shop"), "shop:2"), Instant.now());
            r.apply(new BuildEvent.StepStarted(1, 1, "FROM busybox:latest"), Instant.now());
            r.apply(new BuildEvent.StepImage("0123456789ab"), Instant.now());
            r.apply(new BuildEvent.Built("sha256:" + "c".repeat(64)), Instant.now());
            vm.builds().addFirst(r);
            vm.selectedProperty().set(r);
            run[0] = r;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#builds-run").queryButton().isVisible()).as("not while it runs").isFalse();
        assertThat(robot.lookup("#builds-cancel").queryButton().isVisible()).isTrue();

        robot.interact(() -> run[0].streamEnded(Instant.now()));
        robot.clickOn("#builds-show-image");
        robot.clickOn("#builds-run");
        robot.clickOn("#builds-build");
        assertThat(calls).containsExactly("build", "show sha256:" + "c".repeat(64), "run shop:2", "build");
        assertThat(robot.lookup("#builds-cancel").queryButton().isVisible()).isFalse();
    }
}
