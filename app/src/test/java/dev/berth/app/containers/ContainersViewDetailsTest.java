package dev.berth.app.containers;

import dev.berth.app.i18n.Language;
import dev.berth.app.i18n.Localization;
import dev.berth.app.task.UiExecutor;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The seam the details tabs plug into: a node below the table, told the single selected container. */
@ExtendWith(ApplicationExtension.class)
class ContainersViewDetailsTest {

    private ContainersView view;
    private ContainersViewModel vm;

    @Start
    void start(Stage stage) {
        vm = new ContainersViewModel(UiExecutor.forJavaFx());
        Instant now = Instant.now();
        vm.show(List.of(
                new ContainerSummary("a".repeat(64), "web", "busybox", "", "sleep 300", now.minusSeconds(10), ContainerState.RUNNING,
                        "Up 10 seconds", List.of(), Map.of()),
                new ContainerSummary("b".repeat(64), "db", "busybox", "", "sleep 300", now.minusSeconds(20), ContainerState.EXITED,
                        "Exited (0)", List.of(), Map.of())));
        view = new ContainersView(vm, new Localization(Language.ENGLISH));
        stage.setScene(new Scene(view.root(), 1000, 700));
        stage.show();
    }

    @Test
    void detailsSitBelowTheTableAndHearTheSingleSelectedContainer(FxRobot robot) {
        List<String> heard = new ArrayList<>();
        Label details = new Label("details");
        details.setId("details-probe");
        robot.interact(() -> view.setDetails(details, heard::add));
        SplitPane split = robot.lookup("#containers-split").queryAs(SplitPane.class);
        assertThat(split.getItems()).hasSize(2);
        assertThat(split.getItems().get(1)).isSameAs(details);
        assertThat(heard).containsExactly((String) null);

        TableView<ContainersViewModel.Row> table = view.table();
        robot.interact(() -> table.getSelectionModel().select(0));
        assertThat(heard.getLast()).isEqualTo("a".repeat(64));
        robot.interact(() -> table.getSelectionModel().selectIndices(0, 1));
        assertThat(heard.getLast()).isNull();
        robot.interact(() -> {
            table.getSelectionModel().clearSelection();
            table.getSelectionModel().select(1);
        });
        assertThat(heard.getLast()).isEqualTo("b".repeat(64));

        // a second call replaces the node rather than stacking another
        Label other = new Label("other");
        robot.interact(() -> view.setDetails(other, id -> heard.add("second:" + id)));
        assertThat(split.getItems()).hasSize(2);
        assertThat(split.getItems().get(1)).isSameAs(other);
        assertThat(heard.getLast()).isEqualTo("second:" + "b".repeat(64));
        assertThat(split.getDividerPositions()).hasSize(1);
    }
}
