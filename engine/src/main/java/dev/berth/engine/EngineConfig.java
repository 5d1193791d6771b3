package dev.berth.engine;

import java.nio.file.Path;

/**
 * Where an engine keeps its state and where it serves the Docker API.
 *
 * @param root   the state root (default {@code /var/lib/berth}); one engine owns it at a time
 * @param socket the unix socket of the Docker-compatible API (default {@code /run/berth/berth.sock})
 */
public record EngineConfig(Path root, Path socket) {

    public static final Path DEFAULT_ROOT = Path.of("/var/lib/berth");
    public static final Path DEFAULT_SOCKET = Path.of("/run/berth/berth.sock");

    public EngineConfig {
        root = root.toAbsolutePath().normalize();
        socket = socket.toAbsolutePath().normalize();
    }

    public static EngineConfig defaults() {
        return new EngineConfig(DEFAULT_ROOT, DEFAULT_SOCKET);
    }
}
