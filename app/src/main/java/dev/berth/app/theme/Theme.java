package dev.berth.app.theme;

import dev.berth.ui.UiResources;

/** Berth's two themes, each a palette stylesheet on top of the shared base. */
public enum Theme {
    LIGHT("light", UiResources.LIGHT_CSS, "settings.theme.light"),
    DARK("dark", UiResources.DARK_CSS, "settings.theme.dark");

    private final String id;
    private final String stylesheet;
    private final String nameKey;

    Theme(String id, String stylesheet, String nameKey) {
        this.id = id;
        this.stylesheet = stylesheet;
        this.nameKey = nameKey;
    }

    /** The id stored in the settings file. */
    public String id() {
        return id;
    }

    /** The palette's resource path under {@code dev/berth/ui/}. */
    public String stylesheet() {
        return stylesheet;
    }

    public String nameKey() {
        return nameKey;
    }

    /** The theme for a stored id; light for an unknown one. */
    public static Theme fromId(String id) {
        for (Theme t : values()) {
            if (t.id.equalsIgnoreCase(id)) {
                return t;
            }
        }
        return LIGHT;
    }
}
