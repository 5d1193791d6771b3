package dev.berth.app.testing;

import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.app.i18n.Language;
import dev.berth.app.settings.Settings;
import dev.berth.app.settings.SettingsStore;
import dev.berth.app.shell.AppShell;
import dev.berth.app.theme.Theme;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.container.ContainerFilter;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.function.Consumer;

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
        return show(stage, tmp, b -> { });
    }

    /**
     * As {@link #show(Stage, Path)}; {@code prepare} runs on the started engine before the window
     * sees it (say, to install the busybox test image), so the panes' first load already has it.
     */
    public static EmbeddedShell show(Stage stage, Path tmp, Consumer<EmbeddedBackend> prepare) {
        EmbeddedShell s = new EmbeddedShell(tmp);
        s.shell.show(stage, () -> {
            EmbeddedBackend b = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("b.sock")), true);
            try {
                prepare.accept(b);
            } catch (RuntimeException e) {
                b.close();
                throw e;
            }
            s.backend = b;
            return b;
        });
        return s;
    }

    /** Removes every container, through the engine itself so that a stuck API cannot leave one running. */
    public void removeContainers() {
        EmbeddedBackend b = backend;
        if (b != null) {
            var containers = b.engine().containers();
            for (var c : containers.list(ContainerFilter.ALL)) {
                containers.remove(c.id(), true, true);
            }
        }
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
