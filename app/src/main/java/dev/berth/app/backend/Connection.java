package dev.berth.app.backend;

import java.nio.file.Path;
import java.util.Optional;

/** How the app reaches its engine. */
public sealed interface Connection {

    /**
     * The engine runs inside the app.
     *
     * @param root          its state root
     * @param socket        the socket it serves the Docker API on
     * @param socketProblem why the API is not served on {@code socket}, when it is not
     */
    record Embedded(Path root, Path socket, Optional<String> socketProblem) implements Connection {}

    /** The app is a client of an engine that was already running. */
    record Remote(DockerHost host) implements Connection {}
}
