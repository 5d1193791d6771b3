package dev.berth.engine.network;

import java.util.ArrayList;
import java.util.List;

/**
 * The content of a container's {@code /etc/hosts}, laid out as Docker writes it: the
 * localhost lines, then {@code --add-host} entries, then {@code --link} entries (default
 * bridge), then one line per network the container is on: that address with its hostname.
 *
 * <p>{@code docker network connect} and {@code disconnect} of a running container change the file
 * in place as Docker does ({@link #add}, {@link #remove}): the new address's line is appended,
 * the left network's line is deleted, every other line (links, {@code --add-host}, edits made
 * inside the container) stays.
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
     * @param ownIps the container's addresses, one per network in the order joined; empty when it has
     *               none ({@code none}, {@code host})
     * @param extraHosts {@code --add-host} entries in order
     * @param links {@code --link} entries: the linked container's address and its names (alias, name, short id)
     */
    public record Spec(String hostname, String domainname, List<String> ownIps, List<Entry> extraHosts, List<Entry> links) {
        public Spec {
            ownIps = ownIps == null ? List.of() : List.copyOf(ownIps);
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
            lines.add(line(e));
        }
        for (Entry e : spec.links()) {
            lines.add(line(e));
        }
        if (spec.hostname() != null) {
            for (String ip : spec.ownIps()) {
                lines.add(line(ownEntry(ip, spec.hostname(), spec.domainname())));
            }
        }
        return String.join("\n", lines) + "\n";
    }

    /**
     * The line naming one of the container's own addresses, as Docker writes it: {@code ip hostname};
     * for a qualified name (a dot in the hostname, or a domain name) the full name, then its first label:
     * {@code ip web.example.org web}.
     */
    public static Entry ownEntry(String ip, String hostname, String domainname) {
        String fqdn = domainname == null || domainname.isEmpty() ? hostname : hostname + "." + domainname;
        int dot = fqdn.indexOf('.');
        return new Entry(ip, dot > 0 ? List.of(fqdn, fqdn.substring(0, dot)) : List.of(fqdn));
    }

    /** {@code content} with a line per entry appended (entries already there are not repeated). */
    public static String add(String content, List<Entry> entries) {
        StringBuilder out = new StringBuilder(content);
        if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
            out.append('\n');
        }
        for (Entry e : entries) {
            if (content.lines().noneMatch(l -> matches(l, e))) {
                out.append(line(e)).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * {@code content} without the lines that are exactly one of {@code entries} (same address, same
     * names in the same order; spacing may differ); every other line is kept as it was.
     */
    public static String remove(String content, List<Entry> entries) {
        StringBuilder out = new StringBuilder();
        for (String l : content.split("\n", -1)) {
            if (entries.stream().noneMatch(e -> matches(l, e))) {
                out.append(l).append('\n');
            }
        }
        // split keeps a trailing empty piece for a final newline: do not add a second one
        return out.substring(0, out.length() - 1);
    }

    /**
     * {@code content} with the address of every line whose first name is {@code name} changed to
     * {@code ip} (the rest of the line kept): how Docker points a running container's {@code --link}
     * alias at the linked container's new address after that one restarted.
     */
    public static String updateAddress(String content, String name, String ip) {
        StringBuilder out = new StringBuilder();
        for (String l : content.split("\n", -1)) {
            String[] fields = l.strip().split("\\s+");
            if (fields.length >= 2 && fields[1].equals(name) && !l.strip().startsWith("#")) {
                String rest = l.stripLeading().substring(fields[0].length());
                out.append(ip).append(rest).append('\n');
            } else {
                out.append(l).append('\n');
            }
        }
        return out.substring(0, out.length() - 1);
    }

    private static boolean matches(String line, Entry e) {
        String[] fields = line.strip().split("\\s+");
        return fields.length == e.names().size() + 1 && fields[0].equals(e.ip())
                && List.of(fields).subList(1, fields.length).equals(e.names());
    }

    private static String line(Entry e) {
        return e.ip() + "\t" + String.join(" ", e.names());
    }
}
