package dev.berth.app.backend;

import dev.berth.engine.errors.EngineException;

import java.net.URI;
import java.nio.file.Path;

/** Where a Docker Engine API listens, written as {@code DOCKER_HOST} writes it. */
public sealed interface DockerHost {

    /** {@code unix:///run/berth/berth.sock} */
    record Unix(Path socket) implements DockerHost {
        @Override
        public String toString() {
            return "unix://" + socket;
        }
    }

    /** {@code tcp://127.0.0.1:2375} */
    record Tcp(String host, int port) implements DockerHost {
        @Override
        public String toString() {
            return "tcp://" + host + ":" + port;
        }
    }

    /**
     * Parses {@code unix:///path}, {@code tcp://host:port} or a bare absolute socket path.
     *
     * @throws EngineException.InvalidArgument naming the value when it is neither
     */
    static DockerHost parse(String value) {
        String v = value == null ? "" : value.strip();
        if (v.startsWith("/")) {
            return new Unix(Path.of(v));
        }
        if (v.startsWith("unix://")) {
            String path = v.substring("unix://".length());
            if (!path.startsWith("/")) {
                throw new EngineException.InvalidArgument("host '" + value + "': a unix socket path must be absolute, as in unix:///run/berth/berth.sock");
            }
            return new Unix(Path.of(path));
        }
        if (v.startsWith("tcp://")) {
            URI uri;
            try {
                uri = URI.create("tcp://" + v.substring("tcp://".length()).replaceAll("/+$", ""));
            } catch (IllegalArgumentException e) {
                throw new EngineException.InvalidArgument("host '" + value + "': " + e.getMessage());
            }
            if (uri.getHost() == null || uri.getPort() < 1) {
                throw new EngineException.InvalidArgument("host '" + value + "': expected tcp://HOST:PORT, e.g. tcp://127.0.0.1:2375");
            }
            return new Tcp(uri.getHost(), uri.getPort());
        }
        throw new EngineException.InvalidArgument("host '" + value + "': expected unix:///PATH or tcp://HOST:PORT");
    }
}
