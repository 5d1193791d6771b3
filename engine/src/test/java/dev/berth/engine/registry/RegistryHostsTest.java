package dev.berth.engine.registry;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryHostsTest {

    @Test
    void loopbackRegistriesUseHttpOthersHttps() {
        RegistryHosts hosts = new RegistryHosts(List.of(), List.of());
        assertThat(hosts.pushHost("127.0.0.1:5000").base()).isEqualTo(URI.create("http://127.0.0.1:5000"));
        assertThat(hosts.pushHost("127.0.0.53").base()).isEqualTo(URI.create("http://127.0.0.53"));
        assertThat(hosts.pushHost("localhost:5000").base()).isEqualTo(URI.create("http://localhost:5000"));
        assertThat(hosts.pushHost("[::1]:5000").base()).isEqualTo(URI.create("http://[::1]:5000"));
        assertThat(hosts.pushHost("ghcr.io").base()).isEqualTo(URI.create("https://ghcr.io"));
        assertThat(hosts.pushHost("127.0.0.1.nip.io:5000").base().getScheme()).isEqualTo("https");
        assertThat(hosts.pushHost("10.1.2.3:5000").base().getScheme()).isEqualTo("https");
    }

    @Test
    void insecureRegistriesByHostPortOrCidrUseHttp() {
        RegistryHosts hosts = new RegistryHosts(List.of("registry.lan:5000", "build-cache", "10.0.0.0/8", "fd00::/8"), List.of());
        assertThat(hosts.pushHost("registry.lan:5000").base().getScheme()).isEqualTo("http");
        assertThat(hosts.pushHost("registry.lan:6000").base().getScheme()).isEqualTo("https");
        assertThat(hosts.pushHost("build-cache:443").base().getScheme()).isEqualTo("http");
        assertThat(hosts.pushHost("10.1.2.3:5000").base()).isEqualTo(URI.create("http://10.1.2.3:5000"));
        assertThat(hosts.pushHost("11.1.2.3:5000").base().getScheme()).isEqualTo("https");
        assertThat(hosts.pushHost("[fd12::1]:5000").base().getScheme()).isEqualTo("http");
        assertThatThrownBy(() -> new RegistryHosts(List.of("10.0.0.0/99"), List.of()).isInsecure("10.0.0.1"))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("10.0.0.0/99");
    }

    @Test
    void dockerHubPullsTryMirrorsInOrderThenRegistry1AndPushesNeverGoToAMirror() {
        RegistryHosts hosts = new RegistryHosts(List.of(),
                List.of(URI.create("https://mirror.example.com/"), URI.create("http://10.0.0.5:5000")));
        List<RegistryHost> pull = hosts.pullHosts("docker.io");
        assertThat(pull).extracting(h -> h.base().toString())
                .containsExactly("https://mirror.example.com", "http://10.0.0.5:5000", "https://registry-1.docker.io");
        assertThat(pull).extracting(RegistryHost::mirror).containsExactly(true, true, false);
        assertThat(pull.getLast().credentialKey()).isEqualTo("docker.io");
        assertThat(hosts.pullHosts("index.docker.io")).hasSize(3);
        assertThat(hosts.pushHost("docker.io").base()).isEqualTo(URI.create("https://registry-1.docker.io"));
        assertThat(hosts.pushHost("docker.io").mirror()).isFalse();
        // mirrors are for Docker Hub only
        assertThat(hosts.pullHosts("ghcr.io")).extracting(h -> h.base().toString()).containsExactly("https://ghcr.io");
        assertThatThrownBy(() -> new RegistryHosts(List.of(), List.of(URI.create("mirror.example.com"))))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("invalid registry mirror");
    }

    @Test
    void repositoriesUseDockerHubsNames() {
        assertThat(new RegistryRepository("docker.io", "busybox").path()).isEqualTo("library/busybox");
        assertThat(new RegistryRepository("registry-1.docker.io", "busybox").toString()).isEqualTo("docker.io/library/busybox");
        assertThat(new RegistryRepository("docker.io", "bitnami/redis").path()).isEqualTo("bitnami/redis");
        assertThat(new RegistryRepository("127.0.0.1:5000", "x").path()).isEqualTo("x");
        assertThatThrownBy(() -> new RegistryRepository("127.0.0.1:5000", "Upper/Case"))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("\"Upper/Case\"");
        assertThatThrownBy(() -> new RegistryRepository("127.0.0.1:5000", "../etc"))
                .isInstanceOf(EngineException.InvalidArgument.class);
    }

    @Test
    void challengesAreParsedWithQuotedCommas() {
        AuthChallenge c = AuthChallenge.pick(List.of(
                "Basic realm=\"Registry Realm\"",
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                        + "scope=\"repository:library/busybox:pull repository:a/b:pull,push\"")).orElseThrow();
        assertThat(c.isBearer()).isTrue();
        assertThat(c.param("realm")).isEqualTo("https://auth.docker.io/token");
        assertThat(c.param("service")).isEqualTo("registry.docker.io");
        assertThat(c.param("scope")).isEqualTo("repository:library/busybox:pull repository:a/b:pull,push");
        AuthChallenge basic = AuthChallenge.parse("basic realm=basic-realm").orElseThrow();
        assertThat(basic.isBasic()).isTrue();
        assertThat(basic.param("realm")).isEqualTo("basic-realm");
        assertThat(AuthChallenge.pick(List.of())).isEmpty();
    }
}
