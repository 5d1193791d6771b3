package dev.berth.app.backend;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistrySettingsFileTest {

    @TempDir
    Path tmp;

    @Test
    void writesDockersKeysAndKeepsTheOtherOnes() throws Exception {
        Path file = tmp.resolve("root/config.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"debug\": true}");
        RegistrySettings s = new RegistrySettingsFile(file).write(
                List.of(" https://mirror.example.com ", "", "https://mirror.example.com"), List.of("registry.lan:5000", "10.0.0.0/8"));
        assertThat(s.mirrors()).containsExactly("https://mirror.example.com");
        assertThat(s.insecureRegistries()).containsExactly("registry.lan:5000", "10.0.0.0/8");
        assertThat(s.editable()).isTrue();
        String json = Files.readString(file);
        assertThat(json).contains("\"debug\" : true", "\"registry-mirrors\"", "\"insecure-registries\"");
        assertThat(new RegistrySettingsFile(file).read()).isEqualTo(s);
    }

    @Test
    void badEntriesAreRefusedByNameAndNothingIsWritten() throws Exception {
        Path file = tmp.resolve("config.json");
        RegistrySettingsFile f = new RegistrySettingsFile(file);
        assertThatThrownBy(() -> f.write(List.of("mirror.example.com"), List.of()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("\"mirror.example.com\"");
        assertThatThrownBy(() -> f.write(List.of(), List.of("http://registry.lan")))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("without http://");
        assertThatThrownBy(() -> f.write(List.of(), List.of("10.0.0.300/8")))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("300");
        assertThatThrownBy(() -> f.write(List.of(), List.of("host:99999")))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("port");
        assertThat(file).doesNotExist();
    }
}
