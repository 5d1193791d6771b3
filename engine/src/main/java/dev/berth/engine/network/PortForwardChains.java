package dev.berth.engine.network;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.Commands;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

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

    private static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(30);
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
        try {
            Commands.Result r = Commands.runMerged(cmd, TIMEOUT);
            return new Result(r.exit(), r.out());
        } catch (EngineException.Unavailable e) {
            return new Result(-1, e.getMessage()); // unknown: keep the chain
        }
    }
}
