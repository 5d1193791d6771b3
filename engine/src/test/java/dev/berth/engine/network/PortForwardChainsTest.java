package dev.berth.engine.network;

import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one chain clean-up the engine does itself, on the host's real iptables (a chain of its own). */
@RootOnly
class PortForwardChainsTest {

    @Test
    void theChainIsNamedAsNetavarkNamesItFromTheNetworkId() {
        // netavark 1.4: "NETAVARK-DN-" + the first 13 upper-case hex digits of SHA-512(name); SHA-512("abc") starts ddaf35a193617...
        assertThat(PortForwardChains.chainName("abc")).isEqualTo("NETAVARK-DN-DDAF35A193617");
    }

    @Test
    void aChainStillHoldingARuleIsKeptAndAnEmptyOneIsDeleted() {
        String networkId = NetworkService.randomHex(32);
        String chain = PortForwardChains.chainName(networkId);
        try {
            assertThat(PortForwardChains.removeIfEmpty(networkId)).as("no chain yet").isFalse();
            assertThat(NetHost.run(List.of("iptables", "-w", "10", "-t", "nat", "-N", chain), 10).exit()).isZero();
            assertThat(NetHost.run(List.of("iptables", "-w", "10", "-t", "nat", "-A", chain, "-j", "RETURN"), 10).exit()).isZero();

            assertThat(PortForwardChains.removeIfEmpty(networkId)).isFalse();
            assertThat(NetHost.iptables()).contains("-A " + chain + " -j RETURN");

            assertThat(NetHost.run(List.of("iptables", "-w", "10", "-t", "nat", "-F", chain), 10).exit()).isZero();
            assertThat(PortForwardChains.removeIfEmpty(networkId)).isTrue();
            assertThat(NetHost.iptables()).noneMatch(l -> l.contains(chain));
        } finally {
            NetHost.run(List.of("iptables", "-w", "10", "-t", "nat", "-F", chain), 10);
            NetHost.run(List.of("iptables", "-w", "10", "-t", "nat", "-X", chain), 10);
        }
    }
}
