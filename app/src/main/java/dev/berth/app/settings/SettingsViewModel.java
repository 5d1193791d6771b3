package dev.berth.app.settings;

import dev.berth.app.i18n.ErrorText;
import dev.berth.app.i18n.Language;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.UiExecutor;
import dev.berth.app.theme.Theme;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * The Settings pane's state: the language and theme properties are the app's own (bound by
 * the caller to the localization and the theme manager), so a change applies at once; each
 * change is then saved in the background and the outcome shown.
 */
public final class SettingsViewModel {

    private final ObjectProperty<Language> language;
    private final ObjectProperty<Theme> theme;
    private final SettingsStore store;
    private final UiExecutor executor;
    private final ReadOnlyObjectWrapper<Text> saveStatus = new ReadOnlyObjectWrapper<>(this, "saveStatus");
    private final ReadOnlyBooleanWrapper saveFailed = new ReadOnlyBooleanWrapper(this, "saveFailed");

    public SettingsViewModel(ObjectProperty<Language> language, ObjectProperty<Theme> theme, SettingsStore store,
                             UiExecutor executor) {
        this.language = language;
        this.theme = theme;
        this.store = store;
        this.executor = executor;
        language.addListener((obs, old, now) -> save());
        theme.addListener((obs, old, now) -> save());
    }

    /** The settings file (other app files, such as the build history, live next to it). */
    public java.nio.file.Path file() {
        return store.file();
    }

    public ObjectProperty<Language> languageProperty() {
        return language;
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    /** What happened to the last save ("Saved in ..."), or null before the first change. */
    public ReadOnlyObjectProperty<Text> saveStatusProperty() {
        return saveStatus.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty saveFailedProperty() {
        return saveFailed.getReadOnlyProperty();
    }

    private void save() {
        Settings settings = new Settings(language.get(), theme.get());
        executor.submit(Text.of("task.saveSettings"), () -> {
            store.save(settings);
            return store.file();
        }, file -> {
            saveFailed.set(false);
            saveStatus.set(Text.of("settings.savedTo", file.toString()));
        }, error -> {
            saveFailed.set(true);
            saveStatus.set(Text.of("settings.saveFailed", ErrorText.of(error)));
        });
    }
}
