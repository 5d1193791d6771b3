package dev.berth.ui;

import java.net.URL;
import java.util.List;

/**
 * Finds the app's bundled resources: CSS themes, the logo, the i18n bundles. Every lookup
 * fails fast, naming the missing path, so a renamed or forgotten file breaks the first test
 * that touches it instead of showing an unstyled window.
 */
public final class UiResources {

    /** The base name of the i18n bundles ({@code messages.properties}, {@code messages_zh_CN.properties}). */
    public static final String MESSAGES = "dev.berth.ui.i18n.messages";

    /** Layout and shapes shared by every theme; colours come from the theme's palette. */
    public static final String BASE_CSS = "themes/base.css";
    public static final String LIGHT_CSS = "themes/light.css";
    public static final String DARK_CSS = "themes/dark.css";

    /** Logo PNG sizes shipped next to {@code logo/berth.svg}. */
    public static final List<Integer> LOGO_SIZES = List.of(16, 32, 48, 64, 128, 256, 512);

    private static final String ROOT = "/dev/berth/ui/";

    private UiResources() {}

    /**
     * The URL of {@code relativePath} under {@code dev/berth/ui/}.
     *
     * @throws IllegalStateException when the resource is not on the class path
     */
    public static URL require(String relativePath) {
        URL url = UiResources.class.getResource(ROOT + relativePath);
        if (url == null) {
            throw new IllegalStateException("UI resource " + ROOT + relativePath
                    + " is missing from the class path (is berth-ui-resources on it?)");
        }
        return url;
    }

    /** {@link #require} as an external form, as JavaFX stylesheets and images want it. */
    public static String external(String relativePath) {
        return require(relativePath).toExternalForm();
    }

    /** The logo PNG of {@code size} pixels, one of {@link #LOGO_SIZES}. */
    public static String logo(int size) {
        if (!LOGO_SIZES.contains(size)) {
            throw new IllegalArgumentException("no " + size + " px logo; sizes are " + LOGO_SIZES);
        }
        return external("logo/berth-" + size + ".png");
    }
}
