package dev.berth.engine.network;

import dev.berth.engine.errors.EngineException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Docker's {@code -p [ip:][hostPort:]containerPort[/tcp|udp]} syntax, with ranges
 * ({@code 8000-8002:80-82}, or a host range for one container port: {@code 8000-8010:80}),
 * and {@code -P} (every exposed port onto a free host port). Errors use Docker's wording.
 *
 * @param hostIp the host address, empty for all
 * @param hostStart first host port, 0 for "pick a free one"
 * @param hostEnd last host port (equal to {@code hostStart} unless a range was given)
 * @param containerStart first container port
 * @param containerEnd last container port
 * @param protocol {@code tcp} or {@code udp}
 */
public record PortSpec(String hostIp, int hostStart, int hostEnd, int containerStart, int containerEnd, String protocol) {

    /** Parses one {@code -p} value. */
    public static PortSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new EngineException.InvalidArgument("No port specified: " + spec + "<empty>");
        }
        String rest = spec.trim();
        String proto = "tcp";
        int slash = rest.lastIndexOf('/');
        if (slash >= 0) {
            proto = rest.substring(slash + 1).toLowerCase(Locale.ROOT);
            rest = rest.substring(0, slash);
            if (!proto.equals("tcp") && !proto.equals("udp")) {
                throw new EngineException.InvalidArgument("Invalid proto: " + spec.substring(slash + 1));
            }
        }
        String ip = "";
        String host = "";
        String container;
        int lastColon = rest.lastIndexOf(':');
        if (lastColon < 0) {
            container = rest;
        } else {
            container = rest.substring(lastColon + 1);
            String head = rest.substring(0, lastColon);
            int colon = head.lastIndexOf(':');
            if (colon < 0) {
                host = head;
            } else {
                ip = head.substring(0, colon);
                host = head.substring(colon + 1);
                if (ip.startsWith("[") || ip.contains(":")) {
                    throw ipv6HostAddress(spec, ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip);
                }
                if (!ip.isEmpty() && !Ipv4Subnet.isAddress(ip)) {
                    throw new EngineException.InvalidArgument("Invalid ip address: " + ip);
                }
            }
        }
        if (container.isEmpty()) {
            throw new EngineException.InvalidArgument("No port specified: " + spec + "<empty>");
        }
        int[] c = range(container, "Invalid containerPort: " + container, false);
        int[] h = host.isEmpty() ? new int[] {0, 0} : range(host, "Invalid hostPort: " + host, true);
        int cLen = c[1] - c[0];
        int hLen = h[1] - h[0];
        if (h[0] != 0 && hLen != cLen && !(cLen == 0 && hLen > 0)) {
            throw new EngineException.InvalidArgument("Invalid ranges specified for container and host Ports: " + container);
        }
        return new PortSpec(ip.equals("0.0.0.0") ? "" : ip, h[0], h[1], c[0], c[1], proto);
    }

    /**
     * The error for a port published on an IPv6 host address. Containers get IPv4 addresses only,
     * and netavark forwards a host port with kernel NAT, which cannot send what arrives on an IPv6
     * address (least of all {@code ::1}: the kernel has no IPv6 {@code route_localnet}) to an IPv4
     * container; netavark itself would skip such a mapping without a word. So it is refused.
     *
     * @param spec the binding as given, for the message
     * @param ip the IPv6 address, without brackets
     */
    public static EngineException.InvalidArgument ipv6HostAddress(String spec, String ip) {
        return new EngineException.InvalidArgument("cannot publish " + spec + " on the IPv6 host address " + ip
                + ": Berth publishes ports on IPv4 only (containers have IPv4 addresses); use an IPv4 address such as "
                + ("::1".equals(ip) ? "127.0.0.1" : "0.0.0.0") + " instead");
    }

    /** Parses every {@code -p} value in order. */
    public static List<PortSpec> parseAll(Collection<String> specs) {
        List<PortSpec> out = new ArrayList<>();
        for (String s : specs) {
            out.add(parse(s));
        }
        return out;
    }

    /**
     * {@code -P}: one spec per exposed port ({@code "8080/tcp"}, {@code "53/udp"}, {@code "80"}) onto
     * a free host port on every address.
     */
    public static List<PortSpec> publishAll(Collection<String> exposedPorts) {
        List<PortSpec> out = new ArrayList<>();
        for (String e : exposedPorts) {
            PortSpec p = parse(e);
            if (p.hostStart != 0 || !p.hostIp.isEmpty()) {
                throw new EngineException.InvalidArgument("invalid exposed port " + e + ": expected PORT[/PROTO]");
            }
            for (int port = p.containerStart; port <= p.containerEnd; port++) {
                out.add(new PortSpec("", 0, 0, port, port, p.protocol));
            }
        }
        return out;
    }

    /** Whether the engine must pick the host port(s). */
    public boolean needsHostPort() {
        return hostStart == 0 || (containerStart == containerEnd && hostEnd > hostStart);
    }

    private static int[] range(String text, String error, boolean allowZero) {
        int dash = text.indexOf('-');
        int start = port(dash < 0 ? text : text.substring(0, dash), error, allowZero);
        int end = dash < 0 ? start : port(text.substring(dash + 1), error, allowZero);
        if (end < start) {
            throw new EngineException.InvalidArgument(error);
        }
        return new int[] {start, end};
    }

    private static int port(String text, String error, boolean allowZero) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            throw new EngineException.InvalidArgument(error);
        }
        int p = Integer.parseInt(text);
        if (p > 65535 || (p == 0 && !allowZero)) {
            throw new EngineException.InvalidArgument(error);
        }
        return p;
    }
}
