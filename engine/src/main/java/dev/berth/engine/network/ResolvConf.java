package dev.berth.engine.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The content of a container's {@code /etc/resolv.conf}. On a user-defined network the
 * nameserver is aardvark-dns on the network's gateway (it answers container names and
 * forwards the rest to the {@code --dns} servers or the host's); elsewhere it is the
 * {@code --dns} servers, or the host's own nameservers minus loopback ones (unreachable from
 * a container), or public fallbacks when nothing else is left, as Docker does.
 */
public final class ResolvConf {

    /** Used only when the host has no usable nameserver and the user gave none, like Docker. */
    public static final List<String> FALLBACK_NAMESERVERS = List.of("8.8.8.8", "8.8.4.4");

    /**
     * What goes into the file.
     *
     * @param embeddedDns aardvark-dns addresses of the container's user-defined networks (empty on the default bridge)
     * @param dns {@code --dns}
     * @param dnsSearch {@code --dns-search}
     * @param dnsOptions {@code --dns-option}
     * @param networkSearchDomains search domains netavark reported (e.g. {@code dns.podman})
     */
    public record Spec(List<String> embeddedDns, List<String> dns, List<String> dnsSearch, List<String> dnsOptions,
                       List<String> networkSearchDomains) {
        public Spec {
            embeddedDns = embeddedDns == null ? List.of() : List.copyOf(embeddedDns);
            dns = dns == null ? List.of() : List.copyOf(dns);
            dnsSearch = dnsSearch == null ? List.of() : List.copyOf(dnsSearch);
            dnsOptions = dnsOptions == null ? List.of() : List.copyOf(dnsOptions);
            networkSearchDomains = networkSearchDomains == null ? List.of() : List.copyOf(networkSearchDomains);
        }
    }

    /** What the host's resolv.conf says. */
    public record HostResolv(List<String> nameservers, List<String> search, List<String> options) {}

    private ResolvConf() {}

    public static HostResolv readHost(Path file) {
        List<String> ns = new ArrayList<>();
        List<String> search = new ArrayList<>();
        List<String> options = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            lines = List.of();
        }
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length < 2) {
                continue;
            }
            switch (f[0]) {
                case "nameserver" -> ns.add(f[1]);
                case "search", "domain" -> {
                    search.clear();
                    search.addAll(List.of(f).subList(1, f.length));
                }
                case "options" -> options.addAll(List.of(f).subList(1, f.length));
                default -> { }
            }
        }
        return new HostResolv(ns, search, options);
    }

    private static boolean isLoopback(String ns) {
        return ns.startsWith("127.") || ns.equals("::1");
    }

    public static String render(Spec spec, HostResolv host) {
        List<String> nameservers;
        if (!spec.embeddedDns().isEmpty()) {
            nameservers = spec.embeddedDns();
        } else if (!spec.dns().isEmpty()) {
            nameservers = spec.dns();
        } else {
            nameservers = host.nameservers().stream().filter(n -> !isLoopback(n)).toList();
            if (nameservers.isEmpty()) {
                nameservers = FALLBACK_NAMESERVERS;
            }
        }
        Set<String> search = new LinkedHashSet<>();
        if (!spec.dnsSearch().isEmpty()) {
            spec.dnsSearch().stream().filter(s -> !s.equals(".")).forEach(search::add);
        } else {
            search.addAll(spec.networkSearchDomains());
            search.addAll(host.search());
        }
        List<String> options = !spec.dnsOptions().isEmpty() ? spec.dnsOptions() : host.options();
        StringBuilder sb = new StringBuilder();
        if (!search.isEmpty()) {
            sb.append("search ").append(String.join(" ", search)).append('\n');
        }
        for (String n : nameservers) {
            sb.append("nameserver ").append(n).append('\n');
        }
        if (!options.isEmpty()) {
            sb.append("options ").append(String.join(" ", options)).append('\n');
        }
        return sb.toString();
    }
}
