package dev.berth.app.shell;

import dev.berth.app.backend.Connection;
import dev.berth.app.backend.DockerHost;
import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.app.backend.EngineEvent;
import dev.berth.app.backend.RemoteBackend;
import dev.berth.app.i18n.Language;
import dev.berth.app.settings.Settings;
import dev.berth.app.settings.SettingsStore;
import dev.berth.app.theme.Theme;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.events.Event;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.util.Map;

import static dev.berth.app.testing.Gui.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** The window as a Docker API client of another Berth engine serving a temp socket. */
@ExtendWith(ApplicationExtension.class)
class RemoteWindowTest {

    @TempDir
    Path tmp;

    private EmbeddedBackend engine;
    private AppShell shell;

    @Start
    void start(Stage stage) {
        Path socket = tmp.resolve("berth.sock");
        engine = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), socket), true);
        SettingsStore store = new SettingsStore(tmp.resolve("settings.json"));
        store.save(new Settings(Language.ENGLISH, Theme.LIGHT));
        shell = new AppShell(store);
        shell.show(stage, () -> RemoteBackend.connect(new DockerHost.Unix(socket)));
    }

    @AfterEach
    void stop() {
        shell.close();
        engine.close();
    }

    @Test
    void showsTheRemoteEnginesVersionAndItsLiveEvents(FxRobot robot) {
        Path socket = ((Connection.Embedded) engine.connection()).socket();
        waitUntil(() -> !robot.lookup("#status-version").queryAs(Label.class).getText().isEmpty());
        assertThat(robot.lookup("#status-engine").queryAs(Label.class).getText()).isEqualTo("Connected to unix://" + socket);
        assertThat(robot.lookup("#status-version").queryAs(Label.class).getText())
                .startsWith("Berth Engine " + engine.version().version() + " · API ");

        robot.clickOn("#nav-events");
        @SuppressWarnings("unchecked")
        TableView<EngineEvent> table = robot.lookup("#events-table").queryAs(TableView.class);
        // the stream is open once the engine has answered; publish until the window shows one
        for (int i = 0; i < 50 && table.getItems().stream().noneMatch(e -> e.actorLabel().equals("remote-web")); i++) {
            engine.engine().events().publish(Event.of("container", "start", "c" + i, Map.of("name", "remote-web")));
            robot.sleep(100);
        }
        waitUntil(() -> table.getItems().stream().anyMatch(e -> e.actorLabel().equals("remote-web") && e.action().equals("start")));
    }

    @Test
    void whenTheEngineGoesAwayTheStatusBarSaysSo(FxRobot robot) {
        waitUntil(() -> robot.lookup("#status-engine").queryAs(Label.class).getText().startsWith("Connected to "));
        engine.close();
        waitUntil(() -> robot.lookup("#status-engine").queryAs(Label.class).getText().startsWith("Engine unavailable: "));
        assertThat(robot.lookup(".status-dot").query().getStyleClass()).contains("state-unavailable");
    }
}
