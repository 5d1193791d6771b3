package dev.berth.engine.runtime.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a container should run and under which limits, in Docker's terms (the parts of a Docker
 * {@code Config} and {@code HostConfig} that reach the runtime). {@link BundleSpecBuilder} turns
 * it into an OCI {@link OciConfig}. Build one with {@link #builder(List)}.
 *
 * @param args         the command and its arguments (entrypoint + cmd already joined), not empty
 * @param env          {@code NAME=value} entries (image env merged with the caller's)
 * @param workdir      absolute working directory, {@code null} for {@code /}
 * @param user         {@code name|uid[:group|gid]}, {@code null} or empty for root
 * @param hostname     {@code null} for the first 12 characters of the container id
 * @param tty          allocate a pseudo-terminal for the process
 * @param openStdin    keep stdin open (Docker's {@code -i}); used by the monitor, not the config
 * @param readOnlyRootfs mount the root filesystem read-only
 * @param privileged   all capabilities and devices, no masked or read-only paths
 * @param capAdd       capabilities to add, with or without {@code CAP_}, or {@code ALL}
 * @param capDrop      capabilities to drop, with or without {@code CAP_}, or {@code ALL}
 * @param noNewPrivileges set {@code no_new_privs} (Berth's default: true)
 * @param ulimits      resource limits, clamped to the engine's own hard limits
 * @param tmpfs        tmpfs mounts: destination to mount options ({@code size=64m,mode=1777}), may be empty
 * @param binds        bind mounts (volumes), applied after the default mounts
 * @param resources    cgroup limits
 * @param network      which network namespace the container gets
 * @param stopSignal   the signal {@code stop} sends first, {@code null} for SIGTERM
 * @param consoleSize  initial terminal size when {@code tty}, {@code null} for the runtime's default
 */
public record RunSpec(List<String> args, List<String> env, String workdir, String user, String hostname,
                      boolean tty, boolean openStdin, boolean readOnlyRootfs, boolean privileged,
                      List<String> capAdd, List<String> capDrop, boolean noNewPrivileges, List<Ulimit> ulimits,
                      Map<String, String> tmpfs, List<BindMount> binds, Resources resources, NetworkMode network,
                      String stopSignal, OciConfig.ConsoleSize consoleSize) {

    public RunSpec {
        args = List.copyOf(args);
        env = List.copyOf(env);
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
        ulimits = List.copyOf(ulimits);
        tmpfs = Map.copyOf(tmpfs);
        binds = List.copyOf(binds);
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(network, "network");
    }

    /** A resource limit by Docker's name ({@code nofile}, {@code nproc}, {@code core}, ...). */
    public record Ulimit(String name, long soft, long hard) {}

    /** A bind mount of a host path; {@code propagation} is {@code null} for rprivate. */
    public record BindMount(Path source, String destination, boolean readOnly, String propagation) {
        public BindMount(Path source, String destination, boolean readOnly) {
            this(source, destination, readOnly, null);
        }
    }

    /**
     * Cgroup limits; {@code null} means not set. Units as in Docker's HostConfig.
     *
     * @param memory      bytes
     * @param memorySwap  memory plus swap in bytes, -1 for unlimited swap; {@code null} for twice {@code memory}
     * @param memoryReservation soft limit in bytes
     * @param cpuShares   relative weight (1024 is the default)
     * @param nanoCpus    CPUs in units of 1e-9 (1.5 CPUs = 1_500_000_000), becomes a CFS quota per 100 ms
     * @param cpusetCpus  e.g. {@code 0-1}
     * @param cpusetMems  e.g. {@code 0}
     * @param pidsLimit   maximum number of processes, {@code <= 0} for unlimited
     * @param blkioWeight 10 to 1000
     */
    public record Resources(Long memory, Long memorySwap, Long memoryReservation, Long cpuShares, Long nanoCpus,
                            String cpusetCpus, String cpusetMems, Long pidsLimit, Integer blkioWeight) {
        public static final Resources NONE = new Resources(null, null, null, null, null, null, null, null, null);
    }

    /** Which network namespace a container runs in. */
    public sealed interface NetworkMode {
        /** A new network namespace with only the loopback interface. */
        record None() implements NetworkMode {}

        /** The host's network namespace; the host's {@code /etc/hosts} and {@code /etc/resolv.conf} are bound read-only. */
        record Host() implements NetworkMode {}

        /** Join an existing network namespace (one prepared by the network stack), e.g. {@code /run/netns/x}. */
        record Joined(Path path) implements NetworkMode {}
    }

    public static Builder builder(List<String> args) {
        return new Builder(args);
    }

    /** Mutable builder with Berth's defaults: root, no tty, network none, no-new-privileges on. */
    public static final class Builder {
        private final List<String> args;
        private final List<String> env = new ArrayList<>();
        private String workdir;
        private String user;
        private String hostname;
        private boolean tty;
        private boolean openStdin;
        private boolean readOnlyRootfs;
        private boolean privileged;
        private final List<String> capAdd = new ArrayList<>();
        private final List<String> capDrop = new ArrayList<>();
        private boolean noNewPrivileges = true;
        private final List<Ulimit> ulimits = new ArrayList<>();
        private final Map<String, String> tmpfs = new LinkedHashMap<>();
        private final List<BindMount> binds = new ArrayList<>();
        private Resources resources = Resources.NONE;
        private NetworkMode network = new NetworkMode.None();
        private String stopSignal;
        private OciConfig.ConsoleSize consoleSize;

        private Builder(List<String> args) {
            this.args = List.copyOf(args);
        }

        public Builder env(String... entries) { env.addAll(List.of(entries)); return this; }
        public Builder env(List<String> entries) { env.addAll(entries); return this; }
        public Builder workdir(String v) { workdir = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder tty(boolean v) { tty = v; return this; }
        public Builder openStdin(boolean v) { openStdin = v; return this; }
        public Builder readOnlyRootfs(boolean v) { readOnlyRootfs = v; return this; }
        public Builder privileged(boolean v) { privileged = v; return this; }
        public Builder capAdd(String... caps) { capAdd.addAll(List.of(caps)); return this; }
        public Builder capDrop(String... caps) { capDrop.addAll(List.of(caps)); return this; }
        public Builder noNewPrivileges(boolean v) { noNewPrivileges = v; return this; }
        public Builder ulimit(String name, long soft, long hard) { ulimits.add(new Ulimit(name, soft, hard)); return this; }
        public Builder tmpfs(String destination, String options) { tmpfs.put(destination, options == null ? "" : options); return this; }
        public Builder bind(BindMount mount) { binds.add(mount); return this; }
        public Builder resources(Resources v) { resources = v; return this; }
        public Builder network(NetworkMode v) { network = v; return this; }
        public Builder stopSignal(String v) { stopSignal = v; return this; }
        public Builder consoleSize(int height, int width) { consoleSize = new OciConfig.ConsoleSize(height, width); return this; }

        public RunSpec build() {
            return new RunSpec(args, env, workdir, user, hostname, tty, openStdin, readOnlyRootfs, privileged, capAdd,
                    capDrop, noNewPrivileges, ulimits, tmpfs, binds, resources, network, stopSignal, consoleSize);
        }
    }
}
