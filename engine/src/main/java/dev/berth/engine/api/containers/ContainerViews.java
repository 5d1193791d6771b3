package dev.berth.engine.api.containers;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.ContainerState;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.runtime.spec.RunSpec;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Docker's JSON shapes of a container: the {@code docker ps} summary and {@code docker inspect}. */
final class ContainerViews {

    /** Go's zero time, which Docker reports for a start or finish that has not happened. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    /** Go's RFC3339Nano with nine fraction digits, as Docker's log timestamps. */
    static final DateTimeFormatter RFC3339_NANO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private ContainerViews() {}

    static String time(Instant t) {
        return t == null ? ZERO_TIME : DateTimeFormatter.ISO_INSTANT.format(t);
    }

    static String command(ContainerConfig cfg) {
        return String.join(" ", cfg.args());
    }

    /** One entry of {@code GET /containers/json}. */
    static Map<String, Object> summary(Container c, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", c.id());
        m.put("Names", List.of(c.dockerName()));
        m.put("Image", c.imageName());
        m.put("ImageID", c.imageId().toString());
        m.put("Command", command(c.config()));
        m.put("Created", c.created().getEpochSecond());
        m.put("Ports", List.of());
        m.put("Labels", c.config().labels());
        m.put("State", c.state().status().dockerName());
        m.put("Status", HumanStatus.of(c.state(), now));
        m.put("HostConfig", Map.of("NetworkMode", c.hostConfig().networkMode()));
        m.put("NetworkSettings", Map.of("Networks", Map.of()));
        m.put("Mounts", List.of());
        return m;
    }

    /** {@code GET /containers/{id}/json}. */
    static Map<String, Object> inspect(Container c, List<String> execIds) {
        ContainerConfig cfg = c.config();
        ContainerState s = c.state();
        List<String> args = cfg.args();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", c.id());
        m.put("Created", time(c.created()));
        m.put("Path", args.isEmpty() ? "" : args.getFirst());
        m.put("Args", args.isEmpty() ? List.of() : args.subList(1, args.size()));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", s.status().dockerName());
        state.put("Running", s.running());
        state.put("Paused", s.status() == dev.berth.engine.container.ContainerStatus.PAUSED);
        state.put("Restarting", s.status() == dev.berth.engine.container.ContainerStatus.RESTARTING);
        state.put("OOMKilled", s.oomKilled());
        state.put("Dead", s.status() == dev.berth.engine.container.ContainerStatus.DEAD);
        state.put("Pid", s.pid());
        state.put("ExitCode", s.exitCode());
        state.put("Error", s.error() == null ? "" : s.error());
        state.put("StartedAt", time(s.startedAt()));
        state.put("FinishedAt", time(s.finishedAt()));
        m.put("State", state);
        m.put("Image", c.imageId().toString());
        m.put("ResolvConfPath", "");
        m.put("HostnamePath", "");
        m.put("HostsPath", "");
        m.put("LogPath", c.paths().log().toString());
        m.put("Name", c.dockerName());
        m.put("RestartCount", s.restartCount());
        m.put("Driver", "overlayfs");
        m.put("Platform", "linux");
        m.put("MountLabel", "");
        m.put("ProcessLabel", "");
        m.put("AppArmorProfile", "");
        m.put("ExecIDs", execIds.isEmpty() ? null : execIds);
        m.put("HostConfig", hostConfig(c.hostConfig()));
        m.put("GraphDriver", Map.of("Name", "overlayfs", "Data", Map.of()));
        m.put("Mounts", List.of());
        m.put("Config", config(c));
        Map<String, Object> net = new LinkedHashMap<>();
        net.put("Bridge", "");
        net.put("SandboxID", "");
        net.put("SandboxKey", "");
        net.put("Ports", Map.of());
        net.put("Networks", Map.of());
        m.put("NetworkSettings", net);
        return m;
    }

    private static Map<String, Object> config(Container c) {
        ContainerConfig cfg = c.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Hostname", cfg.hostname() == null ? "" : cfg.hostname());
        m.put("Domainname", "");
        m.put("User", cfg.user() == null ? "" : cfg.user());
        m.put("AttachStdin", false);
        m.put("AttachStdout", false);
        m.put("AttachStderr", false);
        m.put("Tty", cfg.tty());
        m.put("OpenStdin", cfg.openStdin());
        m.put("StdinOnce", cfg.stdinOnce());
        m.put("Env", cfg.env());
        m.put("Cmd", cfg.cmd());
        m.put("Image", c.imageName());
        m.put("WorkingDir", cfg.workingDir() == null ? "" : cfg.workingDir());
        m.put("Entrypoint", cfg.entrypoint().isEmpty() ? null : cfg.entrypoint());
        m.put("Labels", cfg.labels());
        if (cfg.stopSignal() != null) {
            m.put("StopSignal", cfg.stopSignal());
        }
        if (cfg.stopTimeout() != null) {
            m.put("StopTimeout", cfg.stopTimeout());
        }
        return m;
    }

    private static Map<String, Object> hostConfig(HostConfig h) {
        RunSpec.Resources r = h.resources();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("NetworkMode", h.networkMode());
        m.put("RestartPolicy", Map.of("Name", h.restartPolicy().name(),
                "MaximumRetryCount", h.restartPolicy().maximumRetryCount()));
        m.put("AutoRemove", h.autoRemove());
        m.put("LogConfig", Map.of("Type", "k8s-file", "Config", Map.of()));
        m.put("Privileged", h.privileged());
        m.put("ReadonlyRootfs", h.readOnlyRootfs());
        m.put("CapAdd", h.capAdd().isEmpty() ? null : h.capAdd());
        m.put("CapDrop", h.capDrop().isEmpty() ? null : h.capDrop());
        m.put("SecurityOpt", h.securityOpt().isEmpty() ? null : h.securityOpt());
        m.put("Tmpfs", h.tmpfs().isEmpty() ? null : h.tmpfs());
        List<Map<String, Object>> ulimits = new ArrayList<>();
        for (RunSpec.Ulimit u : h.ulimits()) {
            ulimits.add(Map.of("Name", u.name(), "Soft", u.soft(), "Hard", u.hard()));
        }
        m.put("Ulimits", ulimits.isEmpty() ? null : ulimits);
        m.put("Memory", orZero(r.memory()));
        m.put("MemorySwap", orZero(r.memorySwap()));
        m.put("MemoryReservation", orZero(r.memoryReservation()));
        m.put("CpuShares", orZero(r.cpuShares()));
        m.put("NanoCpus", orZero(r.nanoCpus()));
        m.put("CpusetCpus", r.cpusetCpus() == null ? "" : r.cpusetCpus());
        m.put("CpusetMems", r.cpusetMems() == null ? "" : r.cpusetMems());
        m.put("PidsLimit", r.pidsLimit());
        m.put("BlkioWeight", r.blkioWeight() == null ? 0 : r.blkioWeight());
        m.put("Binds", null);
        m.put("PortBindings", Map.of());
        return m;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
