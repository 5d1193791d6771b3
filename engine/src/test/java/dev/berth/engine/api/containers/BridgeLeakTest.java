package dev.berth.engine.api.containers;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.CreateRequest;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Create, start and remove containers on the default bridge with a published port, many times:
 * afterwards no veth, no bridge, no firewall rule, no address allocation and no namespace file is
 * left. 30 cycles by default; {@code -Dberth.leakCycles=200} (as {@code bench/network.sh} runs it)
 * for the full check. A container stays running throughout, so the bridge itself is shared, as on a
 * real host.
 */
@RootOnly
class BridgeLeakTest {

    @RegisterExtension
    static final NetworkedEngine net = NetworkedEngine.perClass("10.77.50.0/24", "bnwc");
    static final List<String> ids = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    void createStartRemoveCyclesLeaveNoVethRuleAddressOrNamespace() throws Exception {
        int cycles = Integer.getInteger("berth.leakCycles", 30);
        Container anchor = net.engine().containers().create(CreateRequest.builder("busybox").name("anchor")
                .cmd("sleep", "600").build());
        net.engine().containers().start(anchor.id());
        cycle(0); // netavark creates its base chains on first use and keeps them: not a leak
        Snapshot before = Snapshot.take();
        for (int i = 1; i <= cycles; i++) {
            cycle(i);
        }
        Snapshot after = Snapshot.take();
        assertThat(after.links()).as("links").containsExactlyInAnyOrderElementsOf(before.links());
        assertThat(after.rules()).as("iptables rules").containsExactlyInAnyOrderElementsOf(before.rules());
        assertThat(after.allocations()).as("bridge addresses").isEqualTo(before.allocations());
        assertThat(after.netns()).as("namespace files").containsExactlyInAnyOrderElementsOf(before.netns());
        assertThat(net.engine().networks().attachments()).hasSize(1);

        net.engine().containers().remove(anchor.id(), true, true);
        assertThat(links()).as("links once the last container is gone").noneMatch(l -> l.startsWith("bnwc"));
        assertThat(net.engine().networks().allocated("bridge")).isEmpty();
        assertThat(iptables()).as("rules for the bridge subnet or any container").isEmpty();
    }

    private static void cycle(int i) {
        Container c = net.engine().containers().create(CreateRequest.builder("busybox").name("cycle-" + i)
                .publish("127.0.0.1::8080").publish("127.0.0.1::53/udp").cmd("sleep", "60").build());
        ids.add(c.id());
        net.engine().containers().start(c.id());
        assertThat(net.engine().containers().networkAttachment(c.id())).hasValueSatisfying(a ->
                assertThat(a.ports()).hasSize(2));
        net.engine().containers().remove(c.id(), true, true);
    }

    record Snapshot(List<String> links, List<String> rules, Map<String, String> allocations, List<String> netns) {
        static Snapshot take() throws IOException {
            List<String> ns;
            try (Stream<Path> s = Files.list(net.root().resolve("netns"))) {
                ns = s.map(p -> p.getFileName().toString()).toList();
            }
            return new Snapshot(ourLinks(),
                    iptables(), net.engine().networks().allocated("bridge"), ns);
        }
    }

    static List<String> links() {
        List<String> names = new ArrayList<>();
        for (String line : run("ip", "-o", "link").split("\n")) {
            String[] f = line.split(": ");
            if (f.length > 1) {
                names.add(f[1].split("@")[0]);
            }
        }
        return names;
    }

    /**
     * This engine's bridges and every veth on the host except those enslaved to another engine's
     * bridge (other engines on the host, other test runs among them, come and go meanwhile); a veth
     * that is on no bridge at all still counts.
     */
    static List<String> ourLinks() {
        List<String> names = new ArrayList<>();
        for (String line : run("ip", "-o", "link").split("\n")) {
            String[] f = line.split(": ");
            if (f.length < 3) {
                continue;
            }
            String name = f[1].split("@")[0];
            java.util.regex.Matcher master = java.util.regex.Pattern.compile(" master (\\S+)").matcher(f[2]);
            boolean onOtherBridge = master.find() && !master.group(1).startsWith("bnwc");
            if (name.startsWith("bnwc") || name.startsWith("veth") && !onOtherBridge) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Every rule that mentions this engine's bridge subnet or one of its containers, without counters
     * (other engines on the host have rules of their own in netavark's shared base chains).
     */
    static List<String> iptables() {
        List<String> out = new ArrayList<>();
        for (String line : run("iptables-save").split("\n")) {
            if (!line.startsWith("#") && (line.contains("10.77.50.") || ids.stream().anyMatch(line::contains))) {
                out.add(line.replaceAll("\\[\\d+:\\d+]", ""));
            }
        }
        return out;
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
