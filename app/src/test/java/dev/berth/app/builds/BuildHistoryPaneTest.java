package dev.berth.app.builds;

import dev.berth.app.shell.AppShell;
import dev.berth.app.testing.EmbeddedShell;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TableView;
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
import java.util.Map;

import static dev.berth.app.testing.Gui.shown;
import static dev.berth.app.testing.Gui.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Builds pane in the real window under Xvfb, started with a build history next to its settings: the
 * past builds are listed as they ended, a failed one still shows its error and failing Dockerfile line.
 */
@ExtendWith(ApplicationExtension.class)
class BuildHistoryPaneTest {

    private static final PseudoClass FAILING = PseudoClass.getPseudoClass("failing");
    private static final String DOCKERFILE = "FROM busybox:latest\nRUN echo before\nRUN echo failing; exit 3\n";
    private static final String MESSAGE = "The command '/bin/sh -c echo failing; exit 3' returned a non-zero code: 3";

    @TempDir
    Path tmp;

    private EmbeddedShell window;
    private AppShell shell;

    @Start
    void start(Stage stage) {
        Path settings = tmp.resolve("config/berth/settings.json"); // where EmbeddedShell keeps them
        SavedBuild failed = new SavedBuild(new SavedBuild.Request(tmp.resolve("shop").toString(), "Dockerfile",
                List.of("shop/api:2"), Map.of(), "", false, false), "FAILED", 1_700_000_100_000L, 2_400, "", List.of(),
                List.of(new SavedBuild.Step(1, 3, "FROM busybox:latest", 1, true, 1_700_000_100_000L, 10, false, "c6c6c2ced3eb"),
                        new SavedBuild.Step(2, 3, "RUN echo before", 2, true, 1_700_000_100_010L, 20, false, "419c5642c8ad"),
                        new SavedBuild.Step(3, 3, "RUN echo failing; exit 3", 3, false, 1_700_000_100_030L, 2_000, true, "")),
                "builds.failed.engine", List.of(MESSAGE), 3, DOCKERFILE,
                List.of(new SavedBuild.Line(3, "STEP", "Step 3/3 : RUN echo failing; exit 3"),
                        new SavedBuild.Line(3, "OUTPUT", "failing"),
                        new SavedBuild.Line(3, "ERROR", MESSAGE)));
        SavedBuild older = new SavedBuild(new SavedBuild.Request(tmp.resolve("shop").toString(), "Dockerfile",
                List.of("shop/api:1"), Map.of(), "", false, false), "SUCCEEDED", 1_700_000_000_000L, 1_000,
                "sha256:d61b9abdacb3c9163abea91a5c6c8c90c9f83667799d9810b21ec5939e763400", List.of("shop/api:1"),
                List.of(new SavedBuild.Step(1, 1, "FROM busybox:latest", 1, false, 1_700_000_000_000L, 1_000, false, "d61b9abdacb3")),
                null, List.of(), 0, "FROM busybox:latest\n", List.of(new SavedBuild.Line(1, "STEP", "Step 1/1 : FROM busybox:latest")));
        assertThat(BuildHistory.nextTo(settings).save(1, List.of(failed, older))).isTrue();
        window = EmbeddedShell.show(stage, tmp);
        shell = window.shell();
    }

    @AfterEach
    void close() {
        window.close();
    }

    @Test
    void thePaneListsThePastBuildsAndAFailedOneStillShowsItsErrorAndLine(FxRobot robot) {
        BuildsViewModel vm = shell.viewModel().builds();
        waitUntil(() -> vm.backendProperty().get() != null && vm.historyLoadedProperty().get());
        robot.clickOn("#nav-builds");
        WaitForAsyncUtils.waitForFxEvents();
        TableView<BuildRun> table = robot.lookup("#builds-table").queryTableView();
        assertThat(table.getItems()).extracting(BuildRun::displayName).containsExactly("shop/api:2", "shop/api:1");
        assertThat(shown(robot.lookup("#builds-empty-title").query())).isFalse();

        robot.interact(() -> table.getSelectionModel().select(0));
        WaitForAsyncUtils.waitForFxEvents();
        Label error = robot.lookup("#builds-error").queryAs(Label.class);
        assertThat(shown(error)).isTrue();
        assertThat(error.getText()).isEqualTo("The build failed: " + MESSAGE);
        assertThat(failingDockerfileLines(robot)).containsExactly(3);

        robot.interact(() -> table.getSelectionModel().select(1));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(shown(error)).isFalse();
        assertThat(vm.builds().get(1).status()).isEqualTo(BuildStatus.SUCCEEDED);
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> failingDockerfileLines(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup("#builds-dockerfile .list-cell").queryAllAs(ListCell.class).stream()
                .map(c -> (ListCell<BuildsView.DockerfileLine>) c)
                .filter(c -> !c.isEmpty() && c.getItem() != null && c.getPseudoClassStates().contains(FAILING))
                .map(c -> c.getItem().number()).toList();
    }
}
