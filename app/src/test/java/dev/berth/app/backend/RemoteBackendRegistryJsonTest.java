package dev.berth.app.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** Registry auth as the docker CLI sends it, and registry settings as dockerd reports them. */
class RemoteBackendRegistryJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void registryAuthHeaderIsBase64UrlJsonAsTheDockerCliSendsIt() throws Exception {
        String header = ApiClient.registryAuthHeader("berth", "s3cret", "127.0.0.1:5000");
        JsonNode n = JSON.readTree(new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8));
        assertThat(n.path("username").asText()).isEqualTo("berth");
        assertThat(n.path("password").asText()).isEqualTo("s3cret");
        assertThat(n.path("serveraddress").asText()).isEqualTo("127.0.0.1:5000");
    }

    @Test
    void registryConfigFromInfoListsMirrorsAndInsecureHostsReadOnly() throws Exception {
        RegistrySettings s = RemoteBackend.parseRegistrySettings(json("""
                {"InsecureRegistryCIDRs":["::1/128","127.0.0.0/8"],
                 "IndexConfigs":{"docker.io":{"Name":"docker.io","Mirrors":["https://m.example/"],"Secure":true,"Official":true},
                                 "registry.lan:5000":{"Name":"registry.lan:5000","Mirrors":[],"Secure":false,"Official":false}},
                 "Mirrors":["https://m.example/"]}"""));
        assertThat(s.mirrors()).containsExactly("https://m.example/");
        assertThat(s.insecureRegistries()).containsExactly("::1/128", "127.0.0.0/8", "registry.lan:5000");
        assertThat(s.editable()).isFalse();
    }
}
