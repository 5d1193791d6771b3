package dev.berth.app.images;

import dev.berth.app.Bundles;
import dev.berth.app.testing.EmbeddedShell;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.RegistryExtension;
import dev.berth.testkit.WithRegistry;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
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

import static dev.berth.app.testing.Gui.label;
import static dev.berth.app.testing.Gui.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** A registry that wants Basic auth: the Pull dialog says so, offers Login, and the pull then succeeds. */
@WithRegistry(basicAuth = true)
@ExtendWith(ApplicationExtension.class)
class PullLoginTest {

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
    void authenticationRequiredOffersLoginAndThePullThenSucceeds(FxRobot robot) throws Exception {
        BusyboxImage.build(tmp.resolve("busybox")).pushTo(registry, "private/busybox:1");
        waitUntil(() -> app.shell().viewModel().images().backendProperty().get() != null);
        robot.clickOn("#nav-images");
        robot.clickOn("#images-pull");
        robot.clickOn("#pull-reference").write(registry.host() + "/private/busybox:1");
        waitUntil(() -> !robot.lookup("#pull-start").queryButton().isDisabled());
        robot.clickOn("#pull-start");
        String prefix = Bundles.en("pull.error.auth").replace("{0}", "");
        waitUntil(() -> label(robot, "#pull-message").getText().startsWith(prefix));
        assertThat(robot.lookup("#pull-login").query().isVisible()).isTrue();

        robot.clickOn("#pull-login");
        assertThat(robot.lookup("#login-registry").queryAs(TextField.class).getText()).isEqualTo(registry.host());
        robot.clickOn("#login-username").write(RegistryExtension.USERNAME);
        robot.clickOn("#login-password").write(RegistryExtension.PASSWORD);
        robot.clickOn("#login-submit");
        waitUntil(() -> label(robot, "#pull-message").getText().startsWith("Pulled "));
        assertThat(robot.lookup("#pull-login").query().isVisible()).isFalse();
        // the password is gone from the form once sent, and stored only in the engine's auth file
        assertThat(app.shell().viewModel().registries().passwordProperty().get()).isEmpty();
        waitUntil(() -> app.shell().viewModel().images().allRows().stream()
                .anyMatch(r -> r.repository().equals(registry.host() + "/private/busybox") && r.tag().equals("1")));
        try (var files = Files.walk(tmp.resolve("root"))) {
            assertThat(files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("auth"))
                    .filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".log"))
                    .anyMatch(f -> {
                        try {
                            return Files.readString(f).contains(RegistryExtension.PASSWORD);
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    })).as("the password appears in no state file but the auth file").isFalse();
        }
    }

    @Test
    void aWrongPasswordIsRefusedInPlainWordsAndTheFieldIsCleared(FxRobot robot) {
        waitUntil(() -> app.shell().viewModel().registries().editableProperty().get());
        robot.clickOn("#nav-settings");
        TextField reg = robot.lookup("#settings-registry").queryAs(TextField.class);
        robot.interact(reg::clear);
        robot.clickOn(reg).write(registry.host());
        robot.clickOn("#settings-username").write(RegistryExtension.USERNAME);
        robot.clickOn("#settings-password").write("not-the-password");
        robot.clickOn("#settings-login");
        String prefix = Bundles.en("error.unauthorized").replace("{0}", "");
        waitUntil(() -> label(robot, "#settings-login-status").getText().startsWith(prefix));
        assertThat(robot.lookup("#settings-password").queryAs(PasswordField.class).getText()).isEmpty();
        assertThat(label(robot, "#settings-login-status").getText()).doesNotContain("not-the-password");
    }
}
