package dev.berth.engine.api.volumes;

import dev.berth.engine.volume.LocalVolumeService;
import dev.berth.engine.volume.PruneReport;
import dev.berth.engine.volume.Volume;
import dev.berth.engine.volume.VolumeCreate;
import dev.berth.engine.volume.VolumeFile;

import java.util.List;
import java.util.Map;

/**
 * What the volumes router needs from the engine, with {@link LocalVolumeService}'s contracts.
 * Wired in {@code EngineBackends}.
 */
public interface VolumesBackend {

    Volume create(VolumeCreate request);

    Volume inspect(String name);

    /** Volumes matching Docker's filters (name, label, dangling, driver). */
    List<Volume> list(Map<String, List<String>> filters);

    void remove(String name, boolean force);

    PruneReport prune(Map<String, List<String>> filters);

    /** One directory of the volume, for the volume browser. */
    List<VolumeFile> files(String name, String path);

    /** Every method delegating to {@code service}. */
    static VolumesBackend of(LocalVolumeService service) {
        return new VolumesBackend() {
            @Override
            public Volume create(VolumeCreate request) {
                return service.create(request);
            }

            @Override
            public Volume inspect(String name) {
                return service.inspect(name, false);
            }

            @Override
            public List<Volume> list(Map<String, List<String>> filters) {
                return service.list(filters, false);
            }

            @Override
            public void remove(String name, boolean force) {
                service.remove(name, force);
            }

            @Override
            public PruneReport prune(Map<String, List<String>> filters) {
                return service.prune(filters);
            }

            @Override
            public List<VolumeFile> files(String name, String path) {
                return service.files(name, path);
            }
        };
    }
}
