package dev.berth.engine.api;

import dev.berth.engine.Engine;
import dev.berth.engine.api.http.ApiVersion;
import dev.berth.engine.api.http.Router;
import dev.berth.engine.api.http.UnixHttpServer;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Docker Engine API of one {@link Engine} on a unix socket (mode 0660, group
 * {@value #SOCKET_GROUP} when it exists). Every response carries {@code Api-Version} and
 * {@code Server: Berth/<version> (linux)}.
 *
 * <pre>{@code
 * try (ApiServer api = ApiServer.serve(engine, Path.of("/run/berth/berth.sock"))) { ... }
 * // with extra routes (tests, or a resource not yet wired in EngineBackends):
 * ApiServer api = ApiServer.builder(engine, socket).router(myRouter).start();
 * }</pre>
 */
public final class ApiServer implements AutoCloseable {

    /** The group allowed to use the socket, as Docker's {@code docker} group. */
    public static final String SOCKET_GROUP = "berth";

    private final UnixHttpServer server;

    private ApiServer(UnixHttpServer server) {
        this.server = server;
    }

    /**
     * Serves the API for {@code engine} on {@code socket} until closed.
     *
     * @throws dev.berth.engine.errors.EngineException.Conflict    when another engine serves that socket
     * @throws dev.berth.engine.errors.EngineException.Unavailable when the socket cannot be created
     */
    public static ApiServer serve(Engine engine, Path socket) {
        return builder(engine, socket).start();
    }

    /** A server with more than the engine's own routes, or another socket group. */
    public static Builder builder(Engine engine, Path socket) {
        return new Builder(engine, socket);
    }

    /** The socket this server listens on. */
    public Path socket() {
        return server.socket();
    }

    /** Stops serving and removes the socket file. */
    @Override
    public void close() {
        server.close();
    }

    /** Options for {@link ApiServer}: extra routers and the socket's group. */
    public static final class Builder {
        private final Engine engine;
        private final Path socket;
        private final List<Router> extra = new ArrayList<>();
        private String socketGroup = SOCKET_GROUP;

        private Builder(Engine engine, Path socket) {
            this.engine = Objects.requireNonNull(engine, "engine");
            this.socket = socket.toAbsolutePath().normalize();
        }

        /** Adds a router; its routes must not repeat a method and pattern already served. */
        public Builder router(Router router) {
            extra.add(router);
            return this;
        }

        /** The group given access to the socket when it exists (default {@value #SOCKET_GROUP}). */
        public Builder socketGroup(String group) {
            this.socketGroup = group;
            return this;
        }

        public ApiServer start() {
            List<Router> routers = new ArrayList<>(EngineBackends.routers(engine));
            routers.addAll(extra);
            var version = engine.system().version();
            HttpHeaders common = new DefaultHttpHeaders()
                    .add("Api-Version", ApiVersion.CURRENT.toString())
                    .add("Server", "Berth/" + version.engineVersion() + " (" + version.os() + ")")
                    .add("OSType", version.os());
            return new ApiServer(UnixHttpServer.start(socket, routers, common, Optional.ofNullable(socketGroup)));
        }
    }
}
