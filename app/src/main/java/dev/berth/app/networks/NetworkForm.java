package dev.berth.app.networks;

import dev.berth.app.i18n.Text;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The create dialog's input checks, run as the user types: Docker's network name rule, IPv4
 * CIDR subnets with the host bits clear, a gateway inside the subnet, an IP range inside it,
 * labels as {@code key=value} lines. The engine checks again (overlaps with other networks and
 * host routes are its to find); this only catches typing mistakes early.
 */
public final class NetworkForm {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    private NetworkForm() {}

    /** The first problem of the form, or null when it can be sent. */
    public static Text problem(String name, String subnet, String gateway, String ipRange, String labels) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) {
            return Text.of("networks.validation.nameEmpty");
        }
        if (!NAME.matcher(n).matches()) {
            return Text.of("networks.validation.name", n);
        }
        long[] net = null;
        if (!blank(subnet)) {
            net = cidr(subnet.strip());
            if (net == null) {
                return Text.of("networks.validation.subnet", subnet.strip());
            }
        } else if (!blank(gateway) || !blank(ipRange)) {
            return Text.of("networks.validation.needsSubnet");
        }
        if (!blank(gateway)) {
            long g = address(gateway.strip());
            if (g < 0 || g <= net[0] || g >= net[1]) {
                return Text.of("networks.validation.gateway", gateway.strip(), subnet.strip());
            }
        }
        if (!blank(ipRange)) {
            long[] range = cidr(ipRange.strip());
            if (range == null || range[0] < net[0] || range[1] > net[1]) {
                return Text.of("networks.validation.ipRange", ipRange.strip(), subnet.strip());
            }
        }
        try {
            labels(labels);
        } catch (IllegalArgumentException e) {
            return Text.of("networks.validation.label", e.getMessage());
        }
        return null;
    }

    /** {@code key=value} lines (blank lines skipped); a line without a key throws with that line. */
    public static Map<String, String> labels(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            int eq = l.indexOf('=');
            String key = eq < 0 ? l : l.substring(0, eq).strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException(l);
            }
            out.put(key, eq < 0 ? "" : l.substring(eq + 1).strip());
        }
        return out;
    }

    /** {first, last} address of a CIDR with its host bits clear, or null. */
    static long[] cidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return null;
        }
        long base = address(text.substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (base < 0 || prefix < 8 || prefix > 30) {
            return null;
        }
        long size = 1L << (32 - prefix);
        if (base % size != 0) {
            return null;
        }
        return new long[] {base, base + size - 1};
    }

    /** A dotted-quad address as a number, or -1. */
    static long address(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return -1;
            }
            v = (v << 8) | Integer.parseInt(p);
        }
        return v;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
