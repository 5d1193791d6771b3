package dev.berth.engine.api.xray;

import dev.berth.engine.api.http.Route;
import dev.berth.engine.api.http.Router;

import java.util.List;

/**
 * {@code GET /containers/{id}/xray}: a Berth extension of the Docker API (Docker has no such
 * route), the container's namespaces next to the host's, its cgroup limits and usage and its
 * overlay layers as one JSON document ({@link dev.berth.engine.container.inspect.Xray.Report}).
 * 404 for an unknown container; a stopped one answers 200 with {@code Running: false} and no
 * namespaces or cgroup files, since it has neither.
 */
public final class XrayRouter implements Router {

    private final XrayBackend backend;

    public XrayRouter(XrayBackend backend) {
        this.backend = backend;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/containers/{id}/xray", ex -> ex.respondJson(backend.xray(ex.pathParam("id")))));
    }
}
