package dev.berth.engine.api;

import dev.berth.engine.Engine;
import dev.berth.engine.api.build.BuildBackend;
import dev.berth.engine.api.build.BuildRouter;
import dev.berth.engine.api.containers.ContainersRouter;
import dev.berth.engine.api.containers.LocalFilesBackend;
import dev.berth.engine.api.events.EventsBackend;
import dev.berth.engine.api.exec.ExecRouter;
import dev.berth.engine.api.events.EventsRouter;
import dev.berth.engine.api.http.Router;
import dev.berth.engine.api.images.ImagesBackend;
import dev.berth.engine.api.images.ImagesRouter;
import dev.berth.engine.api.networks.NetworksBackend;
import dev.berth.engine.api.networks.NetworksRouter;
import dev.berth.engine.api.system.DiskUsageBackend;
import dev.berth.engine.api.system.DiskUsageRouter;
import dev.berth.engine.api.system.SystemBackend;
import dev.berth.engine.api.system.SystemRouter;
import dev.berth.engine.api.volumes.VolumesBackend;
import dev.berth.engine.api.volumes.VolumesRouter;
import dev.berth.engine.api.xray.LocalXrayBackend;
import dev.berth.engine.api.xray.XrayRouter;
import dev.berth.engine.container.inspect.Xray;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.system.SystemInfo;
import dev.berth.engine.system.VersionInfo;
import dev.berth.engine.volume.Volume;

import java.util.List;
import java.util.Map;

/**
 * The one place that turns the engine's services into the narrow backends the routers need,
 * and lists the routers of the Docker API. A new resource router is added here.
 */
final class EngineBackends {

    private EngineBackends() {}

    static List<Router> routers(Engine engine) {
        SystemBackend system = new SystemBackend() {
            @Override
            public VersionInfo version() {
                return engine.system().version();
            }

            @Override
            public SystemInfo info() {
                return engine.system().info();
            }

            @Override
            public int eventListeners() {
                return engine.events().subscriberCount();
            }
        };
        EventsBackend events = (filter, since) -> engine.events().subscribe(filter, since);
        ImageService imageService = engine.imageService();
        DiskUsageBackend diskUsage = new DiskUsageBackend() {
            @Override
            public ImageService.DiskUsage imageDiskUsage() {
                return imageService.diskUsage();
            }

            @Override
            public List<ImageService.ImageSummary> images() {
                return imageService.list(true, Map.of());
            }

            @Override
            public List<Volume> volumes() {
                return engine.volumes().list(Map.of(), true);
            }
        };
        return List.of(new SystemRouter(system), new EventsRouter(events), new ImagesRouter(ImagesBackend.of(imageService)),
                new DiskUsageRouter(diskUsage),
                new ContainersRouter(engine.containers(), new LocalFilesBackend(engine.containers(), engine.snapshots(),
                        engine.images(), engine.content(), engine.unpacker(), engine.events())),
                new ExecRouter(engine.containers()),
                new NetworksRouter(NetworksBackend.of(engine.networks())),
                new VolumesRouter(VolumesBackend.of(engine.volumes())),
                new XrayRouter(new LocalXrayBackend(engine.containers(), engine.snapshots(), engine.images(), Xray.host())),
                new BuildRouter(BuildBackend.of(engine.builder(), engine.config().root().resolve("tmp"))));
    }
}
