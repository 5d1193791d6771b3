package dev.berth.engine.registry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the registry client reaches registries.
 *
 * @param authFile        the docker-compatible {@code auth.json} holding logins (created 0600 on first login)
 * @param insecureRegistries hosts ({@code host} or {@code host:port}) and CIDRs ({@code 10.0.0.0/8}) spoken
 *                        to over plain http, like Docker's {@code insecure-registries}; loopback always is
 * @param mirrors         Docker Hub mirrors tried in order before {@code registry-1.docker.io} for pulls,
 *                        like Docker's {@code registry-mirrors}; pushes never go to a mirror
 * @param maxAttempts     tries per request on connection errors, 5xx and 429 (at least 1)
 * @param initialBackoff  wait before the second try; doubled for each further try
 * @param monolithicUploadLimit blobs up to this size go in one PUT; larger ones in PATCH chunks
 * @param chunkSize       the size of each PATCH chunk
 */
public record RegistryConfig(Path authFile, List<String> insecureRegistries, List<URI> mirrors,
                             int maxAttempts, Duration initialBackoff, long monolithicUploadLimit, long chunkSize) {

    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(500);
    public static final long DEFAULT_MONOLITHIC_LIMIT = 32L << 20;
    public static final long DEFAULT_CHUNK_SIZE = 16L << 20;

    public RegistryConfig {
        Objects.requireNonNull(authFile, "authFile");
        insecureRegistries = insecureRegistries == null ? List.of() : List.copyOf(insecureRegistries);
        mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        if (chunkSize < 1 || monolithicUploadLimit < 0) {
            throw new IllegalArgumentException("chunkSize and monolithicUploadLimit must be positive");
        }
    }

    /** Defaults: no insecure registries besides loopback, no mirrors. */
    public static RegistryConfig defaults(Path authFile) {
        return new RegistryConfig(authFile, List.of(), List.of(), DEFAULT_MAX_ATTEMPTS, DEFAULT_BACKOFF,
                DEFAULT_MONOLITHIC_LIMIT, DEFAULT_CHUNK_SIZE);
    }

    public RegistryConfig withInsecureRegistries(List<String> insecure) {
        return new RegistryConfig(authFile, insecure, mirrors, maxAttempts, initialBackoff, monolithicUploadLimit, chunkSize);
    }

    public RegistryConfig withMirrors(List<URI> m) {
        return new RegistryConfig(authFile, insecureRegistries, m, maxAttempts, initialBackoff, monolithicUploadLimit, chunkSize);
    }

    public RegistryConfig withRetries(int attempts, Duration backoff) {
        return new RegistryConfig(authFile, insecureRegistries, mirrors, attempts, backoff, monolithicUploadLimit, chunkSize);
    }

    public RegistryConfig withUploadChunking(long monolithicLimit, long chunk) {
        return new RegistryConfig(authFile, insecureRegistries, mirrors, maxAttempts, initialBackoff, monolithicLimit, chunk);
    }
}
