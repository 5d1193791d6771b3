package dev.berth.app.backend;

/**
 * What {@code docker info} shows that the app uses.
 *
 * @param engineId       the engine's stable id
 * @param name           the host name
 * @param serverVersion  the engine's version
 * @param runtime        the OCI runtime in use with its version (e.g. "runc 1.1.5"), or empty when none works
 * @param operatingSystem the host's OS name
 * @param kernelVersion  the host kernel's release
 * @param architecture   the host's architecture
 * @param cpus           CPUs available to the engine
 * @param memoryBytes    total memory of the host
 * @param storageDriver  how layers are stored (overlayfs, overlay2, ...)
 * @param rootDir        the engine's state root
 * @param cgroupVersion  "1" or "2"
 * @param containers     containers known to the engine
 * @param containersRunning running containers
 * @param containersPaused paused containers
 * @param containersStopped stopped containers
 * @param images         images stored
 */
public record EngineInfo(String engineId, String name, String serverVersion, String runtime, String operatingSystem,
                         String kernelVersion, String architecture, int cpus, long memoryBytes, String storageDriver,
                         String rootDir, String cgroupVersion, int containers, int containersRunning,
                         int containersPaused, int containersStopped, int images) {}
