package dev.berth.engine.network;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortSpecTest {

    @Test
    void parsesEveryShapeOfDashP() {
        assertThat(PortSpec.parse("80")).isEqualTo(new PortSpec("", 0, 0, 80, 80, "tcp"));
        assertThat(PortSpec.parse("8080:80")).isEqualTo(new PortSpec("", 8080, 8080, 80, 80, "tcp"));
        assertThat(PortSpec.parse("127.0.0.1:8080:80/udp")).isEqualTo(new PortSpec("127.0.0.1", 8080, 8080, 80, 80, "udp"));
        assertThat(PortSpec.parse("127.0.0.1::80")).isEqualTo(new PortSpec("127.0.0.1", 0, 0, 80, 80, "tcp"));
        assertThat(PortSpec.parse("0.0.0.0:53:53/UDP")).isEqualTo(new PortSpec("", 53, 53, 53, 53, "udp"));
        assertThat(PortSpec.parse("8000-8002:80-82")).isEqualTo(new PortSpec("", 8000, 8002, 80, 82, "tcp"));
        PortSpec hostRange = PortSpec.parse("8000-8010:80");
        assertThat(hostRange).isEqualTo(new PortSpec("", 8000, 8010, 80, 80, "tcp"));
        assertThat(hostRange.needsHostPort()).isTrue();
        assertThat(PortSpec.parse("8080:80").needsHostPort()).isFalse();
    }

    @Test
    void refusesAnIpv6HostAddressSayingWhyAndWhatToUseInstead() {
        assertThatThrownBy(() -> PortSpec.parse("[::1]:8080:80")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("cannot publish [::1]:8080:80 on the IPv6 host address ::1: Berth publishes ports on IPv4 only"
                        + " (containers have IPv4 addresses); use an IPv4 address such as 127.0.0.1 instead");
        assertThatThrownBy(() -> PortSpec.parse("[::]:8080:80/udp")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("IPv6 host address ::").hasMessageContaining("such as 0.0.0.0");
        assertThatThrownBy(() -> PortSpec.parse("fe80::1:8080:80")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("IPv4 only");
    }

    @Test
    void refusesBadSpecsWithDockersWords() {
        assertThatThrownBy(() -> PortSpec.parse("")).isInstanceOf(EngineException.InvalidArgument.class).hasMessageStartingWith("No port specified");
        assertThatThrownBy(() -> PortSpec.parse("8080:")).hasMessageStartingWith("No port specified: 8080:");
        assertThatThrownBy(() -> PortSpec.parse("http")).hasMessage("Invalid containerPort: http");
        assertThatThrownBy(() -> PortSpec.parse("70000")).hasMessage("Invalid containerPort: 70000");
        assertThatThrownBy(() -> PortSpec.parse("x:80")).hasMessage("Invalid hostPort: x");
        assertThatThrownBy(() -> PortSpec.parse("80/sctp")).hasMessage("Invalid proto: sctp");
        assertThatThrownBy(() -> PortSpec.parse("300.1.1.1:80:80")).hasMessage("Invalid ip address: 300.1.1.1");
        assertThatThrownBy(() -> PortSpec.parse("8000-8001:80-82"))
                .hasMessage("Invalid ranges specified for container and host Ports: 80-82");
        assertThatThrownBy(() -> PortSpec.parse("90-80")).hasMessage("Invalid containerPort: 90-80");
    }

    @Test
    void publishAllTurnsEveryExposedPortIntoAFreeHostPortRequest() {
        assertThat(PortSpec.publishAll(List.of("8080/tcp", "53/udp", "7000-7001")))
                .containsExactly(new PortSpec("", 0, 0, 8080, 8080, "tcp"), new PortSpec("", 0, 0, 53, 53, "udp"),
                        new PortSpec("", 0, 0, 7000, 7000, "tcp"), new PortSpec("", 0, 0, 7001, 7001, "tcp"));
        assertThatThrownBy(() -> PortSpec.publishAll(List.of("1:2"))).isInstanceOf(EngineException.InvalidArgument.class);
    }

    @Test
    void portMappingPrintsLikeDockerPort() {
        assertThat(PortMapping.of("127.0.0.1", 18080, 8080, "tcp")).hasToString("8080/tcp -> 127.0.0.1:18080");
        assertThat(new PortMapping("", 80, 8000, 3, "udp")).hasToString("80-82/udp -> 0.0.0.0:8000-8002");
    }
}
