package dev.berth.engine.api.containers;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.ContainerState;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.container.MountPoint;
import dev.berth.engine.network.Attachment;
import dev.berth.engine.network.Endpoint;
import dev.berth.engine.network.EndpointRequest;
import dev.berth.engine.network.PortMapping;
import dev.berth.engine.network.PortSpec;
import dev.berth.engine.runtime.spec.RunSpec;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

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

    /** One entry of {@code GET /containers/json}, without network or mounts. */
    static Map<String, Object> summary(Container c, Instant now) {
        return summary(c, now, Optional.empty(), List.of());
    }

    /** One entry of {@code GET /containers/json}: published and exposed ports, networks, mounts. */
    static Map<String, Object> summary(Container c, Instant now, Optional<Attachment> net, List<MountPoint> mounts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", c.id());
        m.put("Names", List.of(c.dockerName()));
        m.put("Image", c.imageName());
        m.put("ImageID", c.imageId().toString());
        m.put("Command", command(c.config()));
        m.put("Created", c.created().getEpochSecond());
        m.put("Ports", summaryPorts(c, net));
        m.put("Labels", c.config().labels());
        m.put("State", c.state().status().dockerName());
        m.put("Status", HumanStatus.of(c.state(), now));
        m.put("HostConfig", Map.of("NetworkMode", c.hostConfig().networkMode()));
        m.put("NetworkSettings", Map.of("Networks", networks(c, net)));
        m.put("Mounts", mounts(mounts));
        return m;
    }

    /** {@code docker ps}'s ports: each published port with its host side, then exposed ports nobody published. */
    private static List<Map<String, Object>> summaryPorts(Container c, Optional<Attachment> net) {
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> published = new HashSet<>();
        for (PortMapping p : net.map(Attachment::ports).orElse(List.of())) {
            for (int i = 0; i < p.range(); i++) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("IP", p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp());
                e.put("PrivatePort", p.containerPort() + i);
                e.put("PublicPort", p.hostPort() + i);
                e.put("Type", p.protocol());
                out.add(e);
                published.add((p.containerPort() + i) + "/" + p.protocol());
            }
        }
        for (String x : c.config().exposedPorts()) {
            if (!published.contains(x)) {
                int slash = x.indexOf('/');
                out.add(Map.of("PrivatePort", Integer.parseInt(x.substring(0, slash)), "Type", x.substring(slash + 1)));
            }
        }
        return out;
    }

    /** Inspect's {@code NetworkSettings.Ports}: published ports with their host bindings, exposed ones with null. */
    private static Map<String, Object> inspectPorts(Container c, Optional<Attachment> net) {
        Map<String, Object> out = new TreeMap<>();
        for (String x : c.config().exposedPorts()) {
            out.put(x, null);
        }
        for (PortMapping p : net.map(Attachment::ports).orElse(List.of())) {
            for (int i = 0; i < p.range(); i++) {
                String key = (p.containerPort() + i) + "/" + p.protocol();
                @SuppressWarnings("unchecked")
                List<Map<String, String>> list = out.get(key) instanceof List<?> l ? (List<Map<String, String>>) l : new ArrayList<>();
                list.add(Map.of("HostIp", p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp(), "HostPort", Integer.toString(p.hostPort() + i)));
                out.put(key, list);
            }
        }
        return out;
    }

    /** {@code NetworkSettings.Networks}: live endpoints while attached, else the configured networks without addresses. */
    private static Map<String, Object> networks(Container c, Optional<Attachment> net) {
        Map<String, Object> out = new LinkedHashMap<>();
        HostConfig h = c.hostConfig();
        if (!h.bridged()) {
            if (!h.networkMode().startsWith("container:")) {
                out.put(h.networkMode(), endpoint(null, null, c));
            }
            return out;
        }
        for (EndpointRequest r : h.networks()) {
            Endpoint live = net.flatMap(a -> a.endpoint(r.network())).orElse(null);
            out.put(r.network(), endpoint(live, r, c));
        }
        return out;
    }

    private static Map<String, Object> endpoint(Endpoint e, EndpointRequest r, Container c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("IPAMConfig", r == null || r.staticIp() == null ? null : Map.of("IPv4Address", r.staticIp()));
        m.put("Links", null);
        List<String> aliases = new ArrayList<>(r == null ? List.of() : r.aliases());
        m.put("Aliases", aliases.isEmpty() ? null : aliases);
        m.put("MacAddress", e == null || e.macAddress() == null ? "" : e.macAddress());
        m.put("NetworkID", e == null ? "" : e.networkId());
        m.put("EndpointID", e == null ? "" : e.endpointId());
        m.put("Gateway", e == null ? "" : e.gateway());
        m.put("IPAddress", e == null ? "" : e.ipAddress());
        m.put("IPPrefixLen", e == null ? 0 : e.prefixLength());
        m.put("IPv6Gateway", "");
        m.put("GlobalIPv6Address", "");
        m.put("GlobalIPv6PrefixLen", 0);
        m.put("DriverOpts", null);
        if (e != null && r != null && !r.network().equals("bridge")) {
            List<String> names = new ArrayList<>();
            names.add(c.name());
            names.addAll(e.aliases());
            m.put("DNSNames", names.stream().distinct().toList());
        } else {
            m.put("DNSNames", null);
        }
        return m;
    }

    private static List<Map<String, Object>> mounts(List<MountPoint> mounts) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MountPoint p : mounts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Type", p.type());
            if (p.type().equals("volume")) {
                m.put("Name", p.name());
            }
            m.put("Source", p.source());
            m.put("Destination", p.destination());
            if (p.type().equals("volume")) {
                m.put("Driver", p.driver());
            }
            m.put("Mode", p.mode());
            m.put("RW", p.rw());
            m.put("Propagation", p.propagation());
            out.add(m);
        }
        return out;
    }

    /** {@code GET /containers/{id}/json}. */
    static Map<String, Object> inspect(Container c, List<String> execIds) {
        return inspect(c, execIds, Optional.empty(), List.of());
    }

    /** {@code GET /containers/{id}/json} with the container's live network and its mounts. */
    static Map<String, Object> inspect(Container c, List<String> execIds, Optional<Attachment> attachment,
                                       List<MountPoint> mountPoints) {
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
        boolean files = !c.hostConfig().networkMode().equals("host") && !c.hostConfig().networkMode().startsWith("container:");
        m.put("ResolvConfPath", files ? c.paths().dir().resolve("resolv.conf").toString() : "");
        m.put("HostnamePath", files ? c.paths().dir().resolve("hostname").toString() : "");
        m.put("HostsPath", files ? c.paths().dir().resolve("hosts").toString() : "");
        m.put("LogPath", c.paths().log().toString());
        m.put("Name", c.dockerName());
        m.put("RestartCount", s.restartCount());
        m.put("Driver", "overlayfs");
        m.put("Platform", "linux");
        m.put("MountLabel", "");
        m.put("ProcessLabel", "");
        m.put("AppArmorProfile", "");
        m.put("ExecIDs", execIds.isEmpty() ? null : execIds);
        m.put("HostConfig", hostConfig(c.hostConfig(), c.name()));
        m.put("GraphDriver", Map.of("Name", "overlayfs", "Data", Map.of()));
        m.put("Mounts", mounts(mountPoints));
        m.put("Config", config(c));
        Map<String, Object> net = new LinkedHashMap<>();
        Optional<Endpoint> bridge = attachment.flatMap(a -> a.endpoint("bridge"));
        net.put("Bridge", "");
        net.put("SandboxID", attachment.map(Attachment::containerId).orElse(""));
        net.put("SandboxKey", attachment.map(a -> a.netnsPath() == null ? "" : a.netnsPath()).orElse(""));
        net.put("Ports", inspectPorts(c, attachment));
        net.put("HairpinMode", false);
        net.put("LinkLocalIPv6Address", "");
        net.put("LinkLocalIPv6PrefixLen", 0);
        net.put("EndpointID", bridge.map(Endpoint::endpointId).orElse(""));
        net.put("Gateway", bridge.map(Endpoint::gateway).orElse(""));
        net.put("GlobalIPv6Address", "");
        net.put("GlobalIPv6PrefixLen", 0);
        net.put("IPAddress", bridge.map(Endpoint::ipAddress).orElse(""));
        net.put("IPPrefixLen", bridge.map(Endpoint::prefixLength).orElse(0));
        net.put("IPv6Gateway", "");
        net.put("MacAddress", bridge.map(e -> e.macAddress() == null ? "" : e.macAddress()).orElse(""));
        net.put("Networks", networks(c, attachment));
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
        if (!cfg.exposedPorts().isEmpty()) {
            Map<String, Object> exposed = new TreeMap<>();
            cfg.exposedPorts().forEach(p -> exposed.put(p, Map.of()));
            m.put("ExposedPorts", exposed);
        }
        if (cfg.stopSignal() != null) {
            m.put("StopSignal", cfg.stopSignal());
        }
        if (cfg.stopTimeout() != null) {
            m.put("StopTimeout", cfg.stopTimeout());
        }
        return m;
    }

    private static Map<String, Object> hostConfig(HostConfig h, String name) {
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
        m.put("Binds", h.binds().isEmpty() ? null : h.binds());
        Map<String, List<Map<String, String>>> bindings = new TreeMap<>();
        for (PortSpec p : h.portBindings()) {
            for (int i = 0; i <= p.containerEnd() - p.containerStart(); i++) {
                String hostPort = p.hostStart() == 0 ? ""
                        : p.hostEnd() > p.hostStart() && p.containerEnd() == p.containerStart() ? p.hostStart() + "-" + p.hostEnd()
                        : Integer.toString(p.hostStart() + i);
                bindings.computeIfAbsent((p.containerStart() + i) + "/" + p.protocol(), k -> new ArrayList<>())
                        .add(Map.of("HostIp", p.hostIp(), "HostPort", hostPort));
            }
        }
        m.put("PortBindings", bindings);
        m.put("PublishAllPorts", h.publishAllPorts());
        m.put("VolumesFrom", h.volumesFrom().isEmpty() ? null : h.volumesFrom());
        // Docker's form: /linked:/this/alias
        m.put("Links", h.links().isEmpty() ? null : h.links().stream()
                .map(l -> "/" + l.substring(0, l.lastIndexOf(':')) + ":/" + name + "/" + l.substring(l.lastIndexOf(':') + 1))
                .toList());
        m.put("Dns", h.dns());
        m.put("DnsSearch", h.dnsSearch());
        m.put("DnsOptions", h.dnsOptions());
        m.put("ExtraHosts", h.extraHosts().isEmpty() ? null : h.extraHosts());
        return m;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
