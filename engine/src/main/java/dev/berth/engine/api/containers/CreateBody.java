package dev.berth.engine.api.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.container.CreateRequest;
import dev.berth.engine.container.RestartPolicy;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.network.EndpointRequest;
import dev.berth.engine.network.PortSpec;
import dev.berth.engine.runtime.spec.RunSpec;
import dev.berth.engine.volume.MountSpec;
import dev.berth.engine.volume.MountSpecs;

import java.util.ArrayList;
import java.util.List;

/**
 * Docker's create body (a {@code Config} with {@code HostConfig} and {@code NetworkingConfig}
 * inside) read into a {@link CreateRequest}: published ports, DNS and hosts options, links,
 * per-network aliases and addresses, {@code Binds} (parsed by the engine), {@code Mounts} (read
 * here as their {@code --mount} form, so both get the same checks and messages) and
 * {@code VolumesFrom}.
 */
final class CreateBody {

    private CreateBody() {}

    static CreateRequest parse(JsonNode body, String name) {
        if (body == null || !body.isObject()) {
            throw new EngineException.InvalidArgument("config cannot be empty in order to create a container");
        }
        String image = text(body, "Image");
        if (image == null || image.isBlank()) {
            throw new EngineException.InvalidArgument("no image specified: the create body needs \"Image\"");
        }
        CreateRequest.Builder b = CreateRequest.builder(image.strip()).name(name == null || name.isBlank() ? null : name);
        List<String> cmd = strSlice(body, "Cmd");
        if (cmd != null) {
            b.cmd(cmd);
        }
        List<String> entrypoint = strSlice(body, "Entrypoint");
        if (entrypoint != null) {
            b.entrypoint(entrypoint.equals(List.of("")) ? List.of() : entrypoint);
        }
        List<String> env = strings(body, "Env");
        if (env != null) {
            b.env(env.toArray(String[]::new));
        }
        b.workdir(blankToNull(text(body, "WorkingDir")))
                .user(blankToNull(text(body, "User")))
                .hostname(blankToNull(text(body, "Hostname")))
                .tty(body.path("Tty").asBoolean(false))
                .openStdin(body.path("OpenStdin").asBoolean(false))
                .stdinOnce(body.path("StdinOnce").asBoolean(false))
                .stopSignal(blankToNull(text(body, "StopSignal")));
        if (body.hasNonNull("StopTimeout")) {
            b.stopTimeout(body.get("StopTimeout").asInt());
        }
        JsonNode labels = body.path("Labels");
        if (labels.isObject()) {
            labels.properties().forEach(e -> b.label(e.getKey(), e.getValue().asText()));
        }
        JsonNode exposed = body.path("ExposedPorts");
        if (exposed.isObject()) {
            exposed.properties().forEach(e -> b.expose(e.getKey()));
        }
        JsonNode host = body.path("HostConfig");
        if (host.isObject()) {
            hostConfig(host, b);
        }
        JsonNode anonymous = body.path("Volumes");
        if (anonymous.isObject()) {
            // the CLI sends -v /path (no source) here: an anonymous volume at that path, unless a
            // bind or mount already covers it (some clients list every target here)
            java.util.Set<String> covered = new java.util.HashSet<>();
            for (String bind : orEmpty(strings(host, "Binds"))) {
                covered.add(MountSpecs.parseVolumeFlag(bind).target());
            }
            for (JsonNode m : host.path("Mounts")) {
                covered.add(mount(m).target());
            }
            anonymous.properties().forEach(e -> {
                if (!covered.contains(e.getKey()) && !covered.contains(e.getKey().replaceAll("/+$", ""))) {
                    b.volume(e.getKey());
                }
            });
        }
        JsonNode endpoints = body.path("NetworkingConfig").path("EndpointsConfig");
        if (endpoints.isObject()) {
            endpoints.properties().forEach(e -> b.endpoint(endpoint(e.getKey(), e.getValue())));
        }
        return b.build();
    }

    /** One {@code EndpointsConfig} entry: {@code Aliases} and {@code IPAMConfig.IPv4Address}. */
    static EndpointRequest endpoint(String network, JsonNode e) {
        List<String> aliases = new ArrayList<>();
        for (JsonNode a : e.path("Aliases")) {
            if (!a.asText().isBlank()) {
                aliases.add(a.asText());
            }
        }
        String ip = blankToNull(text(e.path("IPAMConfig"), "IPv4Address"));
        return new EndpointRequest(network, aliases, ip);
    }

    /** {@code {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "18080"}]}} as {@code -p} specs. */
    private static void portBindings(JsonNode bindings, CreateRequest.Builder b) {
        if (!bindings.isObject()) {
            return;
        }
        for (var e : bindings.properties()) {
            String port = e.getKey();
            JsonNode list = e.getValue();
            if (list == null || list.isNull() || (list.isArray() && list.isEmpty())) {
                b.publish(PortSpec.parse(port)); // published on a free host port
                continue;
            }
            for (JsonNode hb : list) {
                String ip = blankToNull(text(hb, "HostIp"));
                String hostPort = blankToNull(text(hb, "HostPort"));
                if (ip != null && ip.contains(":")) {
                    if (isAnyAddress(ip) && hasIpv4Twin(list, hostPort)) {
                        continue; // [::] next to 0.0.0.0 on the same port: a dual-stack publish, served on IPv4
                    }
                    String shown = "[" + ip + "]:" + (hostPort == null ? "" : hostPort + ":") + port;
                    throw PortSpec.ipv6HostAddress(shown, ip.startsWith("[") ? ip.substring(1, ip.length() - 1) : ip);
                }
                String spec = ip != null ? ip + ":" + (hostPort == null ? "" : hostPort) + ":" + port
                        : hostPort != null ? hostPort + ":" + port : port;
                b.publish(PortSpec.parse(spec));
            }
        }
    }

    private static boolean isAnyAddress(String ipv6) {
        return ipv6.equals("::") || ipv6.equals("[::]");
    }

    /** Whether {@code bindings} also has an IPv4 (or all-address) binding on the same host port. */
    private static boolean hasIpv4Twin(JsonNode bindings, String hostPort) {
        for (JsonNode other : bindings) {
            String ip = blankToNull(text(other, "HostIp"));
            if ((ip == null || !ip.contains(":")) && java.util.Objects.equals(blankToNull(text(other, "HostPort")), hostPort)) {
                return true;
            }
        }
        return false;
    }

    /** A {@code Mounts} entry as the equivalent {@code --mount} value, parsed by the volume package. */
    static MountSpec mount(JsonNode m) {
        List<String> fields = new ArrayList<>();
        fields.add("type=" + m.path("Type").asText(""));
        if (!m.path("Source").asText("").isEmpty()) {
            fields.add("source=" + m.path("Source").asText());
        }
        fields.add("target=" + m.path("Target").asText(""));
        if (m.path("ReadOnly").asBoolean(false)) {
            fields.add("readonly=true");
        }
        JsonNode bo = m.path("BindOptions");
        if (!bo.path("Propagation").asText("").isEmpty()) {
            fields.add("bind-propagation=" + bo.path("Propagation").asText());
        }
        JsonNode vo = m.path("VolumeOptions");
        if (vo.path("NoCopy").asBoolean(false)) {
            fields.add("volume-nocopy=true");
        }
        vo.path("Labels").properties().forEach(l -> fields.add("volume-label=" + l.getKey() + "=" + l.getValue().asText()));
        JsonNode dc = vo.path("DriverConfig");
        if (!dc.path("Name").asText("").isEmpty()) {
            fields.add("volume-driver=" + dc.path("Name").asText());
        }
        dc.path("Options").properties().forEach(o -> fields.add("volume-opt=" + o.getKey() + "=" + o.getValue().asText()));
        JsonNode to = m.path("TmpfsOptions");
        if (to.path("SizeBytes").asLong(0) > 0) {
            fields.add("tmpfs-size=" + to.path("SizeBytes").asLong());
        }
        if (to.path("Mode").asInt(0) > 0) {
            fields.add("tmpfs-mode=" + Integer.toOctalString(to.path("Mode").asInt()));
        }
        StringBuilder csv = new StringBuilder();
        for (String f : fields) {
            if (!csv.isEmpty()) {
                csv.append(',');
            }
            csv.append(f.contains(",") || f.contains("\"") ? "\"" + f.replace("\"", "") + "\"" : f);
        }
        return MountSpecs.parseMountFlag(csv.toString());
    }

    private static void hostConfig(JsonNode h, CreateRequest.Builder b) {
        portBindings(h.path("PortBindings"), b);
        b.publishAll(h.path("PublishAllPorts").asBoolean(false));
        List<String> binds = strings(h, "Binds");
        if (binds != null) {
            b.volume(binds.toArray(String[]::new));
        }
        for (JsonNode m : h.path("Mounts")) {
            b.mount(mount(m));
        }
        b.volumesFrom(orEmpty(strings(h, "VolumesFrom")))
                .dns(orEmpty(strings(h, "Dns")))
                .dnsSearch(orEmpty(strings(h, "DnsSearch")))
                .dnsOption(orEmpty(strings(h, "DnsOptions")))
                .addHost(orEmpty(strings(h, "ExtraHosts")))
                .link(orEmpty(strings(h, "Links")));
        b.autoRemove(h.path("AutoRemove").asBoolean(false))
                .readOnly(h.path("ReadonlyRootfs").asBoolean(false))
                .privileged(h.path("Privileged").asBoolean(false))
                .init(h.path("Init").asBoolean(false))
                .networkMode(blankToNull(text(h, "NetworkMode")));
        JsonNode rp = h.path("RestartPolicy");
        if (rp.isObject()) {
            String policy = blankToNull(text(rp, "Name"));
            b.restartPolicy(new RestartPolicy(policy, rp.path("MaximumRetryCount").asInt(0)));
        }
        List<String> capAdd = strings(h, "CapAdd");
        if (capAdd != null) {
            b.capAdd(capAdd.toArray(String[]::new));
        }
        List<String> capDrop = strings(h, "CapDrop");
        if (capDrop != null) {
            b.capDrop(capDrop.toArray(String[]::new));
        }
        List<String> securityOpt = strings(h, "SecurityOpt");
        if (securityOpt != null) {
            b.securityOpt(securityOpt.toArray(String[]::new));
        }
        for (JsonNode u : h.path("Ulimits")) {
            b.ulimit(u.path("Name").asText(), u.path("Soft").asLong(), u.path("Hard").asLong());
        }
        JsonNode tmpfs = h.path("Tmpfs");
        if (tmpfs.isObject()) {
            tmpfs.properties().forEach(e -> b.tmpfs(e.getKey(), e.getValue().asText("")));
        }
        b.resources(new RunSpec.Resources(positive(h, "Memory"), nonZero(h, "MemorySwap"),
                positive(h, "MemoryReservation"), positive(h, "CpuShares"), positive(h, "NanoCpus"),
                blankToNull(text(h, "CpusetCpus")), blankToNull(text(h, "CpusetMems")), positive(h, "PidsLimit"),
                h.path("BlkioWeight").asInt(0) > 0 ? h.path("BlkioWeight").asInt() : null));
    }

    private static String[] orEmpty(List<String> l) {
        return l == null ? new String[0] : l.toArray(String[]::new);
    }

    private static Long positive(JsonNode h, String field) {
        long v = h.path(field).asLong(0);
        return v > 0 ? v : null;
    }

    private static Long nonZero(JsonNode h, String field) {
        long v = h.path(field).asLong(0);
        return v != 0 ? v : null;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Docker's StrSlice: a string or an array of strings; null when absent. */
    private static List<String> strSlice(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return List.of(v.asText());
        }
        return strings(n, field);
    }

    private static List<String> strings(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw new EngineException.InvalidArgument("invalid " + field + ": expected a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            out.add(item.asText());
        }
        return out;
    }
}
