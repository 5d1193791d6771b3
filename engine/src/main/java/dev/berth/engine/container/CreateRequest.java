package dev.berth.engine.container;

import dev.berth.engine.network.EndpointRequest;
import dev.berth.engine.network.PortSpec;
import dev.berth.engine.runtime.spec.RunSpec;
import dev.berth.engine.volume.MountSpec;

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
 * @param networkMode {@code bridge}, {@code host}, {@code none}, {@code container:<name|id>} or a
 *                    user-defined network; {@code null} (or {@code default}) means {@code bridge}
 * @param init        run an init process as PID 1 (refused: no init binary is installed)
 * @param stopTimeout seconds {@code stop} waits before SIGKILL, {@code null} for 10
 * @param securityOpt {@code no-new-privileges[:true|false]}
 * @param stdinOnce   close the container's stdin when the attached client ends its input (Docker's {@code StdinOnce})
 * @param networking  ports, DNS, hosts entries, links and per-network endpoint settings
 * @param storage     {@code -v}, {@code --mount} and {@code --volumes-from}
 */
public record CreateRequest(String image, String name, List<String> cmd, List<String> entrypoint, List<String> env,
                            String workdir, String user, String hostname, boolean tty, boolean openStdin,
                            Map<String, String> labels, String stopSignal, Integer stopTimeout, boolean autoRemove,
                            RestartPolicy restartPolicy, boolean readOnly, boolean privileged, List<String> capAdd,
                            List<String> capDrop, List<String> securityOpt, List<RunSpec.Ulimit> ulimits,
                            Map<String, String> tmpfs, RunSpec.Resources resources, String networkMode, boolean init,
                            boolean stdinOnce, Networking networking, Storage storage) {

    /**
     * The network side of {@code docker create}.
     *
     * @param endpoints    Docker's {@code NetworkingConfig.EndpointsConfig}: per network its aliases and
     *                     static address; the one for {@code networkMode} configures the first network,
     *                     any other network listed is joined as well
     * @param portBindings {@code -p}
     * @param publishAll   {@code -P}
     * @param exposedPorts {@code --expose} (and the container ports of {@code -p}), {@code 80/tcp}
     * @param dns          {@code --dns}
     * @param dnsSearch    {@code --dns-search}
     * @param dnsOptions   {@code --dns-option}
     * @param extraHosts   {@code --add-host name:ip}
     * @param links        {@code --link name[:alias]}
     */
    public record Networking(List<EndpointRequest> endpoints, List<PortSpec> portBindings, boolean publishAll,
                             List<String> exposedPorts, List<String> dns, List<String> dnsSearch, List<String> dnsOptions,
                             List<String> extraHosts, List<String> links) {
        public static final Networking NONE = new Networking(null, null, false, null, null, null, null, null, null);

        public Networking {
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
            portBindings = portBindings == null ? List.of() : List.copyOf(portBindings);
            exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
            dns = dns == null ? List.of() : List.copyOf(dns);
            dnsSearch = dnsSearch == null ? List.of() : List.copyOf(dnsSearch);
            dnsOptions = dnsOptions == null ? List.of() : List.copyOf(dnsOptions);
            extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
            links = links == null ? List.of() : List.copyOf(links);
        }
    }

    /**
     * The storage side of {@code docker create}.
     *
     * @param binds       {@code -v} values (Docker's {@code HostConfig.Binds}), parsed by the engine
     * @param mounts      {@code --mount} values, already parsed
     * @param volumesFrom {@code --volumes-from container[:ro|rw]}
     */
    public record Storage(List<String> binds, List<MountSpec> mounts, List<String> volumesFrom) {
        public static final Storage NONE = new Storage(null, null, null);

        public Storage {
            binds = binds == null ? List.of() : List.copyOf(binds);
            mounts = mounts == null ? List.of() : List.copyOf(mounts);
            volumesFrom = volumesFrom == null ? List.of() : List.copyOf(volumesFrom);
        }
    }

    public CreateRequest {
        networking = networking == null ? Networking.NONE : networking;
        storage = storage == null ? Storage.NONE : storage;
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

    /** Without {@code stdinOnce} (false). */
    public CreateRequest(String image, String name, List<String> cmd, List<String> entrypoint, List<String> env,
                         String workdir, String user, String hostname, boolean tty, boolean openStdin,
                         Map<String, String> labels, String stopSignal, Integer stopTimeout, boolean autoRemove,
                         RestartPolicy restartPolicy, boolean readOnly, boolean privileged, List<String> capAdd,
                         List<String> capDrop, List<String> securityOpt, List<RunSpec.Ulimit> ulimits,
                         Map<String, String> tmpfs, RunSpec.Resources resources, String networkMode, boolean init) {
        this(image, name, cmd, entrypoint, env, workdir, user, hostname, tty, openStdin, labels, stopSignal, stopTimeout,
                autoRemove, restartPolicy, readOnly, privileged, capAdd, capDrop, securityOpt, ulimits, tmpfs, resources,
                networkMode, init, false, Networking.NONE, Storage.NONE);
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
        private boolean stdinOnce;
        private final List<EndpointRequest> endpoints = new ArrayList<>();
        private final List<PortSpec> portBindings = new ArrayList<>();
        private boolean publishAll;
        private final List<String> exposedPorts = new ArrayList<>();
        private final List<String> dns = new ArrayList<>();
        private final List<String> dnsSearch = new ArrayList<>();
        private final List<String> dnsOptions = new ArrayList<>();
        private final List<String> extraHosts = new ArrayList<>();
        private final List<String> links = new ArrayList<>();
        private final List<String> binds = new ArrayList<>();
        private final List<MountSpec> mounts = new ArrayList<>();
        private final List<String> volumesFrom = new ArrayList<>();

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
        public Builder stdinOnce(boolean v) { stdinOnce = v; return this; }
        /** {@code --network-alias} / {@code --ip} for one network (Docker's EndpointsConfig entry). */
        public Builder endpoint(EndpointRequest v) { endpoints.add(v); return this; }
        /** {@code -p}, parsed. */
        public Builder publish(String... specs) { for (String p : specs) { portBindings.add(PortSpec.parse(p)); } return this; }
        public Builder publish(PortSpec v) { portBindings.add(v); return this; }
        public Builder publishAll(boolean v) { publishAll = v; return this; }
        public Builder expose(String... v) { exposedPorts.addAll(List.of(v)); return this; }
        public Builder dns(String... v) { dns.addAll(List.of(v)); return this; }
        public Builder dnsSearch(String... v) { dnsSearch.addAll(List.of(v)); return this; }
        public Builder dnsOption(String... v) { dnsOptions.addAll(List.of(v)); return this; }
        public Builder addHost(String... v) { extraHosts.addAll(List.of(v)); return this; }
        public Builder link(String... v) { links.addAll(List.of(v)); return this; }
        /** {@code -v}, as the user wrote it. */
        public Builder volume(String... v) { binds.addAll(List.of(v)); return this; }
        public Builder mount(MountSpec v) { mounts.add(v); return this; }
        public Builder volumesFrom(String... v) { volumesFrom.addAll(List.of(v)); return this; }

        public CreateRequest build() {
            return new CreateRequest(image, name, cmd, entrypoint, env, workdir, user, hostname, tty, openStdin, labels,
                    stopSignal, stopTimeout, autoRemove, restartPolicy, readOnly, privileged, capAdd, capDrop,
                    securityOpt, ulimits, tmpfs, resources, networkMode, init, stdinOnce,
                    new Networking(endpoints, portBindings, publishAll, exposedPorts, dns, dnsSearch, dnsOptions, extraHosts, links),
                    new Storage(binds, mounts, volumesFrom));
        }
    }
}
