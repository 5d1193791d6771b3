package dev.berth.engine.image;

import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.errors.EngineException;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.Mounts;
import dev.berth.testkit.RootOnly;
import dev.berth.testkit.WithRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine's {@code <root>/config.json} (daemon.json's registry names) and where logins live. */
@RootOnly
@WithRegistry
class EngineConfigFileTest {

    LocalRegistry registry;

    @TempDir
    Path tmp;

    @Test
    void registryMirrorsFromConfigJsonServeDockerHubNames() throws Exception {
        BusyboxImage image = BusyboxImage.build(tmp.resolve("img"));
        image.pushTo(registry, "library/busybox:latest");
        Path root = tmp.resolve("root");
        Files.createDirectories(root);
        Files.writeString(root.resolve("config.json"), "{\"registry-mirrors\": [\"" + registry.url() + "\"],"
                + " \"insecure-registries\": [\"registry.example:5000\"], \"debug\": true}");
        try (Engine engine = Engine.start(new EngineConfig(root, tmp.resolve("s.sock")))) {
            assertThat(engine.config().registryMirrors()).containsExactly(URI.create(registry.url()));
            assertThat(engine.config().insecureRegistries()).containsExactly("registry.example:5000");
            assertThat(engine.registry().hosts().isInsecure("registry.example:5000")).isTrue();
            ImageRecord r = engine.imageService().pull(Reference.parse("busybox"), ImageService.PullOptions.defaults(), null);
            assertThat(r.id()).isEqualTo(image.config().digest());
            assertThat(engine.images().resolve("busybox:latest").id()).isEqualTo(r.id());
            assertThat(engine.imageService().list(false, java.util.Map.of("reference", List.of("busy*"))))
                    .extracting(s -> s.image().id()).containsExactly(r.id());
        } finally {
            Mounts.unmountAllUnder(tmp);
        }
    }

    @Test
    void aBrokenConfigJsonIsRefusedNamingTheFileAndLine() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root);
        Files.writeString(root.resolve("config.json"), "{\n  \"registry-mirrors\": [\"https://m.example\",]\n}");
        assertThatThrownBy(() -> Engine.start(new EngineConfig(root, tmp.resolve("s.sock"))))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining(root.resolve("config.json").toString()).hasMessageContaining("line 2");
        Files.writeString(root.resolve("config.json"), "{\"registry-mirrors\": [\"ftp://m.example\"]}");
        assertThatThrownBy(() -> Engine.start(new EngineConfig(root, tmp.resolve("s.sock"))))
                .hasMessageContaining("ftp://m.example");
        // the root is free again after a refused start
        Files.delete(root.resolve("config.json"));
        try (Engine engine = Engine.start(new EngineConfig(root, tmp.resolve("s.sock")))) {
            assertThat(engine.config().registryMirrors()).isEmpty();
        }
    }

    @Test
    void loginStoresCredentialsInAuthJsonUnderTheRootWithMode0600() throws Exception {
        // the class registry is anonymous; this test starts its own Basic-auth registry
        try (LocalRegistry secured = LocalRegistry.startWithBasicAuth("berth", "s3cret!")) {
            Path root = tmp.resolve("root");
            try (Engine engine = Engine.start(new EngineConfig(root, tmp.resolve("s.sock")))) {
                assertThatThrownBy(() -> engine.imageService().login(secured.host(),
                        new dev.berth.engine.registry.Credentials("berth", "wrong")))
                        .isInstanceOf(EngineException.Unauthorized.class).hasMessageNotContaining("wrong");
                engine.imageService().login(secured.host(), new dev.berth.engine.registry.Credentials("berth", "s3cret!"));
                Path auth = root.resolve("auth.json");
                assertThat(Files.getPosixFilePermissions(auth)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
                assertThat(engine.imageService().logout(secured.host())).isTrue();
                assertThat(engine.imageService().logout(secured.host())).isFalse();
            }
        }
    }
}
