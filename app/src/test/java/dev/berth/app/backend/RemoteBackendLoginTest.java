package dev.berth.app.backend;

import dev.berth.engine.EngineConfig;
import dev.berth.engine.errors.EngineException;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.RegistryExtension;
import dev.berth.testkit.WithRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Logins through the Docker API client: /auth checks them, X-Registry-Auth carries them on a pull. */
@WithRegistry(basicAuth = true)
class RemoteBackendLoginTest {

    LocalRegistry registry;

    @TempDir
    Path tmp;

    @Test
    void aPrivateImageNeedsTheLoginAndPullsAfterIt() throws Exception {
        BusyboxImage.build(tmp.resolve("layout")).pushTo(registry, "private/box:1");
        String ref = registry.host() + "/private/box:1";
        Path socket = tmp.resolve("berth.sock");
        try (EmbeddedBackend server = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), socket), true);
             RemoteBackend client = RemoteBackend.connect(new DockerHost.Unix(socket))) {
            assertThatThrownBy(() -> client.pullImage(ref, null, p -> { })).isInstanceOf(EngineException.Unauthorized.class);
            assertThatThrownBy(() -> client.login(registry.host(), RegistryExtension.USERNAME, "wrong"))
                    .isInstanceOf(EngineException.Unauthorized.class);
            client.login(registry.host(), RegistryExtension.USERNAME, RegistryExtension.PASSWORD);
            String id = client.pullImage(ref, null, p -> { });
            assertThat(server.images()).anyMatch(s -> s.id().equals(id));
            assertThat(client.logout(registry.host())).isTrue();
            assertThat(client.logout(registry.host())).isFalse();
        }
    }
}
