package dev.berth.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.network.Ipv4Subnet;
import dev.berth.engine.network.NetworkService;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Where an engine keeps its state and where it serves the Docker API, plus the registry settings
 * Docker keeps in {@code daemon.json}.
 *
 * @param root               the state root (default {@code /var/lib/berth}); one engine owns it at a time
 * @param socket             the unix socket of the Docker-compatible API (default {@code /run/berth/berth.sock})
 * @param registryMirrors    Docker Hub mirrors tried before Docker Hub (Docker's {@code registry-mirrors})
 * @param insecureRegistries registries spoken to over plain http (Docker's {@code insecure-registries});
 *                           loopback registries always are
 * @param bridgeSubnet       the default {@code bridge} network's subnet, {@code null} for
 *                           {@value NetworkService.Config#DEFAULT_SUBNET}; set in the file by Docker's
 *                           {@code bip} (the gateway with its prefix, {@code 10.66.0.1/24}) or by
 *                           {@code default-bridge-subnet} ({@code 10.66.0.0/24})
 * @param bridgePrefix       the prefix of the engine's bridge interface names ({@code berth} gives
 *                           {@code berth0}, {@code berth1}, ...), {@code null} for {@code berth}; in the
 *                           file as {@code bridge-prefix} (at most 10 characters), so two engines on one
 *                           host can keep their bridges apart
 */
public record EngineConfig(Path root, Path socket, List<URI> registryMirrors, List<String> insecureRegistries,
                           String bridgeSubnet, String bridgePrefix) {

    public static final Path DEFAULT_ROOT = Path.of("/var/lib/berth");
    public static final Path DEFAULT_SOCKET = Path.of("/run/berth/berth.sock");
    /** The engine's settings file under the state root, in {@code daemon.json}'s names. */
    public static final String CONFIG_FILE = "config.json";

    public EngineConfig {
        root = root.toAbsolutePath().normalize();
        socket = socket.toAbsolutePath().normalize();
        registryMirrors = registryMirrors == null ? List.of() : List.copyOf(registryMirrors);
        insecureRegistries = insecureRegistries == null ? List.of() : List.copyOf(insecureRegistries);
    }

    public EngineConfig(Path root, Path socket, List<URI> registryMirrors, List<String> insecureRegistries) {
        this(root, socket, registryMirrors, insecureRegistries, null, null);
    }

    public EngineConfig(Path root, Path socket) {
        this(root, socket, List.of(), List.of());
    }

    /** The network service's settings for this engine: its state root, default subnet and bridge names. */
    public NetworkService.Config networkConfig() {
        NetworkService.Config c = NetworkService.Config.defaults(root);
        if (bridgeSubnet != null) {
            c = c.withDefaultSubnet(bridgeSubnet);
        }
        if (bridgePrefix != null) {
            c = c.withInterfacePrefix(bridgePrefix);
        }
        return c;
    }

    public static EngineConfig defaults() {
        return new EngineConfig(DEFAULT_ROOT, DEFAULT_SOCKET);
    }

    public EngineConfig withRegistryMirrors(List<URI> mirrors) {
        return new EngineConfig(root, socket, mirrors, insecureRegistries, bridgeSubnet, bridgePrefix);
    }

    public EngineConfig withInsecureRegistries(List<String> insecure) {
        return new EngineConfig(root, socket, registryMirrors, insecure, bridgeSubnet, bridgePrefix);
    }

    /**
     * This config with what {@code <root>/config.json} says added: {@code registry-mirrors} (URLs),
     * {@code insecure-registries} (hosts, {@code host:port} or CIDRs), the default bridge's subnet
     * ({@code bip} or {@code default-bridge-subnet}) and {@code bridge-prefix}. Other keys are ignored;
     * a missing file changes nothing.
     *
     * @throws EngineException.InvalidArgument when the file is not valid JSON or a value has the wrong type
     */
    public EngineConfig withConfigFile() {
        Path file = root.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            return this;
        }
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new EngineException.InvalidArgument(file + " is not valid JSON (line "
                    + e.getLocation().getLineNr() + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return this;
        }
        if (!tree.isObject()) {
            throw new EngineException.InvalidArgument(file + " must hold a JSON object");
        }
        LinkedHashSet<URI> mirrors = new LinkedHashSet<>(registryMirrors);
        for (String m : strings(file, tree, "registry-mirrors")) {
            URI u;
            try {
                u = URI.create(m.strip());
            } catch (IllegalArgumentException e) {
                throw new EngineException.InvalidArgument(file + ": registry-mirrors entry \"" + m + "\" is not a URL");
            }
            if (u.getScheme() == null || u.getHost() == null
                    || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                throw new EngineException.InvalidArgument(file + ": registry-mirrors entry \"" + m
                        + "\" must be an http:// or https:// URL");
            }
            mirrors.add(u);
        }
        LinkedHashSet<String> insecure = new LinkedHashSet<>(insecureRegistries);
        insecure.addAll(strings(file, tree, "insecure-registries"));
        String subnet = bridgeSubnet;
        String bip = string(file, tree, "bip");
        String given = string(file, tree, "default-bridge-subnet");
        if (bip != null && given != null) {
            throw new EngineException.InvalidArgument(file + ": give either \"bip\" or \"default-bridge-subnet\", not both");
        }
        if (bip != null) {
            subnet = subnetOfBip(file, bip);
        } else if (given != null) {
            try {
                subnet = Ipv4Subnet.parse(given).toString();
            } catch (EngineException.InvalidArgument e) {
                throw new EngineException.InvalidArgument(file + ": \"default-bridge-subnet\": " + e.getMessage());
            }
        }
        String prefix = bridgePrefix;
        String p = string(file, tree, "bridge-prefix");
        if (p != null) {
            if (!p.matches("[a-z][a-z0-9]{0,9}")) {
                throw new EngineException.InvalidArgument(file + ": \"bridge-prefix\" must be 1 to 10 lower-case letters "
                        + "and digits starting with a letter, found \"" + p + "\"");
            }
            prefix = p;
        }
        return new EngineConfig(root, socket, List.copyOf(mirrors), List.copyOf(insecure), subnet, prefix);
    }

    /** Docker's {@code bip}: the bridge's own address with the prefix length, e.g. {@code 10.66.0.1/24}. */
    private static String subnetOfBip(Path file, String bip) {
        int slash = bip.indexOf('/');
        if (slash < 0) {
            throw new EngineException.InvalidArgument(file + ": \"bip\" must be an address with a prefix length, "
                    + "like 10.66.0.1/24, found \"" + bip + "\"");
        }
        try {
            long addr = Ipv4Subnet.parseAddress(bip.substring(0, slash), "bip");
            int prefix = Integer.parseInt(bip.substring(slash + 1));
            if (prefix < 0 || prefix > 30) {
                throw new NumberFormatException();
            }
            return new Ipv4Subnet(addr, prefix).toString();
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidArgument(file + ": \"bip\" has a bad prefix length (0 to 30): \"" + bip + "\"");
        } catch (EngineException.InvalidArgument e) {
            throw new EngineException.InvalidArgument(file + ": \"bip\": " + e.getMessage());
        }
    }

    private static String string(Path file, JsonNode tree, String key) {
        JsonNode n = tree.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw new EngineException.InvalidArgument(file + ": \"" + key + "\" must be a string, found " + n);
        }
        return n.asText().strip();
    }

    private static List<String> strings(Path file, JsonNode tree, String key) {
        JsonNode n = tree.get(key);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new EngineException.InvalidArgument(file + ": \"" + key + "\" must be a list of strings");
        }
        for (JsonNode e : n) {
            if (!e.isTextual() || e.asText().isBlank()) {
                throw new EngineException.InvalidArgument(file + ": \"" + key + "\" must be a list of strings, found " + e);
            }
            out.add(e.asText().strip());
        }
        return out;
    }
}
