package dev.berth.app.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.images.ImagesClient;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.errors.EngineException;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.RegistryExtension;
import dev.berth.testkit.WithRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Logins through the Docker API client: /auth checks them, the session keeps them, X-Registry-Auth carries them on a pull. */
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
            ImagesClient images = ImagesClient.of(client);
            assertThat(client.registryAuth(registry.host())).isEmpty();
            assertThatThrownBy(() -> images.pull(ref, null, p -> { })).isInstanceOf(EngineException.Unauthorized.class);
            assertThatThrownBy(() -> client.login(registry.host(), RegistryExtension.USERNAME, "wrong"))
                    .isInstanceOf(EngineException.Unauthorized.class);
            client.login(registry.host(), RegistryExtension.USERNAME, RegistryExtension.PASSWORD);
            // the login of this session travels with the pull, as the docker CLI sends it
            String header = client.registryAuth(registry.host()).orElseThrow();
            JsonNode auth = ApiClient.JSON.readTree(Base64.getUrlDecoder().decode(header));
            assertThat(auth.path("username").asText()).isEqualTo(RegistryExtension.USERNAME);
            assertThat(auth.path("serveraddress").asText()).isEqualTo(registry.host());
            String id = images.pull(ref, null, p -> { });
            assertThat(server.engine().imageService().inspect(ref).image().id().toString()).isEqualTo(id);
            assertThat(client.logout(registry.host())).isTrue();
            assertThat(client.logout(registry.host())).isFalse();
            assertThat(client.registryAuth(registry.host())).isEmpty();
        }
    }
}
