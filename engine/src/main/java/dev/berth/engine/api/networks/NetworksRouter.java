package dev.berth.engine.api.networks;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.api.http.Exchange;
import dev.berth.engine.api.http.Route;
import dev.berth.engine.api.http.Router;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.network.NetworkRecord;

import java.io.IOException;
import java.util.List;

/**
 * The networks routes of the Docker Engine API (moby's {@code router/network}): list, inspect,
 * create, remove, prune. {@code connect} and {@code disconnect} belong with the containers they
 * change and are added by the container side.
 */
public final class NetworksRouter implements Router {

    private final NetworksBackend backend;

    public NetworksRouter(NetworksBackend backend) {
        this.backend = backend;
    }

    /** {@code POST /networks/create}'s answer. */
    public record CreateResponse(@JsonProperty("Id") String id, @JsonProperty("Warning") String warning) {}

    /** {@code POST /networks/prune}'s answer. */
    public record PruneResponse(@JsonProperty("NetworksDeleted") List<String> networksDeleted) {}

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/networks", this::list),
                Route.post("/networks/create", this::create),
                Route.post("/networks/prune", this::prune),
                Route.get("/networks/{id}", this::inspect),
                Route.delete("/networks/{id}", this::remove));
    }

    private void list(Exchange ex) {
        ex.respondJson(backend.list(ex.filters().values()));
    }

    private void inspect(Exchange ex) {
        ex.query("scope").filter(s -> !s.isEmpty() && !s.equals("local")).ifPresent(s -> {
            throw new EngineException.NotFound("network " + ex.pathParam("id") + " not found in scope " + s);
        });
        ex.respondJson(backend.inspect(ex.pathParam("id")));
    }

    private void create(Exchange ex) throws IOException {
        NetworkCreateBody body = ex.readJson(NetworkCreateBody.class);
        if (body == null) {
            throw new EngineException.InvalidArgument("network create needs a JSON body with at least \"Name\"");
        }
        NetworkRecord created = backend.create(body.toRequest());
        ex.respondJson(201, new CreateResponse(created.id(), ""));
    }

    private void remove(Exchange ex) {
        backend.remove(ex.pathParam("id"));
        ex.respondEmpty(204);
    }

    private void prune(Exchange ex) {
        ex.respondJson(new PruneResponse(backend.prune(ex.filters().values())));
    }
}
