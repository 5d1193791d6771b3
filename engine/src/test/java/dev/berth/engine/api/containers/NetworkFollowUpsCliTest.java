package dev.berth.engine.api.containers;

import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a running container sees of its networks changing, through the docker CLI against a real
 * engine (runc, netavark, aardvark-dns): {@code /etc/hosts} on connect and disconnect, links across
 * renames. Traffic goes only to container addresses.
 */
@RootOnly
class NetworkFollowUpsCliTest {

    static NetworkedEngine net;

    @BeforeAll
    static void start() {
        net = NetworkedEngine.start("10.77.70.0/24", "bnwf");
    }

    @AfterAll
    static void stop() {
        if (net != null) {
            net.close();
        }
    }

    @AfterEach
    void clean() {
        net.clean();
    }

    @Test
    void connectAddsTheNewAddressToEtcHostsAndDisconnectRemovesIt() {
        net.ok("network", "create", "--subnet", "10.77.71.0/24", "second");
        net.ok("run", "-d", "--name", "mover", "-h", "mover-host", "--add-host", "kept.test:10.1.2.3", "busybox", "sleep", "300");
        String bridgeIp = net.ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "mover").strip();
        assertThat(net.ok("exec", "mover", "cat", "/etc/hosts")).contains(bridgeIp + "\tmover-host\n").doesNotContain("10.77.71.");

        net.ok("network", "connect", "--ip", "10.77.71.9", "second", "mover");
        String joined = net.ok("exec", "mover", "cat", "/etc/hosts");
        assertThat(joined).contains(bridgeIp + "\tmover-host\n", "10.77.71.9\tmover-host\n", "10.1.2.3\tkept.test\n");
        // the names resolve to the addresses inside the container
        assertThat(net.ok("exec", "mover", "grep", "-c", "mover-host", "/etc/hosts")).isEqualTo("2\n");

        net.ok("network", "disconnect", "second", "mover");
        String left = net.ok("exec", "mover", "cat", "/etc/hosts");
        assertThat(left).doesNotContain("10.77.71.9").contains(bridgeIp + "\tmover-host\n", "10.1.2.3\tkept.test\n");

        // leaving the first network deletes its line too
        net.ok("network", "connect", "second", "mover");
        net.ok("network", "disconnect", "bridge", "mover");
        String onlySecond = net.ok("exec", "mover", "cat", "/etc/hosts");
        assertThat(onlySecond).doesNotContain(bridgeIp + "\t").containsPattern("10\\.77\\.71\\.\\d+\tmover-host\n");
    }

    @Test
    void aContainerStartedOnTwoNetworksHasBothAddressesInEtcHosts() {
        net.ok("network", "create", "--subnet", "10.77.72.0/24", "third");
        net.ok("create", "--name", "twice", "busybox", "sleep", "300");
        net.ok("network", "connect", "--ip", "10.77.72.20", "third", "twice");
        net.ok("start", "twice");
        String id = net.ok("inspect", "-f", "{{.Id}}", "twice").strip().substring(0, 12);
        String bridgeIp = net.ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "twice").strip();
        assertThat(net.ok("exec", "twice", "cat", "/etc/hosts"))
                .contains(bridgeIp + "\t" + id + "\n", "10.77.72.20\t" + id + "\n");
    }
}
