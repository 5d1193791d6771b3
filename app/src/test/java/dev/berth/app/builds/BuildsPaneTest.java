package dev.berth.app.builds;

import dev.berth.app.testing.EmbeddedShell;
import dev.berth.testkit.LocalImages;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.berth.app.testing.Gui.shown;
import static dev.berth.app.testing.Gui.snapshot;
import static dev.berth.app.testing.Gui.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Builds pane in the real window under Xvfb, on an embedded engine serving its API socket, with
 * real runc builds on the busybox fixture: a build appears and finishes in the table, a rebuild after
 * one copied file changed marks the steps before it CACHED in the timeline, a failing build highlights
 * its Dockerfile line, a running build is cancelled from the pane.
 */
@ExtendWith(ApplicationExtension.class)
class BuildsPaneTest {

    static final String APP = """
            FROM busybox:latest
            MAINTAINER Berth Tests <tests@berth.dev>
            RUN mkdir -p /data && echo seeded > /data/seed.txt && echo made the seed
            COPY app.txt /data/app.txt
            RUN wc -c /data/app.txt && echo checked the app
            CMD ["cat", "/data/app.txt"]
            """;
    private static final PseudoClass FAILING = PseudoClass.getPseudoClass("failing");

    @TempDir
    Path tmp;

    private EmbeddedShell window;

    @Start
    void start(Stage stage) {
        window = EmbeddedShell.show(stage, tmp, b -> LocalImages.busybox(b.engine(), tmp.resolve("busybox"), "busybox:latest"));
    }

    @AfterEach
    void close() {
        try {
            window.removeContainers();
        } finally {
            window.close();
        }
    }

    private BuildsViewModel vm() {
        return window.shell().viewModel().builds();
    }

    private void openPane(FxRobot robot) {
        waitUntil(() -> vm().backendProperty().get() != null);
        robot.clickOn("#nav-builds");
        WaitForAsyncUtils.waitForFxEvents();
    }

    private BuildRun start(FxRobot robot, BuildRequest request) {
        BuildRun[] run = new BuildRun[1];
        robot.interact(() -> run[0] = vm().start(request));
        return run[0];
    }

    private Path context(String name, String dockerfile) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("ctx-" + name));
        Files.writeString(dir.resolve("Dockerfile"), dockerfile);
        return dir;
    }

    @Test
    void aBuildFinishesInTheTableAndItsRebuildMarksTheStepsBeforeTheChangedFileCached(FxRobot robot) throws Exception {
        openPane(robot);
        assertThat(shown(robot.lookup("#builds-empty-title").query())).isTrue();
        assertThat(shown(robot.lookup("#builds-empty-build").query())).isTrue();

        Path ctx = context("app", APP);
        Files.writeString(ctx.resolve("app.txt"), "version one\n");
        BuildRun first = start(robot, BuildRequest.of(ctx, "shop/web:1.0"));
        TableView<BuildRun> table = robot.lookup("#builds-table").queryTableView();
        waitUntil(() -> first.status() == BuildStatus.SUCCEEDED);
        assertThat(shown(robot.lookup("#builds-empty-title").query())).isFalse();
        assertThat(table.getItems()).containsExactly(first);
        assertThat(cellText(robot, "builds-col-status", 0)).isEqualTo("Succeeded");
        assertThat(cellText(robot, "builds-col-name", 0)).isEqualTo("shop/web:1.0");
        assertThat(cellText(robot, "builds-col-cache", 0)).isEqualTo("0/6");
        assertThat(shown(robot.lookup("#builds-show-image").query())).isTrue();
        assertThat(shown(robot.lookup("#builds-run").query())).isTrue();
        assertThat(shown(robot.lookup("#builds-cancel").query())).isFalse();
        assertThat(cachedChips(robot)).isEmpty();

        // one copied file changes: the steps before its COPY come from the cache, the rest run again
        Files.writeString(ctx.resolve("app.txt"), "version two, longer\n");
        BuildRun second = start(robot, BuildRequest.of(ctx, "shop/web:1.1"));
        waitUntil(() -> second.status() == BuildStatus.SUCCEEDED);
        assertThat(table.getItems()).containsExactly(second, first);
        assertThat(table.getSelectionModel().getSelectedItem()).isSameAs(second);
        assertThat(cellText(robot, "builds-col-cache", 0)).isEqualTo("2/6");
        assertThat(second.steps()).extracting(BuildStepRow::cached).containsExactly(false, true, true, false, false, false);
        assertThat(cachedChips(robot)).containsExactly(2, 3);
        ListView<BuildStepRow> steps = robot.lookup("#builds-steps").queryListView();
        assertThat(steps.getItems()).hasSize(6);
        assertThat(robot.lookup("#builds-detail-title").queryAs(Label.class).getText()).isEqualTo("shop/web:1.1");
        assertThat(robot.lookup("#builds-detail-summary").queryAs(Label.class).getText()).contains("2 of 6 steps cached");

        // the log holds the whole stream, the commands' own output too
        robot.clickOn("#builds-tab-log");
        ListView<BuildLogLine> log = robot.lookup("#builds-log").queryListView();
        assertThat(log.getItems()).extracting(BuildLogLine::text)
                .contains("Step 5/6 : RUN wc -c /data/app.txt && echo checked the app", "checked the app",
                        " ---> Using cache", "Successfully tagged shop/web:1.1");
        robot.clickOn("#builds-tab-steps");
        // a step opened in the timeline shows where its output begins in the log
        robot.clickOn("#builds-step-5");
        robot.type(KeyCode.ENTER);
        TabPane tabs = robot.lookup("#builds-tabs").queryAs(TabPane.class);
        assertThat(tabs.getSelectionModel().getSelectedItem().getId()).isEqualTo("builds-tab-log");
        assertThat(log.getSelectionModel().getSelectedItem().text())
                .isEqualTo("Step 5/6 : RUN wc -c /data/app.txt && echo checked the app");
        robot.clickOn("#builds-tab-steps");
        robot.interact(() -> robot.lookup("#builds-steps").queryListView().getSelectionModel().clearSelection());
        snapshot(table.getScene(), "builds-pane.png");

        // selecting the older build shows its details
        robot.interact(() -> table.getSelectionModel().select(first));
        assertThat(vm().selectedProperty().get()).isSameAs(first);
        assertThat(robot.lookup("#builds-detail-title").queryAs(Label.class).getText()).isEqualTo("shop/web:1.0");
        assertThat(cachedChips(robot)).isEmpty();
    }

    @Test
    void aFailingBuildHighlightsItsLineAndARunningOneIsCancelledFromThePane(FxRobot robot) throws Exception {
        openPane(robot);
        Path ctx = context("fail", "FROM busybox:latest\n\n# the next line fails\nRUN echo before the failure && exit 3\nCMD [\"true\"]\n");
        BuildRun failed = start(robot, BuildRequest.of(ctx, "broken:1"));
        waitUntil(() -> failed.status() == BuildStatus.FAILED);

        Label error = robot.lookup("#builds-error").queryAs(Label.class);
        assertThat(shown(error)).isTrue();
        assertThat(error.getText()).isEqualTo("The build failed: The command '/bin/sh -c echo before the failure && exit 3'"
                + " returned a non-zero code: 3");
        assertThat(cellText(robot, "builds-col-status", 0)).isEqualTo("Failed");
        TabPane tabs = robot.lookup("#builds-tabs").queryAs(TabPane.class);
        assertThat(tabs.getSelectionModel().getSelectedItem().getId()).isEqualTo("builds-tab-dockerfile");
        assertThat(failingDockerfileLines(robot)).containsExactly(4);
        ListView<BuildsView.DockerfileLine> dockerfile = robot.lookup("#builds-dockerfile").queryListView();
        assertThat(dockerfile.getSelectionModel().getSelectedItem())
                .isEqualTo(new BuildsView.DockerfileLine(4, "RUN echo before the failure && exit 3"));
        assertThat(shown(robot.lookup("#builds-run").query())).isFalse();
        robot.clickOn("#builds-tab-steps");
        assertThat(failedSteps(robot)).containsExactly(2);

        // a Dockerfile the engine cannot parse: the parser's line
        Path bad = context("bad", "FROM busybox:latest\nRUN true\nFROBNICATE now\n");
        BuildRun refused = start(robot, BuildRequest.of(bad, "bad:1"));
        waitUntil(() -> refused.status() == BuildStatus.FAILED);
        assertThat(failingDockerfileLines(robot)).containsExactly(3);
        assertThat(error.getText()).contains("dockerfile parse error on line 3: unknown instruction: FROBNICATE");

        // Cancel stops a running build
        Path slow = context("slow", "FROM busybox:latest\nRUN echo started && sleep 60\n");
        BuildRun running = start(robot, BuildRequest.of(slow, "slow:1"));
        waitUntil(() -> running.stepOutput(2).contains("started"));
        assertThat(shown(robot.lookup("#builds-cancel").query())).isTrue();
        assertThat(shown(robot.lookup("#builds-remove").query())).isFalse();
        robot.clickOn("#builds-cancel");
        waitUntil(() -> running.status() == BuildStatus.CANCELLED);
        assertThat(cellText(robot, "builds-col-status", 0)).isEqualTo("Cancelled");

        // finished builds go; with none left the empty state is back
        robot.clickOn("#builds-remove");
        waitUntil(() -> vm().builds().size() == 2);
        robot.clickOn("#builds-clear");
        waitUntil(() -> vm().builds().isEmpty());
        assertThat(shown(robot.lookup("#builds-empty-title").query())).isTrue();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static String cellText(FxRobot robot, String columnId, int row) {
        TableView<BuildRun> table = robot.lookup("#builds-table").queryTableView();
        var column = table.getColumns().stream().filter(c -> columnId.equals(c.getId())).findFirst().orElseThrow();
        List<javafx.scene.control.TableCell<?, ?>> cells = new java.util.ArrayList<>();
        for (javafx.scene.control.TableCell<?, ?> c : robot.lookup("#builds-table .table-cell")
                .queryAllAs(javafx.scene.control.TableCell.class)) {
            if (c.getTableColumn() == column && c.getIndex() == row) {
                cells.add(c);
            }
        }
        assertThat(cells).as("a cell of %s in row %d", columnId, row).isNotEmpty();
        return cells.getFirst().getText();
    }

    /** The step numbers whose CACHED chip shows in the timeline. */
    private static List<Integer> cachedChips(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        return stepCells(robot).stream()
                .filter(c -> c.lookupAll(".build-cached").stream().anyMatch(dev.berth.app.testing.Gui::shown))
                .map(c -> c.getItem().number()).sorted().toList();
    }

    private static List<Integer> failedSteps(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        return stepCells(robot).stream().filter(c -> c.getPseudoClassStates().contains(FAILING))
                .map(c -> c.getItem().number()).sorted().toList();
    }

    @SuppressWarnings("unchecked")
    private static List<ListCell<BuildStepRow>> stepCells(FxRobot robot) {
        return robot.lookup("#builds-steps .list-cell").queryAllAs(ListCell.class).stream()
                .map(c -> (ListCell<BuildStepRow>) c)
                .filter(c -> !c.isEmpty() && c.getItem() != null).toList();
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
