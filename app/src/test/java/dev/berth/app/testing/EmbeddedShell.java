package dev.berth.app.testing;

import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.app.i18n.Language;
import dev.berth.app.settings.Settings;
import dev.berth.app.settings.SettingsStore;
import dev.berth.app.shell.AppShell;
import dev.berth.app.theme.Theme;
import dev.berth.engine.EngineConfig;
import javafx.stage.Stage;

import java.nio.file.Path;

/**
 * The real main window on a temp directory, in English with the light theme, over an embedded
 * engine that serves its API socket ({@code <tmp>/b.sock}, short enough for a unix socket), as
 * the pane tests start it from their {@code @Start} method; {@link #close()} closes the window
 * and, with it, the engine.
 */
public final class EmbeddedShell implements AutoCloseable {

    private final AppShell shell;
    private volatile EmbeddedBackend backend;

    private EmbeddedShell(Path tmp) {
        SettingsStore store = new SettingsStore(tmp.resolve("config/berth/settings.json"));
        store.save(new Settings(Language.ENGLISH, Theme.LIGHT));
        shell = new AppShell(store);
    }

    /** Shows the window on {@code stage}; the engine starts in the background (see {@link #backend()}). */
    public static EmbeddedShell show(Stage stage, Path tmp) {
        EmbeddedShell s = new EmbeddedShell(tmp);
        s.shell.show(stage, () -> s.backend = EmbeddedBackend.start(
                new EngineConfig(tmp.resolve("root"), tmp.resolve("b.sock")), true));
        return s;
    }

    public AppShell shell() {
        return shell;
    }

    /** The engine once it has started; null before. */
    public EmbeddedBackend backend() {
        return backend;
    }

    @Override
    public void close() {
        shell.close();
    }
}
