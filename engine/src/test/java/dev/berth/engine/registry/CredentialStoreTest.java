package dev.berth.engine.registry;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialStoreTest {

    @TempDir
    Path dir;

    @Test
    void storesDockerCompatibleAuthWithMode0600AndKeepsOtherFields() throws Exception {
        Path file = dir.resolve("auth.json");
        Files.writeString(file, """
                {"auths":{"ghcr.io":{"auth":"b2xkOm9sZA=="}},"credHelpers":{"gcr.io":"gcloud"},"psFormat":"table"}
                """);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        CredentialStore store = new CredentialStore(file);
        assertThat(store.get("ghcr.io")).contains(new Credentials("old", "old"));

        store.store("127.0.0.1:5000", new Credentials("bob", "p:ss:w0rd"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String json = Files.readString(file);
        assertThat(json).contains("\"127.0.0.1:5000\"").contains("\"auth\" : \"Ym9iOnA6c3M6dzByZA==\"")
                .contains("credHelpers").contains("psFormat").contains("ghcr.io").doesNotContain("p:ss:w0rd");
        assertThat(new CredentialStore(file).get("127.0.0.1:5000")).contains(new Credentials("bob", "p:ss:w0rd"));

        assertThat(store.remove("127.0.0.1:5000")).isTrue();
        assertThat(store.get("127.0.0.1:5000")).isEmpty();
        assertThat(store.get("ghcr.io")).isPresent();
        assertThat(store.remove("127.0.0.1:5000")).isFalse();
    }

    @Test
    void readsDockerHubLoginsUnderAnyOfItsSpellings() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, """
                {"auths":{"https://index.docker.io/v1/":{"auth":"dTpw"},"http://reg.lan:5000/v2/":{"username":"x","password":"y"}}}
                """);
        CredentialStore store = new CredentialStore(file);
        assertThat(store.get("docker.io")).contains(new Credentials("u", "p"));
        assertThat(store.get("registry-1.docker.io")).contains(new Credentials("u", "p"));
        assertThat(store.get("reg.lan:5000")).contains(new Credentials("x", "y"));
        assertThat(store.get("reg.lan")).isEmpty();
        // a new login for Docker Hub replaces the old spelling rather than adding a second entry
        store.store("docker.io", new Credentials("u2", "p2"));
        assertThat(Files.readString(file)).doesNotContain("index.docker.io").contains("\"docker.io\"");
        assertThat(store.get("index.docker.io")).contains(new Credentials("u2", "p2"));
    }

    @Test
    void aBrokenFileIsReportedWithoutEchoingItsContent() throws Exception {
        Path file = dir.resolve("auth.json");
        Files.writeString(file, "{\"auths\":{\"h\":{\"auth\":\"c2VjcmV0LXZhbHVl\"}");
        assertThatThrownBy(() -> new CredentialStore(file).get("h"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage(file + " is not a valid auth.json (expected a JSON object with \"auths\")");
        Files.writeString(file, "{\"auths\":{\"h\":{\"auth\":\"bm9jb2xvbg==\"}}}");
        assertThatThrownBy(() -> new CredentialStore(file).get("h"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("the login for h in " + file + " is not user:password; log in again");
        assertThat(new CredentialStore(dir.resolve("missing.json")).get("h")).isEmpty();
        assertThat(new CredentialStore(file).toString()).isEqualTo("CredentialStore[" + file + "]");
    }
}
