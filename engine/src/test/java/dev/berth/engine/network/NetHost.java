package dev.berth.engine.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test helpers that look at the host's real network state (links, iptables, namespaces) and run
 * busybox inside a namespace file with {@code nsenter}. Processes are stopped by their own pid.
 */
final class NetHost {

    static final String BUSYBOX = "/bin/busybox";

    private NetHost() {}

    record Result(int exit, String out) {}

    static Result run(List<String> cmd, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            var out = Thread.ofVirtual().start(() -> { });
            byte[][] buf = new byte[1][];
            out = Thread.ofVirtual().start(() -> {
                try {
                    buf[0] = p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    buf[0] = new byte[0];
                }
            });
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
            }
            out.join();
            return new Result(p.exitValue(), new String(buf[0], StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        }
    }

    /** Runs busybox applet args inside the namespace. */
    static Result inNetns(String netns, int timeoutSeconds, String... busyboxArgs) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + netns, BUSYBOX));
        cmd.addAll(List.of(busyboxArgs));
        return run(cmd, timeoutSeconds);
    }

    /** Starts a long-running busybox applet inside the namespace; stop it with {@link #stop}. */
    static Process startInNetns(String netns, Path output, String... busyboxArgs) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + netns, BUSYBOX));
        cmd.addAll(List.of(busyboxArgs));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            pb.redirectOutput(output == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(output.toFile()));
            return pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + cmd, e);
        }
    }

    static void stop(Process p) {
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static List<String> linkNames() {
        List<String> names = new ArrayList<>();
        for (String line : run(List.of("ip", "-o", "link"), 10).out().split("\n")) {
            String[] f = line.split(": ");
            if (f.length > 1) {
                names.add(f[1].split("@")[0]);
            }
        }
        return names;
    }

    /** The firewall rules and chains, without counters and comments. */
    static List<String> iptables() {
        List<String> rules = new ArrayList<>();
        for (String line : run(List.of("iptables-save"), 20).out().split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                rules.add(line.replaceAll("\\[\\d+:\\d+]", ""));
            }
        }
        return rules;
    }

    static boolean hasNetavarkChains() {
        return iptables().stream().anyMatch(l -> l.contains("NETAVARK"));
    }

    /**
     * netavark 1.4 keeps its base chains (NETAVARK_FORWARD, NETAVARK-HOSTPORT-*) after the last
     * teardown; a test class that found none removes them when it ends.
     */
    static void removeNetavarkBaseChains() {
        run(List.of("iptables", "-D", "FORWARD", "-m", "comment", "--comment", "netavark firewall plugin rules", "-j", "NETAVARK_FORWARD"), 10);
        run(List.of("iptables", "-X", "NETAVARK_FORWARD"), 10);
        run(List.of("iptables", "-t", "nat", "-D", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "NETAVARK-HOSTPORT-DNAT"), 10);
        run(List.of("iptables", "-t", "nat", "-D", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "NETAVARK-HOSTPORT-DNAT"), 10);
        run(List.of("iptables", "-t", "nat", "-D", "POSTROUTING", "-j", "NETAVARK-HOSTPORT-MASQ"), 10);
        for (String chain : List.of("NETAVARK-HOSTPORT-DNAT", "NETAVARK-HOSTPORT-MASQ", "NETAVARK-HOSTPORT-SETMARK")) {
            run(List.of("iptables", "-t", "nat", "-F", chain), 10);
            run(List.of("iptables", "-t", "nat", "-X", chain), 10);
        }
        // no per-network NETAVARK-DN-* chain is deleted here: the engine removes its own networks' chains
        // (PortForwardChains), and any other is another engine's
    }

    /** No berth bridge, no veth, no namespace file, no aardvark-dns of this root, no rule for these subnets. */
    static void assertNoLeftovers(Path root, String... subnets) {
        assertThat(linkNames()).as("links after teardown").noneMatch(n -> n.startsWith("berth") || n.startsWith("veth") || n.contains("podman"));
        Path netns = root.resolve("netns");
        if (Files.isDirectory(netns)) {
            try (Stream<Path> s = Files.list(netns)) {
                assertThat(s.toList()).as("namespace files left in " + netns).isEmpty();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(aardvarkProcesses(root)).as("aardvark-dns processes of " + root).isEmpty();
        List<String> rules = iptables();
        for (String subnet : subnets) {
            assertThat(rules).as("iptables rules for " + subnet).noneMatch(l -> l.contains(subnet));
        }
        assertThat(rules).as("per-network rules").noneMatch(l -> l.startsWith("-A") && l.matches(".*NETAVARK-(DN-)?[0-9A-F]{13}.*"));
    }

    static List<Long> aardvarkProcesses(Path root) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmd.contains("aardvark-dns") && cmd.contains(root.toString())) {
                        pids.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException ignored) {
                    // the process went away while we looked
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return pids;
    }
}
