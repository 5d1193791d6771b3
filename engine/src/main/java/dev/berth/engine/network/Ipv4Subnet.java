package dev.berth.engine.network;

import dev.berth.engine.errors.EngineException;

/**
 * An IPv4 network in CIDR form, e.g. {@code 10.89.3.0/24}. Addresses are handled as unsigned
 * 32-bit values held in a {@code long}.
 *
 * @param base the network address (host bits cleared)
 * @param prefix the prefix length, 0 to 32
 */
public record Ipv4Subnet(long base, int prefix) {

    public Ipv4Subnet {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length out of range: " + prefix);
        }
        base = base & mask(prefix);
    }

    /** Parses {@code a.b.c.d/n}; the host bits must be zero, as Docker insists. */
    public static Ipv4Subnet parse(String cidr) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        if (slash < 0) {
            throw new EngineException.InvalidArgument("invalid subnet " + quote(cidr) + ": expected an IPv4 CIDR such as 10.89.0.0/24");
        }
        long addr = parseAddress(cidr.substring(0, slash), "subnet " + quote(cidr));
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > 32) {
            throw new EngineException.InvalidArgument("invalid subnet " + quote(cidr) + ": the prefix length must be 0 to 32");
        }
        Ipv4Subnet s = new Ipv4Subnet(addr, prefix);
        if (s.base != addr) {
            throw new EngineException.InvalidArgument("invalid subnet " + quote(cidr) + ": host bits are set; did you mean " + s + "?");
        }
        return s;
    }

    /** Parses a dotted-quad IPv4 address. */
    public static long parseAddress(String text, String what) {
        String[] parts = text == null ? new String[0] : text.split("\\.", -1);
        if (parts.length != 4) {
            throw new EngineException.InvalidArgument("invalid IPv4 address " + quote(text) + " in " + what);
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new EngineException.InvalidArgument("invalid IPv4 address " + quote(text) + " in " + what);
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                throw new EngineException.InvalidArgument("invalid IPv4 address " + quote(text) + " in " + what);
            }
            v = (v << 8) | octet;
        }
        return v;
    }

    public static boolean isAddress(String text) {
        try {
            parseAddress(text, "check");
            return true;
        } catch (EngineException.InvalidArgument e) {
            return false;
        }
    }

    public static String format(long addr) {
        return ((addr >> 24) & 255) + "." + ((addr >> 16) & 255) + "." + ((addr >> 8) & 255) + "." + (addr & 255);
    }

    static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    public long size() {
        return 1L << (32 - prefix);
    }

    public long last() {
        return base + size() - 1;
    }

    public boolean contains(long addr) {
        return addr >= base && addr <= last();
    }

    public boolean contains(Ipv4Subnet other) {
        return contains(other.base) && contains(other.last());
    }

    public boolean overlaps(Ipv4Subnet other) {
        return base <= other.last() && other.base <= last();
    }

    /** The address {@code n} places after the network address ({@code at(1)} is the usual gateway). */
    public long at(long n) {
        return base + n;
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefix;
    }

    private static String quote(String s) {
        return s == null ? "(none)" : "\"" + s + "\"";
    }
}
