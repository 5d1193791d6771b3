package dev.berth.engine.api.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.container.CreateRequest;
import dev.berth.engine.container.RestartPolicy;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.spec.RunSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Docker's create body (a {@code Config} with {@code HostConfig} inside) read into a
 * {@link CreateRequest}. Options the engine cannot honour yet (bind mounts, published ports)
 * are refused by name rather than ignored.
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
        JsonNode host = body.path("HostConfig");
        if (host.isObject()) {
            hostConfig(host, b);
        }
        return b.build();
    }

    private static void hostConfig(JsonNode h, CreateRequest.Builder b) {
        refuseNonEmpty(h, "Binds", "bind mounts (-v) are not supported yet");
        refuseNonEmpty(h, "Mounts", "mounts (--mount) are not supported yet");
        refuseNonEmpty(h, "PortBindings", "published ports (-p) are not supported yet");
        refuseNonEmpty(h, "VolumesFrom", "--volumes-from is not supported yet");
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

    private static void refuseNonEmpty(JsonNode h, String field, String message) {
        JsonNode v = h.path(field);
        if ((v.isArray() || v.isObject()) && !v.isEmpty()) {
            throw new EngineException.InvalidArgument(message + " (HostConfig." + field + ")");
        }
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
