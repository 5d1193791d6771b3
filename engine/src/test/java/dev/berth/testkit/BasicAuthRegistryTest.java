package dev.berth.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@WithRegistry(basicAuth = true)
class BasicAuthRegistryTest {

    LocalRegistry registry;

    @Test
    void anonymousRequestIsRefusedWithABasicChallenge() {
        HttpResponse<byte[]> r = Http.get(registry.url() + "/v2/");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                h -> assertThat(h).startsWith("Basic").contains("realm=\"berth-test\""));
    }

    @Test
    void configuredCredentialsAreAccepted() {
        LocalRegistry.Credentials c = registry.credentials().orElseThrow();
        assertThat(c.username()).isEqualTo(RegistryExtension.USERNAME);
        HttpResponse<byte[]> r = Http.get(registry.url() + "/v2/", "Authorization", c.basicHeader());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void wrongPasswordIsRefused() {
        String wrong = new LocalRegistry.Credentials(RegistryExtension.USERNAME, "not-the-password").basicHeader();
        assertThat(Http.get(registry.url() + "/v2/", "Authorization", wrong).statusCode()).isEqualTo(401);
    }

    @Test
    void pushAuthenticatesAndAnonymousPullOfTheManifestIsRefused(@TempDir Path dir) {
        BusyboxImage image = BusyboxImage.build(dir.resolve("layout"));
        assertThat(image.pushTo(registry, "secret/busybox:1")).isEqualTo(image.manifest().digest());

        String manifestUrl = registry.url() + "/v2/secret/busybox/manifests/1";
        String accept = image.manifest().mediaType();
        assertThat(Http.get(manifestUrl, "Accept", accept).statusCode()).isEqualTo(401);
        HttpResponse<byte[]> authed = Http.get(manifestUrl, "Accept", accept,
                "Authorization", registry.credentials().orElseThrow().basicHeader());
        assertThat(authed.statusCode()).isEqualTo(200);
        assertThat(authed.body()).isEqualTo(image.manifestBytes());
    }

    @Test
    void pushWithAWrongPasswordFailsLoudly(@TempDir Path dir) {
        BusyboxImage image = BusyboxImage.build(dir.resolve("layout"));
        LocalRegistry.Credentials wrong = new LocalRegistry.Credentials(RegistryExtension.USERNAME, "wrong");
        assertThatThrownBy(() -> image.pushTo(registry.host(), Optional.of(wrong), "x/y:z"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("skopeo copy");
        assertThatThrownBy(() -> image.pushTo(registry.host(), Optional.empty(), "x/y:z"))
                .isInstanceOf(IllegalStateException.class);
    }
}
