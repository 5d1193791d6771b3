package dev.berth.app.containers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One {@code -p} value: {@code [ip:][hostPort:]containerPort[/tcp|udp|sctp]}, ports or ranges
 * ({@code 8000-8002:80-82}), an IPv6 address in brackets ({@code [::1]:8080:80}). Parsed as
 * Docker's {@code nat.ParsePortSpec} reads it.
 *
 * @param bindings one per container port: Docker's {@code PortBindings} entries
 */
public record PortSpec(List<Binding> bindings) {

    /**
     * A container port ({@code 80/tcp}) published on {@code hostIp} (empty: every address) and
     * {@code hostPort} (a port, a range the engine picks from, or empty for any free port).
     */
    public record Binding(String containerPort, String hostIp, String hostPort) {}

    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    /**
     * @throws InvalidInput naming what is wrong with {@code spec}
     */
    public static PortSpec parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        if (s.isEmpty()) {
            throw new InvalidInput("run.validation.port.empty");
        }
        String proto = "tcp";
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            proto = s.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
            s = s.substring(0, slash);
            if (!PROTOCOLS.contains(proto)) {
                throw new InvalidInput("run.validation.port.protocol", spec, proto);
            }
        }
        String ip = "";
        String rest = s;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new InvalidInput("run.validation.port.syntax", spec);
            }
            ip = s.substring(1, close);
            if (!IPV6.matcher(ip).matches()) {
                throw new InvalidInput("run.validation.port.ip", spec, ip);
            }
            rest = s.substring(close + 2);
            if (rest.chars().filter(c -> c == ':').count() != 1) {
                throw new InvalidInput("run.validation.port.syntax", spec);
            }
        }
        String[] parts = rest.split(":", -1);
        String host;
        String container;
        switch (parts.length) {
            case 1 -> {
                if (!ip.isEmpty()) {
                    throw new InvalidInput("run.validation.port.syntax", spec);
                }
                host = "";
                container = parts[0];
            }
            case 2 -> {
                host = parts[0];
                container = parts[1];
            }
            case 3 -> {
                if (!ip.isEmpty()) {
                    throw new InvalidInput("run.validation.port.syntax", spec);
                }
                ip = parts[0];
                host = parts[1];
                container = parts[2];
                if (!IPV4.matcher(ip).matches()) {
                    throw new InvalidInput("run.validation.port.ip", spec, ip);
                }
            }
            default -> throw new InvalidInput("run.validation.port.syntax", spec);
        }
        if (container.isEmpty()) {
            throw new InvalidInput("run.validation.port.containerMissing", spec);
        }
        int[] c = range(container, spec);
        int[] h = host.isEmpty() ? null : range(host, spec);
        int count = c[1] - c[0] + 1;
        if (h != null && count > 1 && h[1] - h[0] + 1 != count) {
            throw new InvalidInput("run.validation.port.rangeMismatch", spec);
        }
        List<Binding> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String hostPort;
            if (h == null) {
                hostPort = "";
            } else if (count > 1) {
                hostPort = Integer.toString(h[0] + i);
            } else {
                hostPort = h[0] == h[1] ? Integer.toString(h[0]) : h[0] + "-" + h[1];
            }
            out.add(new Binding((c[0] + i) + "/" + proto, ip, hostPort));
        }
        return new PortSpec(List.copyOf(out));
    }

    private static int[] range(String text, String spec) {
        int dash = text.indexOf('-');
        int from = port(dash < 0 ? text : text.substring(0, dash), spec);
        int to = dash < 0 ? from : port(text.substring(dash + 1), spec);
        if (to < from) {
            throw new InvalidInput("run.validation.port.range", spec, text);
        }
        return new int[] {from, to};
    }

    private static int port(String text, String spec) {
        if (!text.matches("\\d{1,5}")) {
            throw new InvalidInput("run.validation.port.number", spec, text);
        }
        int p = Integer.parseInt(text);
        if (p < 1 || p > 65535) {
            throw new InvalidInput("run.validation.port.number", spec, text);
        }
        return p;
    }
}
