package dev.berth.app.backend;

import dev.berth.engine.EngineConfig;
import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded backend's registry settings: checked, stored in the engine's config.json, read on its next start. */
class EmbeddedBackendRegistryTest {

    @TempDir
    Path tmp;

    private EmbeddedBackend start() {
        return EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("berth.sock")), false);
    }

    @Test
    void registrySettingsAreCheckedStoredAndReadByTheEngineOnItsNextStart() {
        try (EmbeddedBackend b = start()) {
            assertThatThrownBy(() -> b.saveRegistrySettings(List.of("ftp://mirror"), List.of()))
                    .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("ftp://mirror");
            RegistrySettings s = b.saveRegistrySettings(List.of("https://mirror.example.com"), List.of("registry.lan:5000"));
            assertThat(s.editable()).isTrue();
            assertThat(Path.of(s.configFile())).isEqualTo(tmp.resolve("root/config.json"));
        }
        try (EmbeddedBackend again = start()) {
            assertThat(again.engine().config().registryMirrors()).containsExactly(URI.create("https://mirror.example.com"));
            assertThat(again.engine().config().insecureRegistries()).contains("registry.lan:5000");
            assertThat(again.registrySettings().mirrors()).containsExactly("https://mirror.example.com");
        }
    }
}
