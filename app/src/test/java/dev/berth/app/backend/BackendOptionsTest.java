package dev.berth.app.backend;

import dev.berth.engine.EngineConfig;
import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendOptionsTest {

    @Test
    void defaultsAreTheEnginesDefaults() {
        BackendOptions o = BackendOptions.parse(new String[0], Map.of());
        assertThat(o.socket()).isEqualTo(EngineConfig.DEFAULT_SOCKET);
        assertThat(o.root()).isEqualTo(EngineConfig.DEFAULT_ROOT);
        assertThat(o.host()).isEmpty();
    }

    @Test
    void berthSocketEnvironmentIsUsedUnlessSocketIsGiven() {
        assertThat(BackendOptions.parse(new String[0], Map.of("BERTH_SOCKET", "/tmp/a.sock")).socket()).isEqualTo(Path.of("/tmp/a.sock"));
        assertThat(BackendOptions.parse(new String[] {"--socket", "/tmp/b.sock"}, Map.of("BERTH_SOCKET", "/tmp/a.sock")).socket())
                .isEqualTo(Path.of("/tmp/b.sock"));
    }

    @Test
    void rootSocketAndHostParseInBothSpellings() {
        BackendOptions o = BackendOptions.parse(new String[] {"--root=/tmp/r", "--socket", "/tmp/s.sock", "--host", "tcp://127.0.0.1:2375"}, Map.of());
        assertThat(o.root()).isEqualTo(Path.of("/tmp/r"));
        assertThat(o.engineConfig()).isEqualTo(new EngineConfig(Path.of("/tmp/r"), Path.of("/tmp/s.sock")));
        assertThat(o.host()).contains(new DockerHost.Tcp("127.0.0.1", 2375));
    }

    @Test
    void badOptionsAreRefusedNamingThem() {
        assertThatThrownBy(() -> BackendOptions.parse(new String[] {"--rooot", "/x"}, Map.of()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("--rooot");
        assertThatThrownBy(() -> BackendOptions.parse(new String[] {"--socket"}, Map.of()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("--socket needs a value");
        assertThatThrownBy(() -> BackendOptions.parse(new String[] {"--host", "ssh://box"}, Map.of()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("ssh://box");
    }

    @Test
    void dockerHostParsesUnixTcpAndBarePaths() {
        assertThat(DockerHost.parse("unix:///run/berth/berth.sock")).isEqualTo(new DockerHost.Unix(Path.of("/run/berth/berth.sock")));
        assertThat(DockerHost.parse("/var/run/docker.sock")).isEqualTo(new DockerHost.Unix(Path.of("/var/run/docker.sock")));
        assertThat(DockerHost.parse("tcp://localhost:2376/")).isEqualTo(new DockerHost.Tcp("localhost", 2376));
        assertThat(DockerHost.parse("unix:///x.sock").toString()).isEqualTo("unix:///x.sock");
        assertThatThrownBy(() -> DockerHost.parse("unix://relative.sock")).isInstanceOf(EngineException.InvalidArgument.class);
        assertThatThrownBy(() -> DockerHost.parse("tcp://hostonly")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("tcp://HOST:PORT");
    }

    @Test
    void apiVersionsCompareNumerically() {
        assertThat(ApiVersion.parse("1.9")).isLessThan(ApiVersion.parse("1.10"));
        assertThat(RemoteBackend.MAX_API_VERSION.min(ApiVersion.parse("1.43"))).isEqualTo(new ApiVersion(1, 43));
        assertThat(RemoteBackend.MAX_API_VERSION.min(ApiVersion.parse("1.51"))).isEqualTo(new ApiVersion(1, 47));
        assertThatThrownBy(() -> ApiVersion.parse("v1")).isInstanceOf(EngineException.InvalidArgument.class);
    }
}
