package dev.berth.engine.network;

import java.util.ArrayList;
import java.util.List;

/**
 * The content of a container's {@code /etc/hosts}, laid out as Docker writes it: the
 * localhost lines, then {@code --add-host} entries, then {@code --link} entries (default
 * bridge), then the container's own address with its hostname.
 */
public final class HostsFile {

    /** One {@code --add-host name:ip} or {@code --link} entry. */
    public record Entry(String ip, List<String> names) {
        public Entry {
            names = List.copyOf(names);
        }
    }

    /**
     * What goes into the file.
     *
     * @param hostname the container's hostname (default: the short id)
     * @param domainname optional domain name (adds {@code hostname.domainname})
     * @param ownIp the container's primary address, or null when it has none ({@code none}, {@code host})
     * @param extraHosts {@code --add-host} entries in order
     * @param links {@code --link} entries: the linked container's address and its names (alias, name, short id)
     */
    public record Spec(String hostname, String domainname, String ownIp, List<Entry> extraHosts, List<Entry> links) {
        public Spec {
            extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
            links = links == null ? List.of() : List.copyOf(links);
        }
    }

    private HostsFile() {}

    /** Parses {@code --add-host name:ip} (Docker also accepts {@code name=ip}). */
    public static Entry parseAddHost(String value) {
        int sep = value == null ? -1 : value.indexOf('=') >= 0 ? value.indexOf('=') : value.indexOf(':');
        if (sep <= 0 || sep == value.length() - 1) {
            throw new dev.berth.engine.errors.EngineException.InvalidArgument(
                    "invalid argument \"" + value + "\" for \"--add-host\" flag: bad format for add-host: \"" + value + "\"");
        }
        String name = value.substring(0, sep);
        String ip = value.substring(sep + 1);
        if (ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        if (!Ipv4Subnet.isAddress(ip) && !ip.equals("host-gateway") && !ip.contains(":")) {
            throw new dev.berth.engine.errors.EngineException.InvalidArgument(
                    "invalid argument \"" + value + "\" for \"--add-host\" flag: invalid IP address in add-host: \"" + ip + "\"");
        }
        return new Entry(ip, List.of(name));
    }

    public static String render(Spec spec) {
        List<String> lines = new ArrayList<>();
        lines.add("127.0.0.1\tlocalhost");
        lines.add("::1\tlocalhost ip6-localhost ip6-loopback");
        lines.add("fe00::0\tip6-localnet");
        lines.add("ff00::0\tip6-mcastprefix");
        lines.add("ff02::1\tip6-allnodes");
        lines.add("ff02::2\tip6-allrouters");
        for (Entry e : spec.extraHosts()) {
            lines.add(e.ip() + "\t" + String.join(" ", e.names()));
        }
        for (Entry e : spec.links()) {
            lines.add(e.ip() + "\t" + String.join(" ", e.names()));
        }
        if (spec.ownIp() != null && spec.hostname() != null) {
            String names = spec.domainname() == null || spec.domainname().isEmpty()
                    ? spec.hostname()
                    : spec.hostname() + "." + spec.domainname() + " " + spec.hostname();
            lines.add(spec.ownIp() + "\t" + names);
        }
        return String.join("\n", lines) + "\n";
    }
}
