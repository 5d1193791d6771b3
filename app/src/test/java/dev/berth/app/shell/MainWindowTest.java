package dev.berth.app.shell;

import dev.berth.app.Bundles;
import dev.berth.app.backend.Connection;
import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.app.backend.EngineEvent;
import dev.berth.app.i18n.Language;
import dev.berth.app.settings.SettingsStore;
import dev.berth.app.testing.EmbeddedShell;
import dev.berth.app.theme.Theme;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.events.Event;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.TableView;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.berth.app.testing.Gui.label;
import static dev.berth.app.testing.Gui.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** The real main window under Xvfb, on an embedded engine with a temp state root and socket. */
@ExtendWith(ApplicationExtension.class)
class MainWindowTest {

    private static final List<String> EMPTY_PANES = List.of("containers", "images", "volumes", "networks", "builds");

    @TempDir
    Path tmp;

    private EmbeddedShell app;
    private AppShell shell;

    @Start
    void start(Stage stage) {
        app = EmbeddedShell.show(stage, tmp);
        shell = app.shell();
    }

    @AfterEach
    void closeShell() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void eachPaneShowsItsEmptyStateFromTheBundle(FxRobot robot) {
        for (String pane : EMPTY_PANES) {
            robot.clickOn("#nav-" + pane);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(label(robot, "#" + pane + "-title").getText()).isEqualTo(Bundles.en(pane + ".title"));
            assertThat(label(robot, "#" + pane + "-empty-title").getText()).isEqualTo(Bundles.en(pane + ".empty.title"));
            assertThat(label(robot, "#" + pane + "-empty-body").getText()).isEqualTo(Bundles.en(pane + ".empty.body"));
            assertThat(label(robot, "#" + pane + "-empty-title").isVisible()).isTrue();
        }
        robot.clickOn("#nav-events");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(label(robot, "#events-title").getText()).isEqualTo(Bundles.en("events.title"));
    }

    @Test
    void switchingToChineseRelabelsTheWindowAtOnceAndIsSaved(FxRobot robot) throws IOException {
        assertThat(label(robot, "#containers-empty-title").getText()).isEqualTo(Bundles.en("containers.empty.title"));
        robot.clickOn("#nav-settings");
        robot.clickOn("#settings-language-zh-CN");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(robot.lookup("#nav-containers").queryLabeled().getText()).isEqualTo("容器");
        assertThat(robot.lookup("#nav-events").queryLabeled().getText()).isEqualTo(Bundles.zh("nav.events"));
        assertThat(label(robot, "#settings-title").getText()).isEqualTo("设置");
        robot.clickOn("#nav-images");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(label(robot, "#images-empty-title").getText()).isEqualTo(Bundles.zh("images.empty.title"));

        Path file = tmp.resolve("config/berth/settings.json");
        waitUntil(() -> read(file).contains("zh-CN"));
        assertThat(new SettingsStore(file).load().language()).isEqualTo(Language.SIMPLIFIED_CHINESE);
    }

    @Test
    void switchingToTheDarkThemeSwapsTheStylesheetAndDarkensTheWindow(FxRobot robot) {
        assertThat(shell.scene().getStylesheets()).anyMatch(s -> s.endsWith("themes/light.css"));
        double lightSurface = luminance(robot, "#containers-pane");
        robot.clickOn("#nav-settings");
        robot.clickOn("#settings-theme-dark");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(shell.scene().getStylesheets()).anyMatch(s -> s.endsWith("themes/dark.css"))
                .noneMatch(s -> s.endsWith("themes/light.css"));
        robot.clickOn("#nav-containers");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(lightSurface).isGreaterThan(0.9);
        assertThat(luminance(robot, "#containers-pane")).isLessThan(0.2);
    }

    @Test
    void eventsPaneShowsAnEventPublishedOnTheEngineBusLive(FxRobot robot) {
        waitUntil(() -> app.backend() != null && shell.viewModel().backendProperty().get() != null);
        robot.clickOn("#nav-events");
        app.backend().engine().events().publish(Event.of("container", "create",
                "4f0c1e2d3b4a59687766554433221100ffeeddccbbaa99887766554433221100",
                Map.of("name", "berth-test-web", "image", "busybox:latest")));

        @SuppressWarnings("unchecked")
        TableView<EngineEvent> table = robot.lookup("#events-table").queryAs(TableView.class);
        waitUntil(() -> table.getItems().stream().anyMatch(e -> e.actorLabel().equals("berth-test-web")));
        EngineEvent top = table.getItems().getFirst();
        assertThat(top.type()).isEqualTo("container");
        assertThat(top.action()).isEqualTo("create");
        assertThat(top.attributes()).containsEntry("image", "busybox:latest");
        // the engine's own start, published before the window subscribed, is replayed below it
        assertThat(table.getItems()).anyMatch(e -> e.type().equals("daemon") && e.action().equals("start"));

        robot.clickOn("#events-filter").write("busybox");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table.getItems()).hasSize(1).allMatch(e -> e.actorLabel().equals("berth-test-web"));
        assertThat(label(robot, "#events-count").getText()).isEqualTo("1 of " + shell.viewModel().events().allEvents().size() + " events");
    }

    @Test
    void statusBarShowsTheRuntimeAndVersionTheBackendReports(FxRobot robot) {
        waitUntil(() -> !label(robot, "#status-version").getText().isEmpty());
        var info = app.backend().info();
        var version = app.backend().version();
        assertThat(info.runtime()).matches("(runc|crun) \\d+\\.\\d+.*");
        assertThat(label(robot, "#status-runtime").getText()).isEqualTo(info.runtime());
        assertThat(label(robot, "#status-version").getText())
                .isEqualTo("Berth Engine " + version.version() + " · API " + version.apiVersion());
        Connection.Embedded c = (Connection.Embedded) app.backend().connection();
        if (c.socketProblem().isEmpty()) {
            assertThat(label(robot, "#status-engine").getText()).isEqualTo("Embedded engine, serving unix://" + c.socket());
            assertThat(robot.lookup("#status-socket-warning").query().isVisible()).isFalse();
        } else {
            assertThat(label(robot, "#status-engine").getText()).isEqualTo(Bundles.en("status.engine.embeddedNoSocket"));
            assertThat(robot.lookup("#status-socket-warning").query().isVisible()).isTrue();
            assertThat(label(robot, "#status-socket-warning").getText()).contains(c.socketProblem().get());
        }
    }

    @Test
    void closingTheShellStopsTheEmbeddedEngineAndFreesItsStateRoot(FxRobot robot) {
        waitUntil(() -> app.backend() != null && shell.viewModel().backendProperty().get() != null);
        String id = app.backend().info().engineId();
        shell.close();
        try (EmbeddedBackend again = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("again.sock")), false)) {
            assertThat(again.info().engineId()).isEqualTo(id);
        }
    }

    @Test
    void savesScreenshotsOfTheMainWindowInEnglishAndChinese(FxRobot robot) throws IOException {
        waitUntil(() -> !label(robot, "#status-runtime").getText().isEmpty() && label(robot, "#status-tasks").getText().isEmpty());
        Path dir = Path.of(System.getProperty("user.dir")).resolve("..").resolve("screenshots").normalize();
        Files.createDirectories(dir);
        Path en = dir.resolve("main-window.png");
        snapshot(robot, en);

        robot.interact(() -> shell.localization().languageProperty().set(Language.SIMPLIFIED_CHINESE));
        waitUntil(() -> label(robot, "#status-tasks").getText().isEmpty());
        robot.clickOn("#nav-containers");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(label(robot, "#containers-empty-title").getText()).isEqualTo("还没有容器");
        Path zh = dir.resolve("main-window-zh.png");
        snapshot(robot, zh);

        // the Events pane in the dark theme, with the engine's real start event
        robot.interact(() -> {
            shell.localization().languageProperty().set(Language.ENGLISH);
            shell.themes().themeProperty().set(Theme.DARK);
        });
        robot.clickOn("#nav-events");
        @SuppressWarnings("unchecked")
        TableView<EngineEvent> table = robot.lookup("#events-table").queryAs(TableView.class);
        waitUntil(() -> !table.getItems().isEmpty() && label(robot, "#status-tasks").getText().isEmpty());
        Path dark = dir.resolve("events-dark.png");
        snapshot(robot, dark);

        for (Path p : List.of(en, zh, dark)) {
            var img = ImageIO.read(p.toFile());
            assertThat(img.getWidth()).isEqualTo((int) AppShell.WIDTH);
            assertThat(img.getHeight()).isEqualTo((int) AppShell.HEIGHT);
        }
    }

    private void snapshot(FxRobot robot, Path file) throws IOException {
        robot.moveTo("#status-bar"); // no hover highlight on a navigation button
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage[] image = new WritableImage[1];
        robot.interact(() -> image[0] = shell.scene().snapshot(null));
        ImageIO.write(SwingFXUtils.fromFXImage(image[0], null), "png", file.toFile());
    }

    private static double luminance(FxRobot robot, String query) {
        Region r = robot.lookup(query).queryAs(Region.class);
        Color c = (Color) r.getBackground().getFills().getFirst().getFill();
        return 0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue();
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
