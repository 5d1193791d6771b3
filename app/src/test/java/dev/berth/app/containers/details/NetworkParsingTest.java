package dev.berth.app.containers.details;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Network tab's reading of inspect's {@code NetworkSettings} (Docker's shape). */
class NetworkParsingTest {

    @Test
    void addressesPerNetworkAndPublishedTcpPortsGetABrowserUrl() throws Exception {
        JsonNode inspect = new ObjectMapper().readTree("""
                {"NetworkSettings": {
                  "Networks": {"bridge": {"IPAddress": "172.17.0.2", "IPPrefixLen": 16, "Gateway": "172.17.0.1",
                                          "MacAddress": "02:42:ac:11:00:02"}},
                  "Ports": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "18080"}, {"HostIp": "0.0.0.0", "HostPort": "8080"}],
                            "53/udp": [{"HostIp": "", "HostPort": "5353"}],
                            "443/tcp": null}}}""");
        assertThat(NetworkView.addresses(inspect)).containsExactly(
                new NetworkView.Address("bridge", "172.17.0.2/16", "172.17.0.1", "02:42:ac:11:00:02"));
        assertThat(NetworkView.ports(inspect)).containsExactly(
                new NetworkView.Port("80/tcp", "127.0.0.1:18080", "http://127.0.0.1:18080/"),
                new NetworkView.Port("80/tcp", "0.0.0.0:8080", "http://localhost:8080/"),
                new NetworkView.Port("53/udp", "0.0.0.0:5353", null),
                new NetworkView.Port("443/tcp", "", null));
    }
}
