package dev.berth.app.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.app.i18n.Language;
import dev.berth.app.theme.Theme;
import dev.berth.engine.state.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Reads and writes {@code settings.json}: {@code {"language": "zh-CN", "theme": "dark"}}.
 * Writes are atomic ({@link AtomicFiles}). A file that is not valid JSON is moved aside to
 * {@code settings.json.unreadable} (so nothing the user wrote is lost) and defaults are used.
 */
public final class SettingsStore {

    private static final System.Logger LOG = System.getLogger(SettingsStore.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public SettingsStore(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    /** {@code $XDG_CONFIG_HOME/berth/settings.json}, else {@code ~/.config/berth/settings.json}. */
    public static Path defaultFile(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("berth").resolve("settings.json");
    }

    public Path file() {
        return file;
    }

    /** The stored settings; defaults when there are none or they cannot be read. */
    public Settings load() {
        if (!Files.isRegularFile(file)) {
            return Settings.defaults();
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            Settings d = Settings.defaults();
            Language language = node.hasNonNull("language") ? Language.fromTag(node.get("language").asText()) : d.language();
            Theme theme = node.hasNonNull("theme") ? Theme.fromId(node.get("theme").asText()) : d.theme();
            return new Settings(language, theme);
        } catch (IOException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                LOG.log(System.Logger.Level.WARNING, "cannot read " + file + " (" + e.getMessage() + "); kept it as "
                        + aside + " and started with default settings");
            } catch (IOException moveFailed) {
                LOG.log(System.Logger.Level.WARNING, "cannot read " + file + " (" + e.getMessage() + ")");
            }
            return Settings.defaults();
        }
    }

    /** Atomically replaces the stored settings. */
    public void save(Settings settings) {
        ObjectNode node = JSON.createObjectNode();
        node.put("language", settings.language().tag());
        node.put("theme", settings.theme().id());
        try {
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
