package dev.berth.engine.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one firewall clean-up the engine does itself. netavark 1.4 gives each network a NAT chain for
 * its published ports, {@code NETAVARK-DN-<hash>} (the hash: the first 13 upper-case hex digits of
 * the SHA-512 of the name netavark knows the network by, which for Berth is the network id). It
 * creates that chain when a container with published ports joins, but on the last container's
 * teardown it deletes it only if that container itself had published ports: when a container with
 * {@code -p} leaves first and one without leaves last, the chain stays behind, empty, for good.
 *
 * <p>{@link #removeIfEmpty} deletes such a chain of one of this engine's networks once no container
 * is on the network any more. It never touches a chain that still holds a rule, and never a chain
 * whose name it did not compute from its own network's id, so other engines' and Podman's chains
 * are left alone.
 */
final class PortForwardChains {

    private static final System.Logger LOG = System.getLogger(PortForwardChains.class.getName());

    private PortForwardChains() {}

    /** netavark's port-forwarding chain of the network it knows as {@code netavarkName}. */
    static String chainName(String netavarkName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512").digest(netavarkName.getBytes(StandardCharsets.UTF_8));
            return "NETAVARK-DN-" + HexFormat.of().formatHex(digest).substring(0, 13).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-512", e);
        }
    }

    /**
     * Deletes the network's chain from the {@code nat} table if it exists and holds no rule. Failures
     * are logged, not thrown: a chain left over costs nothing and must not fail a container's removal.
     *
     * @return whether a chain was deleted
     */
    static boolean removeIfEmpty(String netavarkName) {
        String chain = chainName(netavarkName);
        Result listed = iptables("-t", "nat", "-S", chain);
        if (listed.exit() != 0) {
            return false; // no such chain: netavark removed it, or never made it
        }
        boolean hasRules = listed.out().lines().anyMatch(l -> l.startsWith("-A "));
        if (hasRules) {
            LOG.log(System.Logger.Level.DEBUG, "keeping " + chain + ": it still holds rules");
            return false;
        }
        Result deleted = iptables("-t", "nat", "-X", chain);
        if (deleted.exit() != 0) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete the empty netavark chain " + chain + ": " + deleted.out().strip());
            return false;
        }
        return true;
    }

    private record Result(int exit, String out) {}

    private static Result iptables(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("iptables", "-w", "10"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            return new Result(-1, "cannot run iptables: " + e.getMessage());
        }
        // read while waiting: reading to the end first would wait for the exit with no time limit
        CompletableFuture<String> out = new CompletableFuture<>();
        Thread.ofVirtual().name("berth-iptables-output").start(() -> {
            try (var in = p.getInputStream()) {
                out.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.complete("cannot read the output of iptables: " + e.getMessage());
            }
        });
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "iptables did not finish within 30 s");
            }
            return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return new Result(-1, "cannot read the output of iptables"); // unknown: keep the chain
        }
    }
}
