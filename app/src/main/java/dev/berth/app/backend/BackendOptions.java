package dev.berth.app.backend;

import dev.berth.engine.EngineConfig;
import dev.berth.engine.errors.EngineException;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the app looks for its engine, from the command line and the environment:
 * {@code --socket PATH} (else {@code BERTH_SOCKET}, else {@code /run/berth/berth.sock}) is the
 * socket to connect to or, when nothing answers there, to serve the embedded engine on;
 * {@code --root DIR} is the embedded engine's state root; {@code --host unix:///PATH|tcp://HOST:PORT}
 * manages another engine (a dockerd, say) and never starts the embedded one.
 */
public record BackendOptions(Path socket, Path root, Optional<DockerHost> host) {

    public static final String USAGE = """
            usage: berth [--socket PATH] [--root DIR] [--host unix:///PATH|tcp://HOST:PORT]
              --socket PATH  the Docker API socket: connect to the engine serving it, or serve the
                             embedded engine there (default $BERTH_SOCKET, else /run/berth/berth.sock)
              --root DIR     state root of the embedded engine (default /var/lib/berth)
              --host HOST    manage the engine at HOST (as DOCKER_HOST), never start the embedded one""";

    public BackendOptions {
        socket = socket.toAbsolutePath().normalize();
        root = root.toAbsolutePath().normalize();
    }

    /**
     * Parses the app's arguments.
     *
     * @throws EngineException.InvalidArgument naming the bad option
     */
    public static BackendOptions parse(String[] args, Map<String, String> env) {
        String envSocket = env.get("BERTH_SOCKET");
        Path socket = envSocket != null && !envSocket.isBlank() ? Path.of(envSocket) : EngineConfig.DEFAULT_SOCKET;
        Path root = EngineConfig.DEFAULT_ROOT;
        Optional<DockerHost> host = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String inline = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
            switch (option) {
                case "--socket" -> socket = Path.of(inline != null ? inline : value(args, ++i, option));
                case "--root" -> root = Path.of(inline != null ? inline : value(args, ++i, option));
                case "--host", "-H" -> host = Optional.of(DockerHost.parse(inline != null ? inline : value(args, ++i, option)));
                default -> throw new EngineException.InvalidArgument("unknown option '" + arg + "'");
            }
        }
        return new BackendOptions(socket, root, host);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].isBlank()) {
            throw new EngineException.InvalidArgument(option + " needs a value");
        }
        return args[i];
    }

    public EngineConfig engineConfig() {
        return new EngineConfig(root, socket);
    }
}
