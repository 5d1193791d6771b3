package dev.berth.engine.container;

import dev.berth.engine.runtime.spec.RunSpec;

import java.util.List;
import java.util.Map;

/** How the host runs the container (Docker's {@code HostConfig}); immutable after create. */
public record HostConfig(boolean autoRemove, RestartPolicy restartPolicy, boolean readOnlyRootfs, boolean privileged,
                         List<String> capAdd, List<String> capDrop, List<String> securityOpt,
                         List<RunSpec.Ulimit> ulimits, Map<String, String> tmpfs, RunSpec.Resources resources,
                         String networkMode) {

    public HostConfig {
        restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
        securityOpt = securityOpt == null ? List.of() : List.copyOf(securityOpt);
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        tmpfs = tmpfs == null ? Map.of() : Map.copyOf(tmpfs);
        resources = resources == null ? RunSpec.Resources.NONE : resources;
        networkMode = networkMode == null ? "none" : networkMode;
    }
}
