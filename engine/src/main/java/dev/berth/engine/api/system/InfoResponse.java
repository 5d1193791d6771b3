package dev.berth.engine.api.system;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.berth.engine.runtime.HostTools;
import dev.berth.engine.system.SystemInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /info}: the fields of Docker's {@code system.Info} that Berth can state truly,
 * plus the ones {@code docker info} needs to render. Facts Docker has no field for (conmon,
 * netavark, aardvark-dns, runtimes that were found but refused) are in {@code SystemStatus},
 * which {@code docker info} prints as {@code Name: value} lines, and in structured form in
 * {@code Berth}, which Docker clients ignore.
 */
@JsonPropertyOrder({"ID", "Containers", "ContainersRunning", "ContainersPaused", "ContainersStopped", "Images",
        "Driver", "DriverStatus", "SystemStatus", "Plugins", "Debug", "SystemTime", "LoggingDriver", "CgroupDriver",
        "CgroupVersion", "NEventsListener", "KernelVersion", "OperatingSystem", "OSType", "Architecture",
        "IndexServerAddress", "RegistryConfig", "NCPU", "MemTotal", "DockerRootDir", "Name", "Labels",
        "ExperimentalBuild", "ServerVersion", "Runtimes", "DefaultRuntime", "Swarm", "RuncCommit", "ContainerdCommit",
        "InitCommit", "SecurityOptions", "CDISpecDirs", "Warnings", "Berth"})
public record InfoResponse(
        @JsonProperty("ID") String id,
        @JsonProperty("Containers") int containers,
        @JsonProperty("ContainersRunning") int containersRunning,
        @JsonProperty("ContainersPaused") int containersPaused,
        @JsonProperty("ContainersStopped") int containersStopped,
        @JsonProperty("Images") int images,
        @JsonProperty("Driver") String driver,
        @JsonProperty("DriverStatus") List<List<String>> driverStatus,
        @JsonProperty("SystemStatus") List<List<String>> systemStatus,
        @JsonProperty("Plugins") Plugins plugins,
        @JsonProperty("Debug") boolean debug,
        @JsonProperty("SystemTime") String systemTime,
        @JsonProperty("LoggingDriver") String loggingDriver,
        @JsonProperty("CgroupDriver") String cgroupDriver,
        @JsonProperty("CgroupVersion") String cgroupVersion,
        @JsonProperty("NEventsListener") int eventsListeners,
        @JsonProperty("KernelVersion") String kernelVersion,
        @JsonProperty("OperatingSystem") String operatingSystem,
        @JsonProperty("OSType") String osType,
        @JsonProperty("Architecture") String architecture,
        @JsonProperty("IndexServerAddress") String indexServerAddress,
        @JsonProperty("RegistryConfig") RegistryConfig registryConfig,
        @JsonProperty("NCPU") int ncpu,
        @JsonProperty("MemTotal") long memTotal,
        @JsonProperty("DockerRootDir") String dockerRootDir,
        @JsonProperty("Name") String name,
        @JsonProperty("Labels") List<String> labels,
        @JsonProperty("ExperimentalBuild") boolean experimentalBuild,
        @JsonProperty("ServerVersion") String serverVersion,
        @JsonProperty("Runtimes") Map<String, Runtime> runtimes,
        @JsonProperty("DefaultRuntime") String defaultRuntime,
        @JsonProperty("Swarm") Swarm swarm,
        @JsonProperty("RuncCommit") Commit runcCommit,
        @JsonProperty("ContainerdCommit") Commit containerdCommit,
        @JsonProperty("InitCommit") Commit initCommit,
        @JsonProperty("SecurityOptions") List<String> securityOptions,
        @JsonProperty("CDISpecDirs") List<String> cdiSpecDirs,
        @JsonProperty("Warnings") List<String> warnings,
        @JsonProperty("Berth") Berth berth) {

    public record Plugins(@JsonProperty("Volume") List<String> volume, @JsonProperty("Network") List<String> network,
                          @JsonProperty("Authorization") List<String> authorization, @JsonProperty("Log") List<String> log) {}

    public record RegistryConfig(@JsonProperty("InsecureRegistryCIDRs") List<String> insecureRegistryCidrs,
                                 @JsonProperty("IndexConfigs") Map<String, Object> indexConfigs,
                                 @JsonProperty("Mirrors") List<String> mirrors) {}

    public record Runtime(@JsonProperty("path") String path) {}

    public record Swarm(@JsonProperty("NodeID") String nodeId, @JsonProperty("NodeAddr") String nodeAddr,
                        @JsonProperty("LocalNodeState") String localNodeState,
                        @JsonProperty("ControlAvailable") boolean controlAvailable, @JsonProperty("Error") String error) {}

    public record Commit(@JsonProperty("ID") String id) {}

    /** Berth's own facts; Docker clients ignore this object. */
    public record Berth(@JsonProperty("Runtime") Tool runtime, @JsonProperty("RuntimeCandidates") List<Candidate> candidates,
                        @JsonProperty("Conmon") Tool conmon, @JsonProperty("Netavark") Tool netavark,
                        @JsonProperty("AardvarkDns") Tool aardvarkDns) {}

    public record Tool(@JsonProperty("Name") String name, @JsonProperty("Path") String path,
                       @JsonProperty("Version") String version) {
        static Tool of(HostTools.Tool t) {
            return new Tool(t.name(), t.path(), t.version());
        }
    }

    public record Candidate(@JsonProperty("Name") String name, @JsonProperty("Path") String path,
                            @JsonProperty("Version") String version, @JsonProperty("Works") boolean works,
                            @JsonProperty("Problem") String problem) {}

    public static InfoResponse of(SystemInfo info, int eventListeners) {
        HostTools tools = info.tools();
        Map<String, Runtime> runtimes = new LinkedHashMap<>();
        List<Candidate> candidates = new ArrayList<>();
        for (HostTools.Candidate c : tools.candidates()) {
            if (c.works()) {
                runtimes.put(c.tool().name(), new Runtime(c.tool().path()));
            }
            candidates.add(new Candidate(c.tool().name(), c.tool().path(), c.tool().version(), c.works(), c.problem()));
        }
        List<List<String>> status = new ArrayList<>();
        status.add(List.of("OCI Runtime", tools.runtime().map(t -> t.name() + " " + t.version() + " (" + t.path() + ")")
                .orElse("none works on this host")));
        for (HostTools.Candidate c : tools.candidates()) {
            if (!c.works()) {
                status.add(List.of("Refused Runtime", c.tool().name() + " " + c.tool().version() + ": " + c.problem()));
            }
        }
        status.add(List.of("Conmon", describe(tools.conmon().orElse(null))));
        status.add(List.of("Netavark", describe(tools.netavark().orElse(null))));
        status.add(List.of("Aardvark-dns", describe(tools.aardvarkDns().orElse(null))));

        var host = info.host();
        return new InfoResponse(
                info.engineId(),
                info.containers(), info.containersRunning(), info.containersPaused(), info.containersStopped(),
                info.images(),
                info.storageDriver(), List.of(), List.copyOf(status),
                new Plugins(List.of("local"), List.of("bridge", "host", "none"), null, List.of("k8s-file")),
                false, Instant.now().toString(), "k8s-file",
                host.cgroupDriver(), String.valueOf(host.cgroupVersion()), eventListeners,
                host.kernelVersion(), host.operatingSystem(), host.osType(), host.architecture(),
                "https://index.docker.io/v1/",
                new RegistryConfig(List.of("127.0.0.0/8"), Map.of(), List.of()),
                host.cpus(), host.memoryBytes(), info.rootDir().toString(), host.hostname(), List.of(),
                false, info.engineVersion(),
                runtimes, tools.runtime().map(HostTools.Tool::name).orElse(""),
                new Swarm("", "", "inactive", false, ""),
                new Commit(tools.runtime().map(HostTools.Tool::version).orElse("")), new Commit(""), new Commit(""),
                List.of(), List.of(), List.of(),
                new Berth(tools.runtime().map(Tool::of).orElse(null), candidates,
                        tools.conmon().map(Tool::of).orElse(null), tools.netavark().map(Tool::of).orElse(null),
                        tools.aardvarkDns().map(Tool::of).orElse(null)));
    }

    private static String describe(HostTools.Tool t) {
        return t == null ? "not found" : t.version() + " (" + t.path() + ")";
    }
}
