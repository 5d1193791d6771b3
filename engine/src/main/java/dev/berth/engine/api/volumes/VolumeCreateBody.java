package dev.berth.engine.api.volumes;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.volume.VolumeCreate;

import java.util.Map;

/** Docker's {@code POST /volumes/create} body (API 1.47). Cluster volumes (swarm) are refused. */
public record VolumeCreateBody(@JsonProperty("Name") String name,
                               @JsonProperty("Driver") String driver,
                               @JsonProperty("DriverOpts") Map<String, String> driverOpts,
                               @JsonProperty("Labels") Map<String, String> labels,
                               @JsonProperty("ClusterVolumeSpec") JsonNode clusterVolumeSpec) {

    public VolumeCreate toRequest() {
        if (clusterVolumeSpec != null && !clusterVolumeSpec.isNull() && !clusterVolumeSpec.isEmpty()) {
            throw new EngineException.InvalidArgument("cluster volumes are a swarm feature, which Berth does not have");
        }
        return new VolumeCreate(name, driver, driverOpts, labels);
    }
}
