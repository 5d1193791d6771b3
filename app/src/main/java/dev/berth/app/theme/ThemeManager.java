package dev.berth.app.theme;

import dev.berth.ui.UiResources;
import javafx.application.Application;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Scene;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies the current {@link Theme} to every scene it manages, and re-applies it when the
 * theme changes. Stylesheet URLs come from {@link UiResources}, which fails fast when one is
 * missing, so a broken theme never shows as an unstyled window.
 */
public final class ThemeManager {

    private final ObjectProperty<Theme> theme;
    private final List<Scene> scenes = new ArrayList<>();
    private final String base = UiResources.external(UiResources.BASE_CSS);

    public ThemeManager(Theme initial) {
        this.theme = new SimpleObjectProperty<>(this, "theme", initial);
        theme.addListener((obs, old, now) -> scenes.forEach(this::apply));
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    /** Styles {@code scene} with the current theme, now and after every change. */
    public void manage(Scene scene) {
        Application.setUserAgentStylesheet(Application.STYLESHEET_MODENA);
        scenes.add(scene);
        apply(scene);
    }

    private void apply(Scene scene) {
        Theme t = theme.get() == null ? Theme.LIGHT : theme.get();
        scene.getStylesheets().setAll(base, UiResources.external(t.stylesheet()));
    }
}
