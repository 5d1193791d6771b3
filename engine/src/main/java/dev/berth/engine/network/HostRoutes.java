package dev.berth.engine.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host's IPv4 routes, read from {@code /proc/net/route}, to refuse subnets that would shadow them. */
public final class HostRoutes {

    /** One route: the interface and the destination network. */
    public record Route(String iface, Ipv4Subnet destination) {}

    private HostRoutes() {}

    /** Every non-default IPv4 route of the engine's network namespace. */
    public static List<Route> read() {
        return read(Path.of("/proc/net/route"));
    }

    static List<Route> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the host's routes from " + file, e);
        }
        List<Route> routes = new ArrayList<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            long dest = littleEndianHex(f[1]);
            long mask = littleEndianHex(f[7]);
            int prefix = Long.bitCount(mask);
            if (prefix == 0) {
                continue; // the default route overlaps everything by definition
            }
            routes.add(new Route(f[0], new Ipv4Subnet(dest, prefix)));
        }
        return routes;
    }

    private static long littleEndianHex(String hex) {
        long v = Long.parseLong(hex, 16);
        return ((v & 0xFF) << 24) | ((v & 0xFF00) << 8) | ((v >> 8) & 0xFF00) | ((v >> 24) & 0xFF);
    }
}
