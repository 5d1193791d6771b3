package dev.berth.engine.api.system;

import dev.berth.engine.api.http.Exchange;
import dev.berth.engine.api.http.Route;
import dev.berth.engine.api.http.Router;
import dev.berth.engine.errors.EngineException;

import java.util.List;
import java.util.Set;

/** {@code GET /system/df}; {@code type} (repeatable: image, container, volume, build-cache) limits the answer. */
public final class DiskUsageRouter implements Router {

    private static final Set<String> TYPES = Set.of("image", "container", "volume", "build-cache");

    private final DiskUsageBackend backend;

    public DiskUsageRouter(DiskUsageBackend backend) {
        this.backend = backend;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/system/df", this::diskUsage));
    }

    private void diskUsage(Exchange ex) {
        List<String> types = ex.queryAll("type");
        for (String t : types) {
            if (!TYPES.contains(t)) {
                throw new EngineException.InvalidArgument("unknown object type \"" + t
                        + "\": one of image, container, volume, build-cache");
            }
        }
        boolean all = types.isEmpty();
        boolean images = all || types.contains("image");
        ex.respondJson(DiskUsageResponse.of(
                images ? backend.imageDiskUsage() : new dev.berth.engine.image.ImageService.DiskUsage(List.of(), 0),
                images ? backend.images() : List.of(),
                all || types.contains("volume") ? backend.volumes() : List.of(),
                images, all || types.contains("container"), all || types.contains("volume"),
                all || types.contains("build-cache")));
    }
}
