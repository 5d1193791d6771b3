package dev.berth.ui;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UiResourcesTest {

    @Test
    void everyThemeStylesheetIsOnTheClassPath() {
        for (String css : new String[] {UiResources.BASE_CSS, UiResources.LIGHT_CSS, UiResources.DARK_CSS}) {
            assertThat(UiResources.external(css)).endsWith(css);
        }
    }

    @Test
    void bothPalettesDefineTheSameColours() throws IOException {
        String light = read(UiResources.LIGHT_CSS);
        String dark = read(UiResources.DARK_CSS);
        var names = java.util.regex.Pattern.compile("(-(?:berth|fx)-[a-z-]+):");
        assertThat(names.matcher(light).results().map(m -> m.group(1)).toList())
                .containsExactlyElementsOf(names.matcher(dark).results().map(m -> m.group(1)).toList());
    }

    @Test
    void missingResourceFailsFastNamingThePath() {
        assertThatThrownBy(() -> UiResources.require("themes/solarized.css"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/dev/berth/ui/themes/solarized.css");
    }

    @Test
    void logoPngsHaveTheSizeTheirNameSays() throws IOException {
        for (int size : UiResources.LOGO_SIZES) {
            try (InputStream in = URI.create(UiResources.logo(size)).toURL().openStream()) {
                BufferedImage img = ImageIO.read(in);
                assertThat(img.getWidth()).isEqualTo(size);
                assertThat(img.getHeight()).isEqualTo(size);
            }
        }
        assertThatThrownBy(() -> UiResources.logo(20)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String read(String path) throws IOException {
        try (InputStream in = UiResources.require(path).openStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
