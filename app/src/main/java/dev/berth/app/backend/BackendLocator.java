package dev.berth.app.backend;

import dev.berth.engine.errors.EngineException;

import java.nio.file.Files;

/**
 * Picks the app's engine at startup: the engine at {@code --host} when one was named;
 * otherwise the engine already serving the socket, when one answers {@code /_ping} there;
 * otherwise an embedded engine that serves that socket itself. Only one engine ever owns a
 * state root and a socket.
 */
public final class BackendLocator {

    private static final System.Logger LOG = System.getLogger(BackendLocator.class.getName());

    private final BackendOptions options;

    public BackendLocator(BackendOptions options) {
        this.options = options;
    }

    /**
     * Connects or starts.
     *
     * @throws EngineException when the named host does not answer, or the embedded engine cannot start
     */
    public Backend locate() {
        if (options.host().isPresent()) {
            return RemoteBackend.connect(options.host().get());
        }
        EngineException.Unavailable socketFailure = null;
        if (Files.exists(options.socket())) {
            try {
                return RemoteBackend.connect(new DockerHost.Unix(options.socket()));
            } catch (EngineException.Unavailable e) {
                socketFailure = e;
                LOG.log(System.Logger.Level.INFO, "nothing answers on " + options.socket() + " (" + e.getMessage()
                        + "): starting the embedded engine");
            }
        }
        try {
            return EmbeddedBackend.start(options.engineConfig(), true);
        } catch (EngineException e) {
            if (socketFailure == null) {
                throw e;
            }
            // both ways failed: say both, the socket's reason (e.g. permission denied) may be the one to fix
            throw new EngineException.Unavailable(socketFailure.getMessage()
                    + "; and the embedded engine could not start: " + e.getMessage(), e);
        }
    }
}
