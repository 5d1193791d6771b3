package dev.berth.app;

import dev.berth.app.backend.BackendLocator;
import dev.berth.app.backend.BackendOptions;
import dev.berth.app.settings.SettingsStore;
import dev.berth.app.shell.AppShell;
import javafx.application.Application;
import javafx.stage.Stage;

/** The JavaFX application: one main window over the engine {@link BackendLocator} finds or starts. */
public final class BerthApp extends Application {

    private AppShell shell;

    @Override
    public void start(Stage stage) {
        BackendOptions options = BackendOptions.parse(getParameters().getRaw().toArray(String[]::new), System.getenv());
        shell = new AppShell(new SettingsStore(SettingsStore.defaultFile(System.getenv())));
        shell.show(stage, new BackendLocator(options)::locate);
        // SIGTERM or SIGINT end the JVM without stop(): still stop the engine and its API server
        AppShell s = shell;
        Runtime.getRuntime().addShutdownHook(new Thread(s::close, "berth-app-shutdown"));
    }

    /** Closing the window ends here: the embedded engine and its API server stop cleanly. */
    @Override
    public void stop() {
        if (shell != null) {
            shell.close();
        }
    }
}
