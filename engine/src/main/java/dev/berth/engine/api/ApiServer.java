package dev.berth.engine.api;

import dev.berth.engine.Engine;

import java.nio.file.Path;

/**
 * The Docker Engine API on a unix socket. Placeholder signature for the foundation; the
 * implementation (Netty over an epoll domain socket) lands with the API server work.
 */
public final class ApiServer implements AutoCloseable {

    private ApiServer() {}

    /** Serves the API for {@code engine} on {@code socket} (mode 0660) until closed. */
    public static ApiServer serve(Engine engine, Path socket) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    @Override
    public void close() {}
}
