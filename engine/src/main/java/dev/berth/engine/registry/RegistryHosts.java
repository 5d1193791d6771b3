package dev.berth.engine.registry;

import dev.berth.engine.errors.EngineException;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which URLs serve a registry: http for loopback ({@code 127.0.0.0/8}, {@code localhost},
 * {@code ::1}) and for the configured insecure registries (by {@code host[:port]} or CIDR of
 * its addresses), https otherwise. Docker Hub ({@code docker.io}) is served by
 * {@code registry-1.docker.io}; pulls try the configured mirrors first, in order.
 */
public final class RegistryHosts {

    public static final String DOCKER_HUB_API = "registry-1.docker.io";

    private final List<String> insecure;
    private final List<URI> mirrors;

    public RegistryHosts(List<String> insecureRegistries, List<URI> mirrors) {
        this.insecure = insecureRegistries.stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
        List<URI> m = new ArrayList<>();
        for (URI u : mirrors) {
            if (u.getScheme() == null || u.getRawAuthority() == null
                    || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                throw new EngineException.InvalidArgument("invalid registry mirror \"" + u
                        + "\": expected a URL such as https://mirror.example.com");
            }
            m.add(URI.create(u.getScheme() + "://" + u.getRawAuthority()));
        }
        this.mirrors = List.copyOf(m);
    }

    /** Where to pull from: the mirrors (for docker.io), then the registry itself. */
    public List<RegistryHost> pullHosts(String registry) {
        String r = RegistryRepository.canonicalRegistry(registry);
        List<RegistryHost> hosts = new ArrayList<>();
        if (r.equals(RegistryRepository.DOCKER_HUB)) {
            for (URI m : mirrors) {
                hosts.add(new RegistryHost(r, m, m.getRawAuthority(), true));
            }
        }
        hosts.add(pushHost(r));
        return List.copyOf(hosts);
    }

    /** Where to push (and log in): the registry itself, never a mirror. */
    public RegistryHost pushHost(String registry) {
        String r = RegistryRepository.canonicalRegistry(registry);
        if (r.equals(RegistryRepository.DOCKER_HUB)) {
            return new RegistryHost(r, URI.create("https://" + DOCKER_HUB_API), r, false);
        }
        URI base;
        try {
            base = URI.create((isInsecure(r) ? "http" : "https") + "://" + r);
        } catch (IllegalArgumentException e) {
            throw new EngineException.InvalidArgument("invalid registry name \"" + registry + "\"");
        }
        if (base.getHost() == null || base.getRawPath() != null && !base.getRawPath().isEmpty()) {
            throw new EngineException.InvalidArgument("invalid registry name \"" + registry + "\": expected host[:port]");
        }
        return new RegistryHost(r, base, r, false);
    }

    /** True when {@code registry} ({@code host[:port]}) is spoken to over plain http. */
    public boolean isInsecure(String registry) {
        String r = registry.toLowerCase(Locale.ROOT);
        String host = hostOf(r);
        if (host.equals("localhost") || host.equals("::1") || host.startsWith("127.") && isIpLiteral(host)) {
            return true;
        }
        for (String entry : insecure) {
            if (entry.equals(r) || entry.equals(host)) {
                return true;
            }
        }
        List<InetAddress> addresses = null;
        for (String entry : insecure) {
            if (!entry.contains("/")) {
                continue;
            }
            if (addresses == null) {
                addresses = addressesOf(host);
            }
            for (InetAddress a : addresses) {
                if (Cidr.parse(entry).contains(a)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The host part of {@code host[:port]} or {@code [v6]:port}, without brackets. */
    static String hostOf(String registry) {
        if (registry.startsWith("[")) {
            int end = registry.indexOf(']');
            return end < 0 ? registry : registry.substring(1, end);
        }
        int colon = registry.indexOf(':');
        if (colon >= 0 && registry.indexOf(':', colon + 1) >= 0) {
            return registry; // a bare IPv6 literal
        }
        return colon < 0 ? registry : registry.substring(0, colon);
    }

    private static boolean isIpLiteral(String host) {
        return host.chars().allMatch(c -> Character.isDigit(c) || c == '.') || host.contains(":");
    }

    private static List<InetAddress> addressesOf(String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    /** An address block, {@code 10.0.0.0/8} or {@code fd00::/8}. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String s) {
            int slash = s.indexOf('/');
            try {
                String addr = s.substring(0, slash);
                if (!isIpLiteral(addr)) {
                    throw new IllegalArgumentException("not an address");
                }
                byte[] net = InetAddress.getByName(addr).getAddress();
                int prefix = Integer.parseInt(s.substring(slash + 1));
                if (prefix < 0 || prefix > net.length * 8) {
                    throw new IllegalArgumentException("prefix out of range");
                }
                return new Cidr(net, prefix);
            } catch (UnknownHostException | IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new EngineException.InvalidArgument("invalid insecure registry CIDR \"" + s + "\"");
            }
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            int bits = prefix;
            for (int i = 0; i < b.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((b[i] & mask) != (network[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
