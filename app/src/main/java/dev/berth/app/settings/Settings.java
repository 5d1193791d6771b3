package dev.berth.app.settings;

import dev.berth.app.i18n.Language;
import dev.berth.app.theme.Theme;

/** The user's preferences. */
public record Settings(Language language, Theme theme) {

    /** What a first start uses: the system's language (if Berth speaks it) and the light theme. */
    public static Settings defaults() {
        return new Settings(Language.fromSystem(), Theme.LIGHT);
    }

    public Settings withLanguage(Language l) {
        return new Settings(l, theme);
    }

    public Settings withTheme(Theme t) {
        return new Settings(language, t);
    }
}
