package dev.berth.app;

import dev.berth.ui.UiResources;

import java.util.Locale;
import java.util.ResourceBundle;

/** The bundles read directly, so tests compare the window with the files, not with the app's own lookup. */
public final class Bundles {

    private Bundles() {}

    public static String en(String key) {
        return bundle(Locale.ENGLISH).getString(key);
    }

    public static String zh(String key) {
        return bundle(Locale.SIMPLIFIED_CHINESE).getString(key);
    }

    private static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(UiResources.MESSAGES, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }
}
