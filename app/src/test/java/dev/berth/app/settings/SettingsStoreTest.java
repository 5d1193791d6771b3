package dev.berth.app.settings;

import dev.berth.app.i18n.Language;
import dev.berth.app.theme.Theme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsStoreTest {

    @TempDir
    Path tmp;

    @Test
    void savedSettingsReadBackAndTheFileIsPlainJson() throws Exception {
        SettingsStore store = new SettingsStore(tmp.resolve("berth/settings.json"));
        store.save(new Settings(Language.SIMPLIFIED_CHINESE, Theme.DARK));
        assertThat(store.load()).isEqualTo(new Settings(Language.SIMPLIFIED_CHINESE, Theme.DARK));
        String json = Files.readString(store.file());
        assertThat(json).contains("\"language\" : \"zh-CN\"").contains("\"theme\" : \"dark\"");
        try (var files = Files.list(store.file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("settings.json");
        }
    }

    @Test
    void fileLivesUnderXdgConfigHomeElseDotConfig() {
        assertThat(SettingsStore.defaultFile(Map.of("XDG_CONFIG_HOME", "/tmp/xdg")))
                .isEqualTo(Path.of("/tmp/xdg/berth/settings.json"));
        assertThat(SettingsStore.defaultFile(Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".config", "berth", "settings.json"));
    }

    @Test
    void missingFileGivesDefaults() {
        assertThat(new SettingsStore(tmp.resolve("none.json")).load()).isEqualTo(Settings.defaults());
    }

    @Test
    void unreadableFileIsKeptAsideNotLost() throws Exception {
        Path file = tmp.resolve("settings.json");
        Files.writeString(file, "{\"language\": \"zh-CN\", oops");
        SettingsStore store = new SettingsStore(file);
        assertThat(store.load()).isEqualTo(Settings.defaults());
        assertThat(Files.readString(tmp.resolve("settings.json.unreadable"))).isEqualTo("{\"language\": \"zh-CN\", oops");
        assertThat(file).doesNotExist();
    }

    @Test
    void unknownValuesFallBackPerField() throws Exception {
        Path file = tmp.resolve("settings.json");
        Files.writeString(file, "{\"language\": \"tlh\", \"theme\": \"dark\"}");
        assertThat(new SettingsStore(file).load()).isEqualTo(new Settings(Language.ENGLISH, Theme.DARK));
    }
}
