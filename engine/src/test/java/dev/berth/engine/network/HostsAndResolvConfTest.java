package dev.berth.engine.network;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostsAndResolvConfTest {

    @Test
    void hostsFileHasLocalhostExtraHostsLinksAndTheContainersOwnName() {
        String hosts = HostsFile.render(new HostsFile.Spec("abc123def456", null, List.of("10.89.0.5"),
                List.of(HostsFile.parseAddHost("db:10.0.0.9"), HostsFile.parseAddHost("cache=10.0.0.10")),
                List.of(new HostsFile.Entry("10.88.0.3", List.of("web", "web-1", "0123456789ab")))));
        assertThat(hosts.lines().toList()).containsExactly(
                "127.0.0.1\tlocalhost",
                "::1\tlocalhost ip6-localhost ip6-loopback",
                "fe00::0\tip6-localnet",
                "ff00::0\tip6-mcastprefix",
                "ff02::1\tip6-allnodes",
                "ff02::2\tip6-allrouters",
                "10.0.0.9\tdb",
                "10.0.0.10\tcache",
                "10.88.0.3\tweb web-1 0123456789ab",
                "10.89.0.5\tabc123def456");
        assertThat(HostsFile.render(new HostsFile.Spec("h", "example.org", List.of("10.1.1.1"), List.of(), List.of())))
                .endsWith("10.1.1.1\th.example.org h\n");
        assertThat(HostsFile.render(new HostsFile.Spec("web.example.org", null, List.of("10.1.1.1"), List.of(), List.of())))
                .endsWith("10.1.1.1\tweb.example.org web\n");
        assertThat(HostsFile.render(new HostsFile.Spec("h", null, List.of(), List.of(), List.of()))).doesNotContain("\th\n");
        assertThat(HostsFile.parseAddHost("v6:[::1]").ip()).isEqualTo("::1");
        assertThatThrownBy(() -> HostsFile.parseAddHost("nohost")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("bad format for add-host");
        assertThatThrownBy(() -> HostsFile.parseAddHost("a:not-an-ip")).hasMessageContaining("invalid IP address in add-host");
    }

    @Test
    void aContainerOnTwoNetworksHasOneHostnameLinePerAddress() {
        assertThat(HostsFile.render(new HostsFile.Spec("h", null, List.of("10.1.1.2", "10.2.2.2"), List.of(), List.of())))
                .endsWith("10.1.1.2\th\n10.2.2.2\th\n");
    }

    @Test
    void connectAppendsTheNewAddressAndDisconnectDeletesOnlyThatLine() {
        String start = HostsFile.render(new HostsFile.Spec("h", null, List.of("10.1.1.2"), List.of(HostsFile.parseAddHost("x:10.9.9.9")),
                List.of(new HostsFile.Entry("10.1.1.3", List.of("db", "0123456789ab")))));
        String edited = start + "192.0.2.7  added-inside\n";
        HostsFile.Entry joined = HostsFile.ownEntry("10.2.2.2", "h", null);
        String connected = HostsFile.add(edited, List.of(joined));
        assertThat(connected).isEqualTo(edited + "10.2.2.2\th\n");
        assertThat(HostsFile.add(connected, List.of(joined))).as("added twice").isEqualTo(connected);
        String disconnected = HostsFile.remove(connected, List.of(joined));
        assertThat(disconnected).isEqualTo(edited);
        // the primary network's line goes the same way; links, --add-host and edits stay
        assertThat(HostsFile.remove(disconnected, List.of(HostsFile.ownEntry("10.1.1.2", "h", null))).lines().toList())
                .doesNotContain("10.1.1.2\th")
                .contains("10.9.9.9\tx", "10.1.1.3\tdb 0123456789ab", "192.0.2.7  added-inside");
        // a line that only shares the address (another name on it) is not the container's own
        assertThat(HostsFile.remove("10.2.2.2\th other\n", List.of(joined))).isEqualTo("10.2.2.2\th other\n");
        assertThat(HostsFile.add("no-newline", List.of(joined))).isEqualTo("no-newline\n10.2.2.2\th\n");
    }

    @Test
    void aLinkAliasLineTakesTheLinkedContainersNewAddressAndNothingElseChanges() {
        String hosts = "127.0.0.1\tlocalhost\n10.1.1.3\tdb db-name 0123456789ab\n10.1.1.9\tdbx\n10.1.1.2\th\n";
        assertThat(HostsFile.updateAddress(hosts, "db", "10.1.1.7"))
                .isEqualTo("127.0.0.1\tlocalhost\n10.1.1.7\tdb db-name 0123456789ab\n10.1.1.9\tdbx\n10.1.1.2\th\n");
        assertThat(HostsFile.updateAddress(hosts, "db-name", "10.1.1.7")).as("only the first name is the alias").isEqualTo(hosts);
    }

    @Test
    void resolvConfPointsAtAardvarkOnUserNetworksAndDropsLoopbackHostServersOtherwise(@TempDir Path dir) throws Exception {
        Path hostFile = dir.resolve("resolv.conf");
        Files.writeString(hostFile, "# host\nnameserver 127.0.0.53\nnameserver 10.255.255.53\nsearch corp.example\noptions edns0\n");
        ResolvConf.HostResolv host = ResolvConf.readHost(hostFile);

        assertThat(ResolvConf.render(new ResolvConf.Spec(List.of("10.89.21.1"), List.of("9.9.9.9"), List.of(), List.of(),
                List.of("dns.podman")), host))
                .isEqualTo("search dns.podman corp.example\nnameserver 10.89.21.1\noptions edns0\n");
        assertThat(ResolvConf.render(new ResolvConf.Spec(List.of(), List.of(), List.of(), List.of(), List.of()), host))
                .isEqualTo("search corp.example\nnameserver 10.255.255.53\noptions edns0\n");
        assertThat(ResolvConf.render(new ResolvConf.Spec(List.of(), List.of("1.1.1.1"), List.of("a.example", "b.example"),
                List.of("ndots:2"), List.of()), host))
                .isEqualTo("search a.example b.example\nnameserver 1.1.1.1\noptions ndots:2\n");

        Files.writeString(hostFile, "nameserver 127.0.0.53\n");
        assertThat(ResolvConf.render(new ResolvConf.Spec(List.of(), List.of(), List.of("."), List.of(), List.of()),
                ResolvConf.readHost(hostFile)))
                .isEqualTo("nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
    }

    @Test
    void subnetsParseAndOverlapAsCidrSays() {
        Ipv4Subnet a = Ipv4Subnet.parse("10.89.0.0/16");
        assertThat(a.contains(Ipv4Subnet.parseAddress("10.89.255.254", "t"))).isTrue();
        assertThat(a.overlaps(Ipv4Subnet.parse("10.89.7.0/24"))).isTrue();
        assertThat(a.overlaps(Ipv4Subnet.parse("10.90.0.0/16"))).isFalse();
        assertThat(Ipv4Subnet.format(a.at(1))).isEqualTo("10.89.0.1");
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.89.0.0/33")).isInstanceOf(EngineException.InvalidArgument.class);
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.89.0.256/24")).isInstanceOf(EngineException.InvalidArgument.class);
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.89.0.0")).isInstanceOf(EngineException.InvalidArgument.class);
    }

    @Test
    void hostRoutesAreReadFromProcNetRoute(@TempDir Path dir) throws Exception {
        Path route = dir.resolve("route");
        Files.writeString(route, """
                Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
                eth0	00000000	010200C0	0003	0	0	0	00000000	0	0	0
                eth0	000200C0	00000000	0001	0	0	0	00FFFFFF	0	0	0
                """);
        assertThat(HostRoutes.read(route)).containsExactly(new HostRoutes.Route("eth0", Ipv4Subnet.parse("192.0.2.0/24")));
    }
}
