package dev.berth.engine.api.images;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.registry.Credentials;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryAuthTest {

    static String urlSafe(String json, boolean padded) {
        Base64.Encoder e = padded ? Base64.getUrlEncoder() : Base64.getUrlEncoder().withoutPadding();
        return e.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void headerOfUsernameAndPasswordGivesCredentials() {
        // '?>' makes the base64 hold '-' or '_' in url-safe form, '+' or '/' in the standard one
        String json = "{\"username\":\"alice\",\"password\":\"s3cr?>t~~\",\"serveraddress\":\"127.0.0.1:5000\"}";
        for (String header : new String[] {urlSafe(json, true), urlSafe(json, false),
                Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))}) {
            RegistryAuth a = RegistryAuth.decodeHeader(header);
            assertThat(a.credentials()).contains(new Credentials("alice", "s3cr?>t~~"));
            assertThat(a.server()).isEqualTo("127.0.0.1:5000");
        }
    }

    @Test
    void theAuthFieldIsUsedWhenThereIsNoUsername() {
        String auth = Base64.getEncoder().encodeToString("bob:pa:ss".getBytes(StandardCharsets.UTF_8));
        RegistryAuth a = RegistryAuth.decodeHeader(urlSafe("{\"auth\":\"" + auth + "\"}", true));
        assertThat(a.credentials()).contains(new Credentials("bob", "pa:ss"));
        assertThat(a.server()).isEqualTo("docker.io");
    }

    @Test
    void absentEmptyOrAnonymousHeadersMeanNoCredentials() {
        assertThat(RegistryAuth.decodeHeader(null).credentials()).isEmpty();
        assertThat(RegistryAuth.decodeHeader("  ").credentials()).isEmpty();
        assertThat(RegistryAuth.decodeHeader(urlSafe("{}", true)).credentials()).isEmpty();
        assertThat(RegistryAuth.decodeHeader(urlSafe("null", false)).credentials()).isEmpty();
        assertThat(RegistryAuth.decodeHeader(urlSafe("{\"username\":\"\",\"password\":\"\",\"email\":\"x\"}", true))
                .credentials()).isEmpty();
    }

    @Test
    void aHeaderThatIsNotBase64JsonIsRefusedNamingTheHeader() {
        assertThatThrownBy(() -> RegistryAuth.decodeHeader("not base64 !!"))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("X-Registry-Auth");
        assertThatThrownBy(() -> RegistryAuth.decodeHeader(urlSafe("[1,2]", true)))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("X-Registry-Auth");
        assertThatThrownBy(() -> RegistryAuth.decodeHeader(urlSafe("{\"username\":", true)))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("X-Registry-Auth");
        assertThatThrownBy(() -> RegistryAuth.decodeHeader(urlSafe("{\"auth\":\"bm9jb2xvbg==\"}", true)).credentials())
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("username:password");
    }

    @Test
    void toStringNeverShowsTheSecrets() {
        RegistryAuth a = RegistryAuth.parseBody(
                "{\"username\":\"u\",\"password\":\"hunter2\",\"auth\":\"dTpodW50ZXIy\",\"identitytoken\":\"tok9\"}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(a.toString()).doesNotContain("hunter2").doesNotContain("dTpodW50ZXIy").doesNotContain("tok9");
        assertThat(a.credentials().orElseThrow().toString()).doesNotContain("hunter2");
    }

    @Test
    void anEmptyLoginBodyIsRefused() {
        assertThatThrownBy(() -> RegistryAuth.parseBody(new byte[0]))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("username");
    }
}
