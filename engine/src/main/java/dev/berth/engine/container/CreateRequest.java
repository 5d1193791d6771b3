package dev.berth.engine.container;

import dev.berth.engine.runtime.spec.RunSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code docker create} asks for (the parts of Docker's {@code Config} and {@code HostConfig}
 * the engine supports so far). {@code null} means "not given": the image's value, or Docker's
 * default, applies. Build one with {@link #builder(String)}.
 *
 * @param image       the image reference or id, as the user gave it
 * @param name        the container name, {@code null} for a generated {@code adjective_surname}
 * @param cmd         replaces the image's {@code Cmd}; {@code null} keeps it
 * @param entrypoint  replaces the image's {@code Entrypoint} (and then drops the image's {@code Cmd});
 *                    an empty list resets it; {@code null} keeps it
 * @param env         {@code NAME=value}, added to (overriding) the image's
 * @param networkMode {@code none} or {@code host}; {@code null} means {@code none} until the
 *                    networks issue brings {@code bridge} (Docker's default)
 * @param init        run an init process as PID 1 (refused: no init binary is installed)
 * @param stopTimeout seconds {@code stop} waits before SIGKILL, {@code null} for 10
 * @param securityOpt {@code no-new-privileges[:true|false]}
 */
public record CreateRequest(String image, String name, List<String> cmd, List<String> entrypoint, List<String> env,
                            String workdir, String user, String hostname, boolean tty, boolean openStdin,
                            Map<String, String> labels, String stopSignal, Integer stopTimeout, boolean autoRemove,
                            RestartPolicy restartPolicy, boolean readOnly, boolean privileged, List<String> capAdd,
                            List<String> capDrop, List<String> securityOpt, List<RunSpec.Ulimit> ulimits,
                            Map<String, String> tmpfs, RunSpec.Resources resources, String networkMode, boolean init) {

    public CreateRequest {
        Objects.requireNonNull(image, "image");
        cmd = cmd == null ? null : List.copyOf(cmd);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        env = env == null ? List.of() : List.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
        securityOpt = securityOpt == null ? List.of() : List.copyOf(securityOpt);
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        tmpfs = tmpfs == null ? Map.of() : Map.copyOf(tmpfs);
        resources = resources == null ? RunSpec.Resources.NONE : resources;
    }

    public static Builder builder(String image) {
        return new Builder(image);
    }

    /** Mutable builder; every field starts "not given". */
    public static final class Builder {
        private final String image;
        private String name;
        private List<String> cmd;
        private List<String> entrypoint;
        private final List<String> env = new ArrayList<>();
        private String workdir;
        private String user;
        private String hostname;
        private boolean tty;
        private boolean openStdin;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private String stopSignal;
        private Integer stopTimeout;
        private boolean autoRemove;
        private RestartPolicy restartPolicy = RestartPolicy.NO;
        private boolean readOnly;
        private boolean privileged;
        private final List<String> capAdd = new ArrayList<>();
        private final List<String> capDrop = new ArrayList<>();
        private final List<String> securityOpt = new ArrayList<>();
        private final List<RunSpec.Ulimit> ulimits = new ArrayList<>();
        private final Map<String, String> tmpfs = new LinkedHashMap<>();
        private RunSpec.Resources resources = RunSpec.Resources.NONE;
        private String networkMode;
        private boolean init;

        private Builder(String image) {
            this.image = image;
        }

        public Builder name(String v) { name = v; return this; }
        public Builder cmd(String... v) { cmd = List.of(v); return this; }
        public Builder cmd(List<String> v) { cmd = v; return this; }
        public Builder entrypoint(String... v) { entrypoint = List.of(v); return this; }
        public Builder entrypoint(List<String> v) { entrypoint = v; return this; }
        public Builder env(String... v) { env.addAll(List.of(v)); return this; }
        public Builder workdir(String v) { workdir = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder tty(boolean v) { tty = v; return this; }
        public Builder openStdin(boolean v) { openStdin = v; return this; }
        public Builder label(String k, String v) { labels.put(k, v); return this; }
        public Builder stopSignal(String v) { stopSignal = v; return this; }
        public Builder stopTimeout(Integer v) { stopTimeout = v; return this; }
        public Builder autoRemove(boolean v) { autoRemove = v; return this; }
        public Builder restartPolicy(RestartPolicy v) { restartPolicy = v; return this; }
        public Builder readOnly(boolean v) { readOnly = v; return this; }
        public Builder privileged(boolean v) { privileged = v; return this; }
        public Builder capAdd(String... v) { capAdd.addAll(List.of(v)); return this; }
        public Builder capDrop(String... v) { capDrop.addAll(List.of(v)); return this; }
        public Builder securityOpt(String... v) { securityOpt.addAll(List.of(v)); return this; }
        public Builder ulimit(String n, long soft, long hard) { ulimits.add(new RunSpec.Ulimit(n, soft, hard)); return this; }
        public Builder tmpfs(String dest, String options) { tmpfs.put(dest, options == null ? "" : options); return this; }
        public Builder resources(RunSpec.Resources v) { resources = v; return this; }
        public Builder networkMode(String v) { networkMode = v; return this; }
        public Builder init(boolean v) { init = v; return this; }

        public CreateRequest build() {
            return new CreateRequest(image, name, cmd, entrypoint, env, workdir, user, hostname, tty, openStdin, labels,
                    stopSignal, stopTimeout, autoRemove, restartPolicy, readOnly, privileged, capAdd, capDrop,
                    securityOpt, ulimits, tmpfs, resources, networkMode, init);
        }
    }
}
