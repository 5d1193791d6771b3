package dev.berth.engine.api.networks;

import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.network.Attachment;
import dev.berth.engine.network.EndpointRequest;
import dev.berth.engine.network.NetworkService;
import dev.berth.testkit.DockerCli;
import dev.berth.testkit.EngineExtension;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The installed docker CLI against Berth's networks routes. */
@RootOnly
class NetworksCliTest {

    @TempDir
    static Path tmp;
    @RegisterExtension
    static final EngineExtension engine = EngineExtension.start().serving();
    static DockerCli docker;

    @BeforeAll
    static void docker() {
        docker = new DockerCli(engine.socket(), tmp);
    }

    @AfterEach
    void removeNetworks() {
        NetworkService networks = engine.engine().networks();
        for (Attachment a : networks.attachments()) {
            networks.detach(a.containerId());
        }
        networks.prune(Map.of());
    }

    @Test
    void createWithSubnetAndGatewayThenListInspectAndRemove() throws Exception {
        String id = docker.run("network", "create", "--subnet", "10.99.0.0/24", "--gateway", "10.99.0.1",
                "--ip-range", "10.99.0.128/25", "--label", "team=web", "--internal", "n1").ok().strip();
        assertThat(id).matches("[0-9a-f]{64}");

        String ls = docker.run("network", "ls").ok();
        assertThat(ls).contains("n1").contains("bridge").contains("host").contains("none");
        assertThat(ls).contains(id.substring(0, 12));

        String ipam = docker.run("network", "inspect", "--format",
                "{{.Name}} {{.Driver}} {{.Internal}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}} {{.IPRange}}{{end}} {{.Labels.team}}",
                "n1").ok().strip();
        assertThat(ipam).isEqualTo("n1 bridge true 10.99.0.0/24 10.99.0.1 10.99.0.128/25 web");
        assertThat(docker.run("network", "inspect", "--format", "{{.Id}}", id.substring(0, 12)).ok().strip()).isEqualTo(id);

        assertThat(docker.run("network", "rm", "n1").ok().strip()).isEqualTo("n1");
        assertThat(docker.run("network", "inspect", "n1").failed()).contains("network n1 not found");
        assertThat(docker.run("network", "ls", "--format", "{{.Name}}").ok().lines().toList())
                .containsExactlyInAnyOrder("bridge", "host", "none");
    }

    @Test
    void listFiltersByNameLabelDriverAndType() throws Exception {
        docker.run("network", "create", "--label", "tier=front", "flt-front").ok();
        docker.run("network", "create", "--label", "tier=back", "flt-back").ok();

        assertThat(names("--filter", "name=flt-")).containsExactly("flt-back", "flt-front");
        assertThat(names("--filter", "label=tier=front")).containsExactly("flt-front");
        assertThat(names("--filter", "label=tier")).containsExactly("flt-back", "flt-front");
        assertThat(names("--filter", "type=builtin")).containsExactly("bridge", "host", "none");
        assertThat(names("--filter", "type=custom")).containsExactly("flt-back", "flt-front");
        assertThat(names("--filter", "driver=null")).containsExactly("none");
        assertThat(names("--filter", "dangling=true")).containsExactly("flt-back", "flt-front");
        assertThat(docker.run("network", "ls", "--filter", "colour=blue").failed()).contains("invalid filter 'colour'");
    }

    @Test
    void anOverlappingSubnetIsRefusedWithTheReason() throws Exception {
        docker.run("network", "create", "--subnet", "10.99.0.0/24", "ov-a").ok();
        String err = docker.run("network", "create", "--subnet", "10.99.0.128/25", "ov-b").failed();
        assertThat(err).contains("10.99.0.128/25").contains("overlaps with network ov-a (10.99.0.0/24)");
        assertThat(names("--filter", "name=ov-")).containsExactly("ov-a");

        assertThat(docker.run("network", "create", "--ipv6", "ov-d").failed()).contains("IPv6");
        assertThat(docker.run("network", "create", "ov-a").failed()).contains("network with name ov-a already exists");
    }

    @Test
    void pruneRemovesUnusedUserNetworksOnlyAndHonoursLabels() throws Exception {
        docker.run("network", "create", "--label", "keep=yes", "pr-keep").ok();
        docker.run("network", "create", "pr-a").ok();
        docker.run("network", "create", "pr-b").ok();

        String out = docker.run("network", "prune", "-f", "--filter", "label!=keep=yes").ok();
        assertThat(out).contains("pr-a").contains("pr-b").doesNotContain("pr-keep");
        assertThat(docker.run("network", "ls", "--format", "{{.Name}}").ok().lines().toList())
                .containsExactlyInAnyOrder("bridge", "host", "none", "pr-keep");

        docker.run("network", "prune", "-f").ok();
        assertThat(names("--filter", "type=custom")).isEmpty();
    }

    @Test
    void builtInNetworksCannotBeRemoved() throws Exception {
        assertThat(docker.run("network", "rm", "none").failed()).contains("none is a pre-defined network and cannot be removed");
        assertThat(docker.run("network", "create", "host").failed()).contains("pre-defined");
    }

    @Test
    void attachedContainersShowInInspectAndBlockRemovalByName() throws Exception {
        docker.run("network", "create", "--subnet", "10.99.7.0/24", "att").ok();
        String cid = "c".repeat(64);
        NetworkService networks = engine.engine().networks();
        Attachment a = networks.attach(cid, "/web-1", null, List.of(EndpointRequest.of("att")), List.of());
        String ip = a.endpoint("att").orElseThrow().ipAddress();
        assertThat(ip).startsWith("10.99.7.");

        String shown = docker.run("network", "inspect", "--format",
                "{{range $id, $c := .Containers}}{{$id}} {{$c.Name}} {{$c.IPv4Address}} {{$c.MacAddress}} {{$c.EndpointID}}{{end}}",
                "att").ok().strip();
        String[] f = shown.split(" ");
        assertThat(f[0]).isEqualTo(cid);
        assertThat(f[1]).isEqualTo("web-1");
        assertThat(f[2]).isEqualTo(ip + "/24");
        assertThat(f[3]).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
        assertThat(f[4]).matches("[0-9a-f]{64}");

        String refused = docker.run("network", "rm", "att").failed();
        assertThat(refused).contains("has active endpoints").contains("web-1");
        assertThat(docker.run("network", "prune", "-f").ok()).doesNotContain("att");
        assertThat(names("--filter", "dangling=false", "--filter", "type=custom")).containsExactly("att");

        networks.detach(cid);
        docker.run("network", "rm", "att").ok();
    }

    @Test
    void createAndRemovePublishNetworkEvents() throws Exception {
        EventBus bus = engine.engine().events();
        try (EventBus.Subscription sub = bus.subscribe(e -> e.type().equals("network"))) {
            String id = docker.run("network", "create", "ev-net").ok().strip();
            docker.run("network", "rm", "ev-net").ok();
            List<Event> seen = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Event e = sub.poll(5, TimeUnit.SECONDS);
                assertThat(e).as("event " + i).isNotNull();
                seen.add(e);
            }
            assertThat(seen).extracting(Event::action).containsExactly("create", "destroy");
            assertThat(seen).allSatisfy(e -> {
                assertThat(e.actorId()).isEqualTo(id);
                assertThat(e.attributes()).containsEntry("name", "ev-net").containsEntry("type", "bridge");
            });
        }
    }

    private static List<String> names(String... filters) throws Exception {
        List<String> args = new ArrayList<>(List.of("network", "ls", "--format", "{{.Name}}"));
        args.addAll(List.of(filters));
        return docker.run(args.toArray(String[]::new)).ok().lines().sorted().toList();
    }
}
