package dev.berth.engine.registry;

import dev.berth.engine.errors.EngineException;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A repository in a registry: {@code 127.0.0.1:5000} + {@code team/app}, or {@code docker.io}
 * + {@code library/busybox}. Docker Hub is always spelled {@code docker.io} here (its API host,
 * {@code registry-1.docker.io}, is the client's business), and its one-component names get the
 * {@code library/} prefix of official images.
 */
public record RegistryRepository(String registry, String path) {

    public static final String DOCKER_HUB = "docker.io";

    // the distribution spec's repository name grammar
    private static final Pattern PATH = Pattern.compile(
            "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

    public RegistryRepository {
        if (registry == null || registry.isBlank()) {
            throw new EngineException.InvalidArgument("repository " + path + " has no registry");
        }
        registry = canonicalRegistry(registry);
        if (path == null || !PATH.matcher(path).matches() || path.length() > 255) {
            throw new EngineException.InvalidArgument("invalid repository name \"" + path
                    + "\": use lower-case letters, digits and separators (. _ - /)");
        }
        if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
    }

    public static RegistryRepository of(String registry, String path) {
        return new RegistryRepository(registry, path);
    }

    /** Docker Hub's aliases all become {@code docker.io}; other names are lower-cased. */
    public static String canonicalRegistry(String registry) {
        String r = registry.strip().toLowerCase(Locale.ROOT);
        return switch (r) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> DOCKER_HUB;
            default -> r;
        };
    }

    /** {@code registry/path}, as Docker names repositories in messages. */
    @Override
    public String toString() {
        return registry + "/" + path;
    }
}
