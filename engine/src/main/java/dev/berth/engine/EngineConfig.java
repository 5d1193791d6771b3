package dev.berth.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.errors.EngineException;
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
 */
public record EngineConfig(Path root, Path socket, List<URI> registryMirrors, List<String> insecureRegistries) {

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

    public EngineConfig(Path root, Path socket) {
        this(root, socket, List.of(), List.of());
    }

    public static EngineConfig defaults() {
        return new EngineConfig(DEFAULT_ROOT, DEFAULT_SOCKET);
    }

    public EngineConfig withRegistryMirrors(List<URI> mirrors) {
        return new EngineConfig(root, socket, mirrors, insecureRegistries);
    }

    public EngineConfig withInsecureRegistries(List<String> insecure) {
        return new EngineConfig(root, socket, registryMirrors, insecure);
    }

    /**
     * This config with what {@code <root>/config.json} says added: {@code registry-mirrors} (URLs)
     * and {@code insecure-registries} (hosts, {@code host:port} or CIDRs). Other keys are ignored; a
     * missing file changes nothing.
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
        return new EngineConfig(root, socket, List.copyOf(mirrors), List.copyOf(insecure));
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
