package dev.berth.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.state.Json;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The network service against the real kernel, netavark 1.4 and aardvark-dns. "Containers" are
 * namespace files with busybox started in them by {@code nsenter}. Traffic goes only to
 * 127.0.0.1 and to the 10.89.x.0/24 networks the tests create.
 */
@RootOnly
class NetworkServiceTest {

    private static boolean netavarkChainsBefore;

    @TempDir
    Path root;

    private NetworkService service;
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void rememberFirewall() {
        netavarkChainsBefore = NetHost.hasNetavarkChains();
    }

    @AfterAll
    static void restoreFirewall() {
        if (!netavarkChainsBefore) {
            NetHost.removeNetavarkBaseChains();
            assertThat(NetHost.hasNetavarkChains()).as("netavark chains left in iptables").isFalse();
        }
    }

    @BeforeEach
    void setUp() {
        service = new NetworkService(NetworkService.Config.defaults(root).withDefaultSubnet("10.89.90.0/24"));
    }

    @AfterEach
    void tearDown() {
        processes.forEach(NetHost::stop);
        for (Attachment a : service.attachments()) {
            service.detach(a.containerId());
        }
        List<String> rules = NetHost.iptables();
        for (NetworkInspect n : service.list(Map.of())) {
            String chain = PortForwardChains.chainName(n.id());
            assertThat(rules).as("port-forwarding chain of network " + n.name() + " with no container on it")
                    .noneMatch(l -> l.startsWith(":" + chain + " "));
        }
        NetHost.assertNoLeftovers(root, "10.89.");
    }

    private static String cid(char c) {
        return String.valueOf(c).repeat(64);
    }

    private Process serveHttp(Attachment a, String body) throws Exception {
        Path www = Files.createDirectories(root.resolve("www-" + a.containerName()));
        Files.writeString(www.resolve("index.html"), body);
        Process p = NetHost.startInNetns(a.netnsPath(), null, "httpd", "-f", "-p", "8080", "-h", www.toString());
        processes.add(p);
        return p;
    }

    private static String wgetFrom(Attachment a, String url) {
        String last = "";
        for (int i = 0; i < 50; i++) {
            NetHost.Result r = NetHost.inNetns(a.netnsPath(), 5, "wget", "-qO-", url);
            if (r.exit() == 0) {
                return r.out();
            }
            last = r.out();
            sleep(100);
        }
        throw new AssertionError("wget " + url + " from " + a.containerName() + " failed: " + last);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void createdNetworksHaveDockersShapeAndOverlappingSubnetsAreRefused() throws Exception {
        NetworkRecord one = service.create(new NetworkCreateRequest("one", null, "10.89.10.0/24", null, "10.89.10.128/25",
                false, Map.of("team", "blue"), Map.of()));
        service.create(NetworkCreateRequest.withSubnet("two", "10.89.11.0/24"));
        NetworkRecord auto = service.create(NetworkCreateRequest.named("auto"));

        assertThat(auto.subnet()).startsWith("10.89.").endsWith(".0/24").isNotIn("10.89.10.0/24", "10.89.11.0/24");
        assertThat(one.bridge()).isNotEqualTo(auto.bridge()).startsWith("berth");
        assertThatThrownBy(() -> service.create(NetworkCreateRequest.withSubnet("three", "10.89.10.64/26")))
                .isInstanceOf(EngineException.Conflict.class).hasMessageContaining("overlaps with network one");
        HostRoutes.Route route = HostRoutes.read().getFirst();
        assertThatThrownBy(() -> service.create(NetworkCreateRequest.withSubnet("four", route.destination().toString())))
                .isInstanceOf(EngineException.Conflict.class).hasMessageContaining("host route to " + route.destination());
        assertThatThrownBy(() -> service.create(NetworkCreateRequest.withSubnet("two", "10.89.12.0/24")))
                .isInstanceOf(EngineException.AlreadyExists.class);
        assertThatThrownBy(() -> service.create(NetworkCreateRequest.withSubnet("five", "10.89.13.1/24")))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("host bits");

        JsonNode json = Json.mapper().readTree(Json.toBytes(service.inspect("one")));
        assertThat(json.path("Name").asText()).isEqualTo("one");
        assertThat(json.path("Id").asText()).hasSize(64).isEqualTo(one.id());
        assertThat(json.path("Scope").asText()).isEqualTo("local");
        assertThat(json.path("Driver").asText()).isEqualTo("bridge");
        assertThat(json.path("IPAM").path("Driver").asText()).isEqualTo("default");
        assertThat(json.path("IPAM").path("Config").get(0).path("Subnet").asText()).isEqualTo("10.89.10.0/24");
        assertThat(json.path("IPAM").path("Config").get(0).path("Gateway").asText()).isEqualTo("10.89.10.1");
        assertThat(json.path("IPAM").path("Config").get(0).path("IPRange").asText()).isEqualTo("10.89.10.128/25");
        assertThat(json.path("Labels").path("team").asText()).isEqualTo("blue");
        assertThat(json.path("Containers").isObject()).isTrue();
        assertThat(service.inspect(one.id().substring(0, 10)).name()).isEqualTo("one");

        assertThat(service.list(Map.of()).stream().map(NetworkInspect::name)).containsExactly("auto", "bridge", "host", "none", "one", "two");
        assertThat(service.list(Map.of("type", List.of("builtin"))).stream().map(NetworkInspect::name)).containsExactly("bridge", "host", "none");
        assertThat(service.list(Map.of("label", List.of("team=blue"))).stream().map(NetworkInspect::name)).containsExactly("one");
        assertThat(service.list(Map.of("name", List.of("tw"))).stream().map(NetworkInspect::name)).containsExactly("two");
        assertThat(service.list(Map.of("dangling", List.of("true"))).stream().map(NetworkInspect::name)).containsExactly("auto", "one", "two");
        assertThat(service.list(Map.of("driver", List.of("null"))).stream().map(NetworkInspect::name)).containsExactly("none");

        assertThatThrownBy(() -> service.remove("bridge")).isInstanceOf(EngineException.Conflict.class).hasMessageContaining("pre-defined");
        service.remove("two");
        assertThatThrownBy(() -> service.inspect("two")).isInstanceOf(EngineException.NotFound.class);

        NetworkService restarted = new NetworkService(service.config());
        assertThat(restarted.inspect("one").ipam().config().getFirst().ipRange()).isEqualTo("10.89.10.128/25");
        assertThat(restarted.prune(Map.of())).containsExactlyInAnyOrder("one", "auto");
        assertThat(restarted.list(Map.of()).stream().map(NetworkInspect::name)).containsExactly("bridge", "host", "none");
    }

    @Test
    void containersReachEachOtherByAddressAndByNameAndAliasThroughAardvark() throws Exception {
        service.create(NetworkCreateRequest.withSubnet("app", "10.89.21.0/24"));
        Attachment a = service.attach(cid('a'), "web-a", null,
                List.of(new EndpointRequest("app", List.of("alpha"), null)), List.of(), List.of("127.0.0.1"));
        Attachment b = service.attach(cid('b'), "web-b", null,
                List.of(new EndpointRequest("app", List.of("bravo"), "10.89.21.50")), List.of(), List.of("127.0.0.1"));
        Endpoint eb = b.endpoints().getFirst();
        assertThat(eb.ipAddress()).isEqualTo("10.89.21.50");
        assertThat(eb.macAddress()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
        assertThat(eb.dnsServers()).containsExactly("10.89.21.1");
        assertThat(a.endpoints().getFirst().ipAddress()).isEqualTo("10.89.21.2");
        assertThat(Path.of(a.netnsPath())).isEqualTo(root.resolve("netns").resolve(cid('a')));

        serveHttp(b, "hello from b\n");
        assertThat(wgetFrom(a, "http://10.89.21.50:8080/")).isEqualTo("hello from b\n");

        for (String name : List.of("web-b", "bravo", cid('b').substring(0, 12))) {
            NetHost.Result r = NetHost.inNetns(a.netnsPath(), 10, "nslookup", "-type=a", name, "10.89.21.1");
            assertThat(r.out()).as("nslookup " + name).contains("Address: 10.89.21.50");
        }
        NetHost.Result self = NetHost.inNetns(b.netnsPath(), 10, "nslookup", "-type=a", "alpha", "10.89.21.1");
        assertThat(self.out()).contains("Address: 10.89.21.2");

        // by name, through a resolv.conf generated for the container, mounted over the host's by a private mount namespace
        Path resolv = root.resolve("resolv-a.conf");
        Files.writeString(resolv, service.resolvConf(service.attachment(cid('a')).orElseThrow(), List.of(), List.of()));
        assertThat(Files.readString(resolv)).contains("nameserver 10.89.21.1").contains("search dns.podman");
        NetHost.Result byName = NetHost.run(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind " + resolv + " /etc/resolv.conf && nsenter --net=" + a.netnsPath() + " "
                        + NetHost.BUSYBOX + " wget -qO- http://bravo:8080/"), 20);
        assertThat(byName.out()).isEqualTo("hello from b\n");

        NetworkInspect inspect = service.inspect("app");
        assertThat(inspect.containers()).containsOnlyKeys(cid('a'), cid('b'));
        assertThat(inspect.containers().get(cid('b')).ipv4Address()).isEqualTo("10.89.21.50/24");
        assertThat(inspect.containers().get(cid('b')).name()).isEqualTo("web-b");

        assertThatThrownBy(() -> service.attach(cid('c'), "web-c", null,
                List.of(new EndpointRequest("app", List.of(), "10.89.21.50")), List.of(), List.of()))
                .isInstanceOf(EngineException.Conflict.class).hasMessageContaining("Address already in use").hasMessageContaining("web-b");
        assertThat(service.attachment(cid('c'))).isEmpty();
    }

    @Test
    void publishedTcpAndUdpPortsAreReachableFromTheHostOnLoopback() throws Exception {
        int tcpPort;
        int udpPort;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress()); var d = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            tcpPort = s.getLocalPort();
            udpPort = d.getLocalPort();
        }
        Attachment a = service.attach(cid('a'), "pub", null, List.of(),
                PortSpec.parseAll(List.of("127.0.0.1:" + tcpPort + ":8080", "127.0.0.1:" + udpPort + ":9090/udp")), List.of());
        assertThat(a.endpoints().getFirst().network()).isEqualTo("bridge");
        assertThat(a.endpoints().getFirst().ipAddress()).isEqualTo("10.89.90.2");
        assertThat(a.ports()).containsExactly(PortMapping.of("127.0.0.1", tcpPort, 8080, "tcp"), PortMapping.of("127.0.0.1", udpPort, 9090, "udp"));
        assertThat(NetHost.linkNames()).contains("berth0");

        serveHttp(a, "published\n");
        String body = null;
        for (int i = 0; i < 50 && body == null; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", tcpPort), 2000);
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                sleep(100);
            }
        }
        assertThat(body).startsWith("HTTP/1.").endsWith("published\n");

        String echoed = null;
        try (UdpEcho echo = new UdpEcho(a.netnsPath(), 9090); DatagramSocket d = new DatagramSocket()) {
            d.setSoTimeout(200);
            byte[] msg = "udp hello".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 50 && echoed == null; i++) {
                d.send(new DatagramPacket(msg, msg.length, new InetSocketAddress("127.0.0.1", udpPort)));
                DatagramPacket reply = new DatagramPacket(new byte[64], 64);
                try {
                    d.receive(reply);
                    echoed = new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII);
                } catch (java.net.SocketTimeoutException e) {
                    // not yet: the DNAT path is set, the echo thread may still be starting
                }
            }
        }
        assertThat(echoed).isEqualTo("udp hello");

        // -P: every exposed port onto a free host port
        Attachment b = service.attach(cid('b'), "all", null, List.of(),
                PortSpec.publishAll(List.of("8080/tcp", "53/udp")), List.of());
        assertThat(b.ports()).hasSize(2);
        assertThat(b.ports()).allSatisfy(m -> assertThat(m.hostPort()).isBetween(1024, 65535).isNotIn(tcpPort, udpPort));
        assertThat(b.ports().stream().map(PortMapping::containerKey)).containsExactly("8080/tcp", "53/udp");
        serveHttp(b, "second\n");
        int bPort = b.ports().getFirst().hostPort();
        String second = null;
        for (int i = 0; i < 50 && second == null; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", bPort), 2000);
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                second = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                sleep(100);
            }
        }
        assertThat(second).endsWith("second\n");

        assertThatThrownBy(() -> service.attach(cid('c'), "clash", null, List.of(),
                PortSpec.parseAll(List.of("127.0.0.1:" + tcpPort + ":80")), List.of()))
                .isInstanceOf(EngineException.Conflict.class).hasMessage("Bind for 127.0.0.1:" + tcpPort + " failed: port is already allocated");
    }

    @Test
    void fiftyAttachDetachCyclesLeaveNoInterfaceRuleAddressOrNamespace() {
        // one warm-up cycle: netavark creates its base chains once and keeps them
        service.attach(cid('w'), "warm", null, List.of(), PortSpec.parseAll(List.of("127.0.0.1::8080")), List.of());
        service.detach(cid('w'));
        List<String> rulesBefore = NetHost.iptables();
        List<String> linksBefore = NetHost.linkNames();

        for (int i = 0; i < 50; i++) {
            String id = String.format("%064x", i + 1);
            Attachment a = service.attach(id, "cycle" + i, null, List.of(),
                    PortSpec.parseAll(List.of("127.0.0.1::8080", "127.0.0.1::53/udp")), List.of());
            assertThat(a.endpoints()).hasSize(1);
            assertThat(service.allocated("bridge")).containsOnlyKeys(a.endpoints().getFirst().ipAddress());
            assertThat(NetHost.linkNames()).contains("berth0");
            assertThat(service.detach(id)).isTrue();
        }

        assertThat(NetHost.iptables()).isEqualTo(rulesBefore);
        assertThat(NetHost.linkNames()).isEqualTo(linksBefore);
        assertThat(service.allocated("bridge")).isEmpty();
        assertThat(service.attachments()).isEmpty();
        assertThat(service.detach(cid('w'))).isFalse();
    }

    @Test
    void aNetworkWithAttachedContainersCannotBeRemoved() {
        service.create(NetworkCreateRequest.withSubnet("busy", "10.89.50.0/24"));
        service.attach(cid('a'), "holder", null, List.of(EndpointRequest.of("busy")), List.<PortMapping>of());
        assertThatThrownBy(() -> service.remove("busy")).isInstanceOf(EngineException.Conflict.class)
                .hasMessageContaining("has active endpoints").hasMessageContaining("holder");
        assertThat(service.prune(Map.of())).doesNotContain("busy");
        assertThat(service.list(Map.of("dangling", List.of("false"))).stream().map(NetworkInspect::name)).contains("busy");
        service.detach(cid('a'));
        service.remove("busy");
        assertThat(service.list(Map.of()).stream().map(NetworkInspect::name)).doesNotContain("busy");
    }

    @Test
    void connectAndDisconnectAddAndRemoveOneNetworkOfARunningContainer() {
        service.create(NetworkCreateRequest.withSubnet("front", "10.89.60.0/24"));
        service.create(NetworkCreateRequest.withSubnet("back", "10.89.61.0/24"));
        Attachment a = service.attach(cid('a'), "multi", null, List.of(EndpointRequest.of("front")), List.<PortMapping>of());
        Endpoint back = service.connect(cid('a'), new EndpointRequest("back", List.of("db"), "10.89.61.9"));
        assertThat(back.interfaceName()).isEqualTo("eth1");
        assertThat(NetHost.run(List.of("nsenter", "--net=" + a.netnsPath(), "ip", "-o", "addr"), 10).out())
                .contains("10.89.60.2/24").contains("10.89.61.9/24");
        assertThat(service.inspect("back").containers()).containsKey(cid('a'));
        service.disconnect(cid('a'), "back");
        assertThat(NetHost.run(List.of("nsenter", "--net=" + a.netnsPath(), "ip", "-o", "addr"), 10).out())
                .contains("10.89.60.2/24").doesNotContain("10.89.61.9");
        assertThat(service.allocated("back")).isEmpty();
        assertThat(service.inspect("back").containers()).isEmpty();
    }

    @Test
    void reconcileAfterRestartKeepsRunningContainersAndTearsDownGoneOnes() throws Exception {
        service.create(NetworkCreateRequest.withSubnet("keep", "10.89.70.0/24"));
        Attachment a = service.attach(cid('a'), "survivor", null, List.of(EndpointRequest.of("keep")), List.of(), List.of("127.0.0.1"));
        Attachment b = service.attach(cid('b'), "gone", null, List.of(EndpointRequest.of("keep")),
                PortSpec.parseAll(List.of("127.0.0.1::8080")), List.of());
        serveHttp(b, "b\n");

        NetworkService restarted = new NetworkService(service.config());
        assertThat(restarted.reconcile(Set.of(cid('a')))).containsExactly(cid('b'));
        service = restarted;

        assertThat(Path.of(b.netnsPath())).doesNotExist();
        assertThat(restarted.allocated("keep")).containsOnlyKeys("10.89.70.2");
        assertThat(NetHost.iptables()).noneMatch(l -> l.contains("10.89.70.3"));
        assertThat(NetHost.inNetns(a.netnsPath(), 10, "nslookup", "-type=a", "survivor", "10.89.70.1").out())
                .contains("Address: 10.89.70.2");
        Attachment c = restarted.attach(cid('c'), "newcomer", null, List.of(EndpointRequest.of("keep")), List.<PortMapping>of());
        assertThat(c.endpoints().getFirst().ipAddress()).isEqualTo("10.89.70.3");
        serveHttp(c, "c\n");
        assertThat(wgetFrom(a, "http://10.89.70.3:8080/")).isEqualTo("c\n");
    }

    @Test
    void detachTearsDownEvenWhenTheNamespaceIsGone() {
        service.create(NetworkCreateRequest.withSubnet("lost", "10.89.80.0/24"));
        Attachment a = service.attach(cid('a'), "lost", null, List.of(EndpointRequest.of("lost")),
                PortSpec.parseAll(List.of("127.0.0.1::8080")), List.of());
        // the namespace disappears under the engine (as after a host reboot); its veth goes with it
        NetnsFiles.remove(Path.of(a.netnsPath()));
        assertThat(NetHost.iptables()).anyMatch(l -> l.contains("10.89.80.2"));
        assertThat(service.detach(cid('a'))).isTrue();
        assertThat(NetHost.iptables()).noneMatch(l -> l.contains("10.89.80."));
        assertThat(service.allocated("lost")).isEmpty();
    }

    @Test
    void addressesComeFromTheIpRangeAndStaticAddressesAnywhereInTheSubnetAreHonoured() {
        service.create(new NetworkCreateRequest("ranged", "bridge", "10.89.85.0/24", "10.89.85.254", "10.89.85.64/26",
                false, Map.of(), Map.of()));
        Attachment a = service.attach(cid('a'), "ranged-a", null, List.of(EndpointRequest.of("ranged")), List.<PortMapping>of());
        Attachment b = service.attach(cid('b'), "ranged-b", null,
                List.of(new EndpointRequest("ranged", List.of(), "10.89.85.7")), List.<PortMapping>of());
        assertThat(a.endpoints().getFirst().ipAddress()).isEqualTo("10.89.85.64");
        assertThat(a.endpoints().getFirst().gateway()).isEqualTo("10.89.85.254");
        assertThat(b.endpoints().getFirst().ipAddress()).isEqualTo("10.89.85.7");
        assertThat(NetHost.run(List.of("nsenter", "--net=" + a.netnsPath(), "ip", "route"), 10).out())
                .contains("default via 10.89.85.254");
        assertThat(service.allocated("ranged")).containsOnlyKeys("10.89.85.64", "10.89.85.7");
        assertThatThrownBy(() -> service.attach(cid('c'), "c", null,
                List.of(new EndpointRequest("ranged", List.of(), "10.89.86.7")), List.<PortMapping>of()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("10.89.85.0/24");
        assertThatThrownBy(() -> service.attach(cid('c'), "c", null,
                List.of(new EndpointRequest("ranged", List.of(), "10.89.85.254")), List.<PortMapping>of()))
                .isInstanceOf(EngineException.Conflict.class).hasMessageContaining("gateway");
        assertThat(service.attachment(cid('c'))).isEmpty();
        assertThat(service.allocated("ranged")).hasSize(2);
    }

    @Test
    void linksOnTheDefaultBridgeBecomeHostsEntries() {
        Attachment db = service.attach(cid('d'), "/db", null, List.of(), List.<PortMapping>of());
        HostsFile.Entry link = service.linkEntry(cid('d'), "database");
        assertThat(link).isEqualTo(new HostsFile.Entry(db.endpoints().getFirst().ipAddress(),
                List.of("database", "db", cid('d').substring(0, 12))));
        assertThat(service.resolvConf(db, List.of(), List.of())).doesNotContain("nameserver 127.");
        service.create(NetworkCreateRequest.withSubnet("user", "10.89.87.0/24"));
        service.attach(cid('u'), "u", null, List.of(EndpointRequest.of("user")), List.<PortMapping>of());
        assertThatThrownBy(() -> service.linkEntry(cid('u'), "x")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("default bridge");
    }

    @Test
    void hostAndNoneModesNeedNoNetavark() {
        Attachment host = service.attach(cid('h'), "h", null, List.of(EndpointRequest.of("host")), List.<PortMapping>of());
        assertThat(host.netnsPath()).isNull();
        Attachment none = service.attach(cid('n'), "n", null, List.of(EndpointRequest.of("none")), List.<PortMapping>of());
        assertThat(NetHost.run(List.of("nsenter", "--net=" + none.netnsPath(), "ip", "-o", "link"), 10).out())
                .contains("lo:").contains("UP").doesNotContain("eth0");
        assertThat(service.inspect("none").containers()).containsOnlyKeys(cid('n'));
        assertThatThrownBy(() -> service.attach(cid('x'), "x", null, List.of(EndpointRequest.of("host"), EndpointRequest.of("bridge")),
                List.<PortMapping>of())).isInstanceOf(EngineException.InvalidArgument.class);
        assertThatThrownBy(() -> service.attach(cid('y'), "y", null, List.of(new EndpointRequest("bridge", List.of("al"), null)),
                List.<PortMapping>of())).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("user defined networks");
    }
}
