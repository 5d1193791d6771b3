package dev.berth.app.components;

import dev.berth.app.i18n.Language;
import dev.berth.app.i18n.Localization;
import javafx.beans.binding.Bindings;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared danger confirmation in a real window: Cancel is the default, the check box reaches the action, outcomes are reported. */
@ExtendWith(ApplicationExtension.class)
class ConfirmDialogTest {

    private final Localization i18n = new Localization(Language.ENGLISH);
    private StackPane owner;

    @Start
    void start(Stage stage) {
        owner = new StackPane(new Button());
        stage.setScene(new Scene(owner, 300, 200));
        stage.show();
    }

    private ConfirmDialog volumeRemoval() {
        return Dialogs.confirm(owner, i18n, "t-remove")
                .title(i18n.text("volumes.remove.title"))
                .heading(i18n.text("volumes.remove.heading", "data"))
                .body(i18n.text("volumes.remove.body", "data"))
                .option(i18n.text("volumes.remove.force"), "t-remove-force")
                .confirmLabel(i18n.text("volumes.remove.confirm"));
    }

    @Test
    void enterAndEscapeAnswerCancelAndRunNothing(FxRobot robot) {
        List<Boolean> answers = new ArrayList<>();
        robot.interact(() -> Dialogs.confirm(owner, i18n, "t-prune")
                .title(i18n.text("networks.prune.title"))
                .heading(i18n.text("networks.prune.heading"))
                .confirmLabel(i18n.text("networks.prune.confirm"))
                .show(answers::add));
        assertThat(robot.lookup("#t-prune-dialog .dialog-heading").queryAs(Label.class).getText())
                .isEqualTo("Remove unused networks?");
        assertThat(robot.lookup("#t-prune-cancel").queryButton().isDefaultButton()).isTrue();
        robot.clickOn("#t-prune-dialog .dialog-heading").type(KeyCode.ENTER);
        assertThat(robot.lookup("#t-prune-dialog").tryQuery()).isEmpty();

        robot.interact(() -> volumeRemoval().show(answers::add));
        robot.clickOn("#t-remove-dialog .dialog-heading").type(KeyCode.ESCAPE);
        assertThat(robot.lookup("#t-remove-dialog").tryQuery()).isEmpty();
        assertThat(answers).isEmpty();
    }

    @Test
    void confirmHandsTheCheckBoxStateToTheActionAndCloses(FxRobot robot) {
        List<Boolean> answers = new ArrayList<>();
        robot.interact(() -> volumeRemoval().show(answers::add));
        robot.clickOn("#t-remove-confirm");
        assertThat(answers).containsExactly(false);
        assertThat(robot.lookup("#t-remove-dialog").tryQuery()).isEmpty();

        robot.interact(() -> volumeRemoval().show(answers::add));
        robot.clickOn("#t-remove-force");
        robot.clickOn("#t-remove-confirm");
        assertThat(answers).containsExactly(false, true);
    }

    @Test
    void aHiddenDetailTakesNoRoomAndAShownOneReads(FxRobot robot) {
        robot.interact(() -> volumeRemoval()
                .detail(i18n.text("containers.remove.running", "web"), "t-shown", true)
                .detail(i18n.text("containers.remove.running", ""), "t-hidden", false)
                .show(answer -> { }));
        Label hidden = robot.lookup("#t-hidden").queryAs(Label.class);
        assertThat(hidden.isVisible()).isFalse();
        assertThat(hidden.isManaged()).isFalse();
        Label shown = robot.lookup("#t-shown").queryAs(Label.class);
        assertThat(shown.isVisible()).isTrue();
        assertThat(shown.getText()).contains("web");
        robot.clickOn("#t-remove-cancel");
    }

    @Test
    void showAndReportStaysOpenWithTheOutcomeAndTurnsCancelIntoClose(FxRobot robot) {
        List<Boolean> answers = new ArrayList<>();
        robot.interact(() -> volumeRemoval().showAndReport((force, report) -> {
            answers.add(force);
            report.accept(Bindings.createStringBinding(() -> "2 removed"));
        }));
        assertThat(robot.lookup("#t-remove-result").queryAs(Label.class).isVisible()).isFalse();
        robot.clickOn("#t-remove-confirm");
        assertThat(answers).containsExactly(false);
        Label result = robot.lookup("#t-remove-result").queryAs(Label.class);
        assertThat(result.isVisible()).isTrue();
        assertThat(result.getText()).isEqualTo("2 removed");
        assertThat(robot.lookup("#t-remove-confirm").queryButton().isVisible()).isFalse();
        assertThat(robot.lookup("#t-remove-force").query().isDisabled()).isTrue();
        Button cancel = robot.lookup("#t-remove-cancel").queryButton();
        assertThat(cancel.getText()).isEqualTo(i18n.get("dialog.close"));
        robot.clickOn(cancel);
        assertThat(robot.lookup("#t-remove-dialog").tryQuery()).isEmpty();
    }
}
