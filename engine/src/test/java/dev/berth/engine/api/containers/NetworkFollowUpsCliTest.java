package dev.berth.engine.api.containers;

import dev.berth.testkit.DockerCli;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a running container sees of its networks changing, through the docker CLI against a real
 * engine (runc, netavark, aardvark-dns): {@code /etc/hosts} on connect and disconnect, links across
 * renames. Traffic goes only to container addresses.
 */
@RootOnly
class NetworkFollowUpsCliTest {

    @RegisterExtension
    static final NetworkedEngine net = NetworkedEngine.perClass("10.77.70.0/24", "bnwf").cleaningAfterEach();

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

    @Test
    void aLinkFollowsTheRenameOfTheLinkedContainerNotItsOldName() {
        net.ok("run", "-d", "--name", "db", "busybox", "sleep", "300");
        String dbId = net.ok("inspect", "-f", "{{.Id}}", "db").strip().substring(0, 12);
        net.ok("create", "--name", "web", "--link", "db:dbalias", "busybox", "sleep", "300");
        net.ok("rename", "db", "database");
        // the old name is free again and another container takes it: the link stays with the renamed one
        net.ok("run", "-d", "--name", "db", "busybox", "sleep", "300");
        assertThat(net.ok("inspect", "-f", "{{.HostConfig.Links}}", "web")).isEqualTo("[/database:/web/dbalias]\n");
        assertThat(net.ok("network", "inspect", "-f", "{{range .Containers}}{{.Name}} {{end}}", "bridge"))
                .contains("database ").doesNotContain("dbalias");

        net.ok("start", "web");
        String dbIp = net.ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "database").strip();
        String impostorIp = net.ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "db").strip();
        assertThat(dbIp).isNotEqualTo(impostorIp);
        assertThat(net.ok("exec", "web", "cat", "/etc/hosts"))
                .contains(dbIp + "\tdbalias database " + dbId + "\n")
                .doesNotContain(impostorIp + "\t");
        assertThat(net.ok("exec", "web", "ping", "-c1", "-W2", "dbalias")).contains(dbIp);

        // renaming the linking container keeps its links, under its new name
        net.ok("rename", "web", "site");
        assertThat(net.ok("inspect", "-f", "{{.HostConfig.Links}}", "site")).isEqualTo("[/database:/site/dbalias]\n");
    }

    @Test
    void aRunningLinkingContainerFollowsTheLinkedContainerToItsNewAddressAfterARestart() {
        net.ok("run", "-d", "--name", "store", "busybox", "sleep", "300");
        net.ok("run", "-d", "--name", "app", "--link", "store:cache", "busybox", "sleep", "300");
        String first = net.ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "store").strip();
        assertThat(net.ok("exec", "app", "cat", "/etc/hosts")).contains(first + "\tcache store ");

        net.ok("stop", "-t", "0", "store");
        net.ok("run", "-d", "--name", "squatter", "busybox", "sleep", "300"); // takes the freed address
        assertThat(net.ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "squatter").strip()).isEqualTo(first);
        net.ok("start", "store");
        String second = net.ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "store").strip();
        assertThat(second).isNotEqualTo(first);

        assertThat(net.ok("exec", "app", "cat", "/etc/hosts")).contains(second + "\tcache store ").doesNotContain(first + "\tcache");
        assertThat(net.ok("exec", "app", "ping", "-c1", "-W2", "cache")).contains(second);
    }

    @Test
    void anIpv6HostAddressIsRefusedClearlyAndADualStackBindingServesIpv4() {
        DockerCli.Run refused = net.docker("run", "-d", "--name", "v6", "-p", "[::1]:8080:80", "busybox", "sleep", "300");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("on the IPv6 host address ::1: Berth publishes ports on IPv4 only")
                .contains("use an IPv4 address such as 127.0.0.1");
        assertThat(net.docker("inspect", "v6").exit()).as("nothing created").isNotZero();

        int port = NetworkedEngine.freePort();
        // an explicit IPv6 address is refused even next to an IPv4 one: it would not be served
        assertThat(net.docker("run", "-d", "--name", "v6", "-p", "127.0.0.1:" + port + ":80", "-p", "[::1]:" + port + ":80",
                "busybox", "sleep", "300").err()).contains("IPv6 host address ::1");
        // [::] next to 0.0.0.0 on the same port (how clients copy an inspected binding back) is a dual-stack
        // publish: served on IPv4
        net.ok("run", "-d", "--name", "dual", "-p", "0.0.0.0:" + port + ":80", "-p", "[::]:" + port + ":80",
                "busybox", "httpd", "-f", "-p", "80", "-h", "/etc");
        assertThat(net.ok("port", "dual")).isEqualTo("80/tcp -> 0.0.0.0:" + port + "\n");
        assertThat(NetworkedEngine.httpGet("http://127.0.0.1:" + port + "/hostname"))
                .isEqualTo(net.ok("inspect", "-f", "{{.Config.Hostname}}", "dual"));
    }

    @Test
    void noPortForwardingChainOfANetworkOutlivesItsContainersOrTheNetwork() throws Exception {
        net.ok("network", "create", "--subnet", "10.77.73.0/24", "ports");
        String chain = portForwardChain(net.ok("network", "inspect", "-f", "{{.Id}}", "ports").strip());
        int port = NetworkedEngine.freePort();
        try {
            // removal: the container with -p leaves first, the one without last (netavark 1.4 keeps the chain then)
            net.ok("run", "-d", "--name", "published", "--network", "ports", "-p", "127.0.0.1:" + port + ":80", "busybox", "sleep", "300");
            net.ok("run", "-d", "--name", "quiet", "--network", "ports", "busybox", "sleep", "300");
            assertThat(natChains()).as("netavark's chain for the network, named as Berth computes it").contains(chain);
            net.ok("rm", "-f", "published");
            assertThat(natChains()).as("another container is still on the network").contains(chain);
            net.ok("rm", "-f", "quiet");
            assertThat(natChains()).doesNotContain(chain);

            // the last container leaving by disconnect
            net.ok("run", "-d", "--name", "published", "--network", "ports", "-p", "127.0.0.1:" + port + ":80", "busybox", "sleep", "300");
            net.ok("run", "-d", "--name", "visitor", "busybox", "sleep", "300");
            net.ok("network", "connect", "ports", "visitor");
            net.ok("stop", "-t", "0", "published");
            assertThat(natChains()).contains(chain);
            net.ok("network", "disconnect", "ports", "visitor");
            assertThat(natChains()).doesNotContain(chain);

            // a chain left by an engine without this clean-up goes with the network
            net.ok("rm", "-f", "published", "visitor");
            assertThat(iptables("-t", "nat", "-N", chain)).isZero();
            net.ok("network", "rm", "ports");
            assertThat(natChains()).doesNotContain(chain);
        } finally {
            iptables("-t", "nat", "-X", chain); // only if a step above failed; fails harmlessly otherwise
        }
    }

    /** netavark 1.4's name for a network's DNAT chain: the first 13 hex digits of the SHA-512 of the id it is given. */
    private static String portForwardChain(String networkId) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-512").digest(networkId.getBytes(StandardCharsets.UTF_8));
        return "NETAVARK-DN-" + HexFormat.of().formatHex(d).substring(0, 13).toUpperCase(Locale.ROOT);
    }

    private static List<String> natChains() {
        return run("iptables", "-w", "10", "-t", "nat", "-S").lines()
                .filter(l -> l.startsWith("-N ")).map(l -> l.substring(3).strip()).toList();
    }

    private static int iptables(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("iptables", "-w", "10"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
