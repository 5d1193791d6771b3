package dev.berth.engine.api.containers;

import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Containers on networks through the docker CLI against a real engine: netavark, aardvark-dns,
 * iptables and namespaces for real. Traffic goes only to 127.0.0.1 and container addresses.
 */
@RootOnly
class NetworkingCliTest {

    @RegisterExtension
    static final NetworkedEngine net = NetworkedEngine.perClass("10.77.0.0/24", "bnwa").cleaningAfterEach();

    @Test
    void containerNamesAndAliasesResolveOnAUserNetwork() {
        net.ok("network", "create", "--subnet", "10.77.10.0/24", "n");
        net.ok("run", "-d", "--network", "n", "--network-alias", "db", "--name", "alpha", "busybox", "sleep", "300");
        assertThat(net.ok("run", "--rm", "--network", "n", "busybox", "ping", "-c2", "-W2", "alpha")).containsPattern("[12] packets received");
        assertThat(net.ok("run", "--rm", "--network", "n", "busybox", "ping", "-c2", "-W2", "db")).containsPattern("[12] packets received");
        net.ok("run", "-d", "--network", "n", "--name", "beta", "busybox", "sleep", "300");
        assertThat(net.ok("exec", "alpha", "ping", "-c2", "-W2", "beta")).containsPattern("[12] packets received");
        String ip = net.ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"n\").IPAddress}}", "alpha").strip();
        assertThat(ip).startsWith("10.77.10.");
        assertThat(net.ok("exec", "beta", "nslookup", "alpha")).contains(ip);
    }

    @Test
    void defaultBridgeGivesAnAddressHostsFileAndResolvConf() {
        net.ok("run", "-d", "--name", "db", "busybox", "sleep", "300");
        String dbIp = net.ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "db").strip();
        assertThat(dbIp).startsWith("10.77.0.");
        assertThat(net.ok("inspect", "-f", "{{.HostConfig.NetworkMode}} {{.NetworkSettings.Gateway}}", "db"))
                .isEqualTo("bridge 10.77.0.1\n");
        String out = net.ok("run", "--rm", "-h", "myhost", "--add-host", "foo.test:10.1.2.3", "--dns", "10.0.0.53",
                "--dns-search", "example.test", "--link", "db:dbalias", "busybox", "sh", "-c",
                "hostname; cat /etc/hosts; cat /etc/resolv.conf; ping -c1 -W2 dbalias");
        assertThat(out).startsWith("myhost\n")
                .contains("10.1.2.3\tfoo.test")
                .containsPattern(dbIp.replace(".", "\\.") + "\tdbalias db [0-9a-f]{12}")
                .containsPattern("10\\.77\\.0\\.\\d+\tmyhost")
                .contains("nameserver 10.0.0.53")
                .contains("search example.test")
                .containsPattern("[12] packets received");
        net.ok("create", "--name", "linker", "--link", "db:dbalias", "busybox", "true");
        assertThat(net.ok("inspect", "-f", "{{.HostConfig.Links}}", "linker")).isEqualTo("[/db:/linker/dbalias]\n");
    }

    @Test
    void aPublishedTcpPortIsReachableOnLoopbackAndDockerPortShowsIt() {
        int port = NetworkedEngine.freePort();
        net.ok("run", "-d", "--name", "web", "-p", "127.0.0.1:" + port + ":8080", "busybox", "sh", "-c",
                "mkdir /www && echo hello-from-web > /www/index.html && exec httpd -f -p 8080 -h /www");
        assertThat(NetworkedEngine.httpGet("http://127.0.0.1:" + port + "/")).isEqualTo("hello-from-web\n");
        assertThat(net.ok("port", "web")).isEqualTo("8080/tcp -> 127.0.0.1:" + port + "\n");
        assertThat(net.ok("ps", "--format", "{{.Ports}}")).isEqualTo("127.0.0.1:" + port + "->8080/tcp\n");
        // the container's own address works too
        String ip = net.ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "web").strip();
        assertThat(NetworkedEngine.httpGet("http://" + ip + ":8080/")).isEqualTo("hello-from-web\n");
    }

    /**
     * busybox has no UDP server, so the container runs a small Java UDP echo server from the host's
     * JDK, bound read-only ({@code /usr}, {@code /lib}, {@code /lib64}): a datagram sent to the published port on
     * 127.0.0.1 comes back from the container.
     */
    @Test
    void aPublishedUdpPortEchoesDatagramsFromTheContainer() throws Exception {
        Path src = Files.createDirectories(net.dir().resolve("udp-src"));
        Files.writeString(src.resolve("Echo.java"), """
                import java.net.*;
                class Echo {
                    public static void main(String[] a) throws Exception {
                        try (DatagramSocket s = new DatagramSocket(5353)) {
                            System.out.println("listening");
                            byte[] b = new byte[1500];
                            while (true) {
                                DatagramPacket p = new DatagramPacket(b, b.length);
                                s.receive(p);
                                String got = new String(p.getData(), 0, p.getLength());
                                byte[] r = ("echo:" + got).getBytes();
                                s.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                            }
                        }
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assertThat(java).startsWith("/usr/");
        int port = NetworkedEngine.freePort();
        net.ok("run", "-d", "--name", "udp", "-p", "127.0.0.1:" + port + ":5353/udp",
                "-v", "/usr:/usr:ro", "-v", "/usr/lib64:/lib64:ro", "-v", "/usr/lib:/lib:ro", "-v", src + ":/src:ro",
                "busybox", java, "-Xshare:off", "-XX:-UsePerfData", "/src/Echo.java");
        assertThat(net.ok("port", "udp", "5353/udp")).isEqualTo("127.0.0.1:" + port + "\n");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!net.ok("logs", "udp").contains("listening") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        byte[] msg = "ping-over-udp".getBytes(StandardCharsets.UTF_8);
        String reply = null;
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(500);
            for (int i = 0; i < 20 && reply == null; i++) {
                s.send(new DatagramPacket(msg, msg.length, InetAddress.getLoopbackAddress(), port));
                DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
                try {
                    s.receive(p);
                    reply = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                } catch (java.net.SocketTimeoutException e) {
                    // the server is still starting: send again
                }
            }
        }
        assertThat(reply).as(net.ok("logs", "udp")).isEqualTo("echo:ping-over-udp");
    }

    @Test
    void publishAllPutsEveryExposedPortOnAFreeHostPort() {
        net.ok("run", "-d", "--name", "all", "-P", "--expose", "8080", "--expose", "9999/udp", "busybox", "sh", "-c",
                "mkdir /www && echo published-all > /www/index.html && exec httpd -f -p 8080 -h /www");
        String tcp = net.ok("port", "all", "8080/tcp").strip();
        String udp = net.ok("port", "all", "9999/udp").strip();
        assertThat(tcp).matches("0\\.0\\.0\\.0:\\d+");
        assertThat(udp).matches("0\\.0\\.0\\.0:\\d+");
        int hostPort = Integer.parseInt(tcp.substring(tcp.indexOf(':') + 1));
        assertThat(NetworkedEngine.httpGet("http://127.0.0.1:" + hostPort + "/")).isEqualTo("published-all\n");
    }

    @Test
    void connectAndDisconnectARunningContainer() {
        net.ok("network", "create", "--subnet", "10.77.20.0/24", "side");
        net.ok("run", "-d", "--network", "side", "--name", "peer", "busybox", "sleep", "300");
        net.ok("run", "-d", "--name", "roamer", "busybox", "sleep", "300");
        assertThat(net.docker("exec", "roamer", "ping", "-c1", "-W1", "peer").exit()).isNotZero();

        net.ok("network", "connect", "--alias", "wanderer", "--ip", "10.77.20.50", "side", "roamer");
        assertThat(net.ok("exec", "roamer", "ping", "-c2", "-W2", "peer")).containsPattern("[12] packets received");
        assertThat(net.ok("exec", "peer", "ping", "-c2", "-W2", "wanderer")).contains("10.77.20.50");
        assertThat(net.ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"side\").IPAddress}}", "roamer"))
                .isEqualTo("10.77.20.50\n");

        assertThat(net.docker("network", "connect", "side", "roamer").err()).contains("already exists in network side");
        net.ok("network", "disconnect", "side", "roamer");
        assertThat(net.docker("exec", "peer", "ping", "-c1", "-W1", "10.77.20.50").exit()).isNotZero();
        assertThat(net.engine().networks().allocated("side")).doesNotContainKey("10.77.20.50");
        assertThat(net.ok("inspect", "-f", "{{len .NetworkSettings.Networks}}", "roamer")).isEqualTo("1\n");
        // a stopped container joins at its next start
        net.ok("stop", "-t", "0", "roamer");
        net.ok("network", "connect", "side", "roamer");
        net.ok("start", "roamer");
        assertThat(net.ok("exec", "roamer", "ping", "-c2", "-W2", "peer")).containsPattern("[12] packets received");
        assertThat(net.ok("network", "inspect", "-f", "{{len .Containers}}", "side")).isEqualTo("2\n");
    }

    @Test
    void hostAndNoneModesAndJoiningAnotherContainersNetwork() {
        assertThat(net.ok("run", "--rm", "--network", "none", "busybox", "ip", "-o", "link"))
                .contains("lo:").doesNotContain("eth0");
        net.ok("run", "-d", "--name", "owner", "busybox", "sleep", "300");
        String ip = net.ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "owner").strip();
        assertThat(net.ok("run", "--rm", "--network", "container:owner", "busybox", "ip", "-o", "-4", "addr"))
                .contains(ip + "/");
        assertThat(net.ok("run", "--rm", "--network", "host", "busybox", "hostname"))
                .isEqualTo(net.engine().system().host().hostname() + "\n");
    }

    @Test
    void removingAContainerFreesItsAddressAndPorts() {
        int port = NetworkedEngine.freePort();
        net.ok("run", "-d", "--name", "tmp", "-p", "127.0.0.1:" + port + ":80", "busybox", "sleep", "300");
        String ip = net.ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "tmp").strip();
        assertThat(net.engine().networks().allocated("bridge")).containsKey(ip);
        net.ok("rm", "-f", "tmp");
        assertThat(net.engine().networks().allocated("bridge")).doesNotContainKey(ip);
        assertThat(net.engine().networks().attachments()).isEmpty();
        // the host port is free again: a new container can publish it
        net.ok("run", "-d", "--name", "tmp2", "-p", "127.0.0.1:" + port + ":80", "busybox", "sleep", "300");
    }
}
