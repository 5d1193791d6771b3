package dev.berth.engine.api.volumes;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.api.http.Exchange;
import dev.berth.engine.api.http.Route;
import dev.berth.engine.api.http.Router;
import dev.berth.engine.volume.PruneReport;
import dev.berth.engine.volume.VolumeCreate;

import java.io.IOException;
import java.util.List;

/**
 * The volumes routes of the Docker Engine API (moby's {@code router/volume}): list, create,
 * inspect, remove, prune; and {@code GET /volumes/{name}/files}, Berth's read-only listing of
 * one directory of a volume for the desktop app.
 */
public final class VolumesRouter implements Router {

    private final VolumesBackend backend;

    public VolumesRouter(VolumesBackend backend) {
        this.backend = backend;
    }

    /** {@code GET /volumes}'s answer. */
    public record ListResponse(@JsonProperty("Volumes") List<VolumeResponse> volumes,
                               @JsonProperty("Warnings") List<String> warnings) {}

    /** {@code POST /volumes/prune}'s answer. */
    public record PruneResponse(@JsonProperty("VolumesDeleted") List<String> volumesDeleted,
                                @JsonProperty("SpaceReclaimed") long spaceReclaimed) {}

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/volumes", this::list),
                Route.post("/volumes/create", this::create),
                Route.post("/volumes/prune", this::prune),
                Route.get("/volumes/{name}", this::inspect),
                Route.get("/volumes/{name}/files", this::files),
                Route.delete("/volumes/{name}", this::remove));
    }

    private void list(Exchange ex) {
        ex.respondJson(new ListResponse(backend.list(ex.filters().values()).stream().map(VolumeResponse::of).toList(), List.of()));
    }

    private void create(Exchange ex) throws IOException {
        VolumeCreateBody body = ex.readJson(VolumeCreateBody.class);
        VolumeCreate request = body == null ? VolumeCreate.anonymous() : body.toRequest();
        ex.respondJson(201, VolumeResponse.of(backend.create(request)));
    }

    private void inspect(Exchange ex) {
        ex.respondJson(VolumeResponse.of(backend.inspect(ex.pathParam("name"))));
    }

    private void remove(Exchange ex) {
        backend.remove(ex.pathParam("name"), ex.queryBool("force"));
        ex.respondEmpty(204);
    }

    private void prune(Exchange ex) {
        PruneReport r = backend.prune(ex.filters().values());
        ex.respondJson(new PruneResponse(r.volumesDeleted(), r.spaceReclaimed()));
    }

    private void files(Exchange ex) {
        String path = ex.query("path").orElse("/");
        ex.respondJson(backend.files(ex.pathParam("name"), path).stream().map(VolumeFileResponse::of).toList());
    }
}
