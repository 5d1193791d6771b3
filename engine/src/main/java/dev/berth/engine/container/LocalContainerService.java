package dev.berth.engine.container;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import dev.berth.engine.content.ContentReader;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.network.Attachment;
import dev.berth.engine.network.Endpoint;
import dev.berth.engine.network.EndpointRequest;
import dev.berth.engine.network.HostsFile;
import dev.berth.engine.network.NetworkRecord;
import dev.berth.engine.network.NetworkService;
import dev.berth.engine.network.PortSpec;
import dev.berth.engine.network.ResolvConf;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.ImageConfig;
import dev.berth.engine.runtime.AttachSocket;
import dev.berth.engine.runtime.Bundles;
import dev.berth.engine.runtime.Conmon;
import dev.berth.engine.runtime.LogReader;
import dev.berth.engine.runtime.OciRuntime;
import dev.berth.engine.runtime.spec.BundleSpecBuilder;
import dev.berth.engine.runtime.spec.Cgroups;
import dev.berth.engine.runtime.spec.RunSpec;
import dev.berth.engine.snapshot.ChainIds;
import dev.berth.engine.snapshot.Mounter;
import dev.berth.engine.snapshot.Snapshotter;
import dev.berth.engine.state.FileTrees;
import dev.berth.engine.state.Json;
import dev.berth.engine.volume.CopyUpOutcome;
import dev.berth.engine.volume.MountSpec;
import dev.berth.engine.volume.MountSpecs;
import dev.berth.engine.volume.VolumeAttacher;
import dev.berth.engine.volume.VolumeService;
import dev.berth.engine.volume.VolumesFrom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The container service on top of the overlay snapshotter and the OCI runtime (runc through conmon),
 * in Podman's shape: each container is an immutable config ({@code config.json}) and a mutable
 * state ({@code state.json}) under {@code <dir>/<id>/}, both written atomically. Every operation
 * takes the container's lock, syncs the state with reality (conmon's exit file, whether conmon
 * lives), acts, saves, and publishes the event.
 *
 * <p>While a container runs, a virtual thread (its monitor) waits for its exit, records it,
 * unmounts the root filesystem, removes {@code --rm} containers and applies the restart policy
 * with Docker's backoff (100 ms, doubling, reset after 10 s of running). Containers keep running
 * when the engine exits; {@link #recover()} finds them again on the next start.
 */
public final class LocalContainerService implements ContainerService, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LocalContainerService.class.getName());
    private static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration BACKOFF_START = Duration.ofMillis(100);
    private static final Duration BACKOFF_MAX = Duration.ofMinutes(1);
    private static final String CONFIG = "config.json";
    private static final String STATE = "state.json";
    private static final byte[] DEFAULT_DETACH_KEYS = {0x10, 0x11};

    /** What {@code config.json} holds: everything but the state. */
    record StoredConfig(String id, String name, Instant created, String imageName, Digest imageId,
                        ContainerConfig config, HostConfig hostConfig, String snapshotKey) {}

    private final Path dir;
    private final ImageStore images;
    private final ContentReader content;
    private final Snapshotter snapshots;
    /** Null when this host has no working runtime; then {@link #rt()} says why. */
    private final OciRuntime runtime;
    private final String runtimeProblem;
    private final BundleSpecBuilder specs;
    private final EventBus events;
    /** Null in a service built without networking (tests of the bare lifecycle): only {@code none} and {@code host} work. */
    private final NetworkService networks;
    /** Null in a service built without volumes: only {@code --tmpfs} and bind mounts work. */
    private final VolumeService volumes;

    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> exits = new ConcurrentHashMap<>();
    private final Map<String, Integer> removedExitCodes = new ConcurrentHashMap<>();
    private final Map<String, Duration> backoff = new ConcurrentHashMap<>();
    private final Map<String, Exec> execs = new ConcurrentHashMap<>();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final Object names = new Object();
    /** Names taken by creates that are writing their files (guarded by {@link #names}): name to id. */
    private final Map<String, String> creating = new java.util.HashMap<>();
    private final Object changes = new Object();
    private volatile boolean closed;

    /**
     * @param dir where container directories live ({@code <root>/containers})
     */
    public LocalContainerService(Path dir, ImageStore images, ContentReader content, Snapshotter snapshots,
                                 OciRuntime runtime, BundleSpecBuilder specs, EventBus events) {
        this(dir, images, content, snapshots, runtime, null, specs, events, null, null);
    }

    /**
     * The engine's service: containers join networks through {@code networks} (netavark) and mount
     * volumes of {@code volumes}.
     */
    public LocalContainerService(Path dir, ImageStore images, ContentReader content, Snapshotter snapshots,
                                 OciRuntime runtime, BundleSpecBuilder specs, EventBus events,
                                 NetworkService networks, VolumeService volumes) {
        this(dir, images, content, snapshots, runtime, null, specs, events, networks, volumes);
    }

    /**
     * A service on a host without a working runtime: containers can be listed, inspected and
     * removed, and anything that needs the runtime fails with {@code runtimeProblem}.
     */
    public static LocalContainerService withoutRuntime(Path dir, ImageStore images, ContentReader content,
                                                       Snapshotter snapshots, String runtimeProblem, EventBus events) {
        return new LocalContainerService(dir, images, content, snapshots, null, runtimeProblem, null, events, null, null);
    }

    /** {@link #withoutRuntime(Path, ImageStore, ContentReader, Snapshotter, String, EventBus)} that still knows networks and volumes. */
    public static LocalContainerService withoutRuntime(Path dir, ImageStore images, ContentReader content,
                                                       Snapshotter snapshots, String runtimeProblem, EventBus events,
                                                       NetworkService networks, VolumeService volumes) {
        return new LocalContainerService(dir, images, content, snapshots, null, runtimeProblem, null, events, networks, volumes);
    }

    private LocalContainerService(Path dir, ImageStore images, ContentReader content, Snapshotter snapshots,
                                  OciRuntime runtime, String runtimeProblem, BundleSpecBuilder specs, EventBus events,
                                  NetworkService networks, VolumeService volumes) {
        this.networks = networks;
        this.volumes = volumes;
        this.runtimeProblem = runtimeProblem;
        this.dir = dir.toAbsolutePath().normalize();
        this.images = images;
        this.content = content;
        this.snapshots = snapshots;
        this.runtime = runtime;
        this.specs = specs;
        this.events = events;
        try {
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot create " + this.dir + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ create

    @Override
    public Container create(CreateRequest r) {
        if (r.init()) {
            throw new EngineException.InvalidArgument("--init is not supported: no init binary (tini or docker-init) "
                    + "is installed for containers on this host");
        }
        noNewPrivileges(r.securityOpt()); // validates
        ImageRecord image = images.resolve(r.image());
        ImageConfig.Config ic = imageConfig(image);
        NetworkChoice nc = chooseNetworks(r);
        String net = nc.mode();
        String id = newId();
        ContainerConfig cfg = merge(r, ic, id, net, exposedPorts(r, ic));
        if (cfg.args().isEmpty()) {
            throw new EngineException.InvalidArgument("no command specified");
        }
        if (cfg.workingDir() != null && !cfg.workingDir().isEmpty() && !cfg.workingDir().startsWith("/")) {
            throw new EngineException.InvalidArgument("the working directory '" + cfg.workingDir()
                    + "' is invalid, it needs to be an absolute path");
        }
        if (r.autoRemove() && !r.restartPolicy().isNone()) {
            throw new EngineException.InvalidArgument("conflicting options: cannot specify both --restart and --rm");
        }
        CreateRequest.Networking rn = r.networking();
        for (String h : rn.extraHosts()) {
            HostsFile.parseAddHost(h); // validates
        }
        List<String> links = resolveLinks(rn.links());
        List<MountSpec> wanted = wantedMounts(r, ic);
        List<MountSpec> mounts = wanted;
        if (volumes != null && !wanted.isEmpty()) {
            mounts = new VolumeAttacher(volumes).attach(id, null, wanted).mounts();
        } else if (wanted.stream().anyMatch(m -> m instanceof MountSpec.VolumeMount)) {
            throw new EngineException.Unavailable("volumes are not available in this engine");
        }
        HostConfig host = new HostConfig(r.autoRemove(), r.restartPolicy(), r.readOnly(), r.privileged(), r.capAdd(),
                r.capDrop(), r.securityOpt(), r.ulimits(), r.tmpfs(), r.resources(), net, nc.endpoints(),
                rn.portBindings(), rn.publishAll(), rn.dns(), rn.dnsSearch(), rn.dnsOptions(), rn.extraHosts(), links,
                r.storage().binds(), r.storage().volumesFrom(), mounts);
        Container c;
        try {
            String name;
            synchronized (names) {
                // only the name is decided under the lock; the files are written outside it, so
                // concurrent creates do not queue behind each other's fsyncs
                String chosen = r.name() == null || r.name().isBlank()
                        ? Names.generate(n -> byName(n).isPresent() || creating.containsKey(n))
                        : Names.validate(r.name().strip());
                byName(chosen).ifPresent(other -> {
                    throw nameInUse(chosen, other);
                });
                String pending = creating.get(chosen);
                if (pending != null) {
                    throw nameInUse(chosen, pending);
                }
                creating.put(chosen, id);
                name = chosen;
            }
            try {
                Path cdir = dir.resolve(id);
                Container.Paths paths = paths(cdir);
                String parent = image.diffIds().isEmpty() ? null : ChainIds.top(image.diffIds()).toString();
                snapshots.prepare(id, parent, Map.of("berth.container", id));
                try {
                    Files.createDirectories(paths.bundle());
                    Files.createDirectories(paths.rootfs());
                    c = new Container(id, name, Instant.now(), r.image(), image.id(), cfg, host, paths, id, ContainerState.created());
                    // no state.json yet: a container without one is created (see load); config.json's
                    // presence marks a complete container
                    Json.write(cdir.resolve(CONFIG), stored(c));
                } catch (IOException | RuntimeException e) {
                    try {
                        snapshots.remove(id);
                    } catch (EngineException ignored) {
                        // nothing to undo
                    }
                    deleteTree(cdir);
                    if (e instanceof EngineException ee) {
                        throw ee;
                    }
                    throw new EngineException.Unavailable("cannot create container files in " + cdir + ": " + e.getMessage(), e);
                }
                containers.put(id, c);
            } finally {
                synchronized (names) {
                    creating.remove(name);
                }
            }
        } catch (RuntimeException e) {
            releaseVolumes(id, mounts, true, e);
            throw e;
        }
        publish(c, "create", Map.of());
        return c;
    }

    /** Where a container's network comes from, decided at create. */
    private record NetworkChoice(String mode, List<EndpointRequest> endpoints) {}

    /**
     * Docker's network modes: {@code default} and no mode mean {@code bridge}; {@code container:x} is
     * kept by id; a network name or id must exist, and becomes the first of the container's networks,
     * with its {@code EndpointsConfig} entry (aliases, address); other entries are further networks.
     */
    private NetworkChoice chooseNetworks(CreateRequest r) {
        String mode = r.networkMode() == null || r.networkMode().isBlank() || r.networkMode().strip().equals("default")
                ? "bridge" : r.networkMode().strip();
        CreateRequest.Networking n = r.networking();
        if (mode.startsWith("container:")) {
            Container other = find(mode.substring("container:".length()));
            if (!n.portBindings().isEmpty() || n.publishAll()) {
                throw new EngineException.InvalidArgument("conflicting options: port publishing and the container type network mode");
            }
            if (!n.dns().isEmpty() || !n.extraHosts().isEmpty()) {
                throw new EngineException.InvalidArgument("conflicting options: dns and the network mode");
            }
            if (r.hostname() != null && !r.hostname().isBlank()) {
                throw new EngineException.InvalidArgument("conflicting options: hostname and the network mode");
            }
            if (!n.links().isEmpty()) {
                throw new EngineException.InvalidArgument("conflicting options: container type network can't be used with links");
            }
            return new NetworkChoice("container:" + other.id(), List.of());
        }
        if (mode.equals("host") || mode.equals("none")) {
            if (!n.links().isEmpty()) {
                throw new EngineException.InvalidArgument("conflicting options: " + mode + " type networking can't be used with links");
            }
            return new NetworkChoice(mode, List.of());
        }
        if (networks == null) {
            // a service without networking (no runtime, or the bare lifecycle): recorded, never joined
            return new NetworkChoice(mode, List.of(EndpointRequest.of(mode)));
        }
        NetworkRecord first = networks.get(mode);
        if (first.name().equals("host") || first.name().equals("none")) {
            return new NetworkChoice(first.name(), List.of());
        }
        List<EndpointRequest> out = new ArrayList<>();
        EndpointRequest own = null;
        List<EndpointRequest> more = new ArrayList<>();
        String given = r.networkMode() == null || r.networkMode().isBlank() ? "default" : r.networkMode().strip();
        for (EndpointRequest e : n.endpoints()) {
            // the CLI keys the first network's entry by the mode it sent, "default" included
            NetworkRecord target = e.network().equals(given) ? first : networks.get(e.network());
            EndpointRequest named = new EndpointRequest(target.name(), e.aliases(), e.staticIp());
            if (target.id().equals(first.id())) {
                own = named;
            } else if (!target.bridgeDriver()) {
                throw new EngineException.InvalidArgument("container cannot be connected to network " + target.name()
                        + " together with other networks");
            } else {
                more.add(named);
            }
        }
        out.add(own != null ? own : EndpointRequest.of(first.name()));
        out.addAll(more);
        return new NetworkChoice(first.name(), out);
    }

    /** {@code --link name[:alias]} as {@code name:alias} with the linked container's current name. */
    private List<String> resolveLinks(List<String> given) {
        List<String> out = new ArrayList<>();
        for (String l : given) {
            String spec = l.strip();
            int colon = spec.indexOf(':');
            String target = colon < 0 ? spec : spec.substring(0, colon);
            String alias = colon < 0 ? target : spec.substring(colon + 1);
            if (target.startsWith("/")) {
                target = target.substring(1);
            }
            if (alias.startsWith("/")) {
                alias = alias.substring(alias.lastIndexOf('/') + 1);
            }
            if (target.isEmpty() || alias.isEmpty()) {
                throw new EngineException.InvalidArgument("invalid link \"" + l + "\": expected name[:alias]");
            }
            Container other;
            try {
                other = find(target);
            } catch (EngineException.NotFound e) {
                throw new EngineException.InvalidArgument("could not get container for " + target + ": no such container");
            }
            out.add(other.name() + ":" + alias);
        }
        return out;
    }

    /** The image's exposed ports, {@code --expose} and the container side of {@code -p}, as {@code port/proto}. */
    private static List<String> exposedPorts(CreateRequest r, ImageConfig.Config ic) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        List<String> given = new ArrayList<>();
        if (ic.exposedPorts() != null) {
            given.addAll(ic.exposedPorts().keySet());
        }
        given.addAll(r.networking().exposedPorts());
        for (String e : given) {
            PortSpec p = PortSpec.parse(e);
            for (int port = p.containerStart(); port <= p.containerEnd(); port++) {
                out.add(port + "/" + p.protocol());
            }
        }
        for (PortSpec p : r.networking().portBindings()) {
            for (int port = p.containerStart(); port <= p.containerEnd(); port++) {
                out.add(port + "/" + p.protocol());
            }
        }
        return List.copyOf(out);
    }

    /**
     * Every mount the container asks for: {@code -v}, {@code --mount}, then what {@code --volumes-from}
     * brings (its own win), then an anonymous volume for each image {@code VOLUME} nothing covers.
     */
    private List<MountSpec> wantedMounts(CreateRequest r, ImageConfig.Config ic) {
        List<MountSpec> explicit = new ArrayList<>();
        for (String b : r.storage().binds()) {
            explicit.add(MountSpecs.parseVolumeFlag(b));
        }
        explicit.addAll(r.storage().mounts());
        List<MountSpec> tmpfs = new ArrayList<>();
        r.tmpfs().forEach((dest, opts) -> tmpfs.add(MountSpecs.parseTmpfsFlag(dest)));
        List<MountSpec> all = new ArrayList<>(explicit);
        for (String vf : r.storage().volumesFrom()) {
            VolumesFrom from = VolumesFrom.parse(vf);
            Container other = find(from.container());
            List<MountSpec> own = new ArrayList<>(all);
            own.addAll(tmpfs);
            all.addAll(from.resolve(other.hostConfig().mounts(), own));
        }
        List<MountSpec> covered = new ArrayList<>(all);
        covered.addAll(tmpfs);
        if (ic.volumes() != null) {
            all.addAll(MountSpecs.imageVolumes(ic.volumes().keySet(), covered));
        }
        List<MountSpec> check = new ArrayList<>(all);
        check.addAll(tmpfs);
        MountSpecs.checkDuplicates(check);
        return all;
    }

    private void releaseVolumes(String id, List<MountSpec> mounts, boolean removeAnonymous, RuntimeException failure) {
        if (volumes == null || mounts.isEmpty()) {
            return;
        }
        try {
            new VolumeAttacher(volumes).detach(id, mounts, removeAnonymous);
        } catch (RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                LOG.log(System.Logger.Level.WARNING, "cannot release the volumes of container " + id + ": " + e.getMessage());
            }
        }
    }

    /** Docker's merge of the image config and the request: {@code --entrypoint} resets the image's Cmd. */
    private static ContainerConfig merge(CreateRequest r, ImageConfig.Config ic, String id, String net, List<String> exposed) {
        List<String> entrypoint;
        List<String> cmd;
        if (r.entrypoint() != null) {
            entrypoint = r.entrypoint();
            cmd = r.cmd() == null ? List.of() : r.cmd();
        } else {
            entrypoint = ic.entrypoint() == null ? List.of() : ic.entrypoint();
            cmd = r.cmd() != null && !r.cmd().isEmpty() ? r.cmd() : ic.cmd() == null ? List.of() : ic.cmd();
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (List<String> list : List.of(ic.env() == null ? List.<String>of() : ic.env(), r.env())) {
            for (String e : list) {
                int eq = e.indexOf('=');
                if (eq <= 0) {
                    throw new EngineException.InvalidArgument("invalid environment variable: " + e);
                }
                env.put(e.substring(0, eq), e);
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (ic.labels() != null) {
            labels.putAll(ic.labels());
        }
        labels.putAll(r.labels());
        String hostname = r.hostname() != null && !r.hostname().isBlank() ? r.hostname()
                : net.equals("host") || net.startsWith("container:") ? null : id.substring(0, 12);
        return new ContainerConfig(hostname, firstNonBlank(r.user(), ic.user()), List.copyOf(env.values()), cmd, entrypoint,
                firstNonBlank(r.workdir(), ic.workingDir()), labels, firstNonBlank(r.stopSignal(), ic.stopSignal()),
                r.stopTimeout(), r.tty(), r.openStdin(), r.stdinOnce(), exposed);
    }

    private ImageConfig.Config imageConfig(ImageRecord image) {
        try (InputStream in = content.open(image.id())) {
            ImageConfig config = Json.mapper().readValue(in, ImageConfig.class);
            return config.config() != null ? config.config()
                    : new ImageConfig.Config(null, null, null, null, null, null, null, null, null, null, null, null, null);
        } catch (EngineException.NotFound e) {
            throw new EngineException.Unavailable("the config of image " + image.id() + " is missing from the content store");
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read the config of image " + image.id() + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ start / stop / kill

    @Override
    public Container start(String nameOrId) {
        String id = find(nameOrId).id();
        return locked(id, () -> startLocked(id, "start"));
    }

    private Container startLocked(String id, String action) {
        Container c = sync(current(id));
        if (c.state().status() == ContainerStatus.RUNNING) {
            return c;
        }
        if (c.state().status() == ContainerStatus.PAUSED) {
            throw new EngineException.Conflict("cannot start a paused container, try unpause instead");
        }
        rt(); // a host without a runtime fails here, before anything is mounted
        Container.Paths p = c.paths();
        try {
            mountRootfs(c);
            copyUp(c);
            RunSpec.NetworkMode network = connectForStart(c);
            BundleSpecBuilder.Result built = specs.build(id, p.rootfs(), runSpec(c, network));
            Bundles.writeConfig(p.bundle(), built.config());
            if (rt().known(id)) {
                rt().delete(id, true);
            }
            OciRuntime.Created created = rt().create(new dev.berth.engine.runtime.CreateRequest(id, c.name(), p.bundle(),
                    c.config().tty(), c.config().openStdin(), !c.config().stdinOnce(), p.log(), 0));
            rt().start(id);
            c = save(c.withState(c.state().started(created.pid(), Instant.now())));
        } catch (RuntimeException e) {
            try {
                rt().delete(id, true);
            } catch (RuntimeException ignored) {
                // nothing was created
            }
            unmountRootfs(c);
            releaseNetwork(c);
            String msg = e.getMessage();
            int code = msg != null && (msg.contains("not found") || msg.contains("no such file")) ? 127
                    : msg != null && msg.contains("permission denied") ? 126 : 128;
            ContainerState s = c.state();
            ContainerStatus status = s.status() == ContainerStatus.CREATED ? ContainerStatus.CREATED : ContainerStatus.EXITED;
            save(c.withState(new ContainerState(status, 0, code, s.startedAt(), Instant.now(), false, msg,
                    s.restartCount(), s.manuallyStopped())));
            throw e;
        }
        publishMounts(c, "mount");
        publish(c, action, Map.of());
        startMonitor(id, c.state().startedAt());
        return c;
    }

    /** Docker's {@code volume mount} (at start) and {@code volume unmount} (at the end of a run) events. */
    private void publishMounts(Container c, String action) {
        for (MountSpec m : c.hostConfig().mounts()) {
            if (m instanceof MountSpec.VolumeMount v) {
                Map<String, String> attrs = new LinkedHashMap<>();
                attrs.put("container", c.id());
                attrs.put("driver", "local");
                if (action.equals("mount")) {
                    attrs.put("destination", v.target());
                    attrs.put("propagation", "");
                    attrs.put("read/write", Boolean.toString(!v.readOnly()));
                }
                events.publish(Event.of("volume", action, v.name(), attrs));
            }
        }
    }

    /** The first-use copy of the image's content into each new volume (a no-op for volumes filled before). */
    private void copyUp(Container c) {
        for (MountSpec m : c.hostConfig().mounts()) {
            if (m instanceof MountSpec.VolumeMount v && !v.noCopy() && volumes != null) {
                volumes.mountSource(v.name());
                CopyUpOutcome outcome = volumes.copyUp(v.name(), c.paths().rootfs(), v.target());
                LOG.log(System.Logger.Level.DEBUG, "volume " + v.name() + " at " + v.target() + ": " + outcome);
            }
        }
    }

    private static final String HOSTS = "hosts";
    private static final String RESOLV_CONF = "resolv.conf";
    private static final String HOSTNAME = "hostname";

    /**
     * Gives the container its network before the runtime creates it: the host's ({@code host}), the
     * other container's namespace ({@code container:x}), a namespace of its own with only loopback
     * ({@code none}, or no network left after disconnects), or its bridge networks through netavark;
     * then writes its {@code hosts}, {@code resolv.conf} and {@code hostname} files.
     */
    private RunSpec.NetworkMode connectForStart(Container c) {
        HostConfig h = c.hostConfig();
        String mode = h.networkMode();
        if (mode.equals("host")) {
            return new RunSpec.NetworkMode.Host();
        }
        if (mode.startsWith("container:")) {
            String otherId = mode.substring("container:".length());
            Container other = containers.get(otherId);
            if (other == null) {
                throw new EngineException.NotFound("cannot join network of container " + otherId + ": no such container");
            }
            other = sync(other);
            if (!other.state().running()) {
                throw new EngineException.Conflict("cannot join network of a non running container: " + other.name());
            }
            return new RunSpec.NetworkMode.Joined(Path.of("/proc/" + other.state().pid() + "/ns/net"));
        }
        if (mode.equals("none") || h.networks().isEmpty() || networks == null) {
            writeEtcFiles(c, null, List.of());
            return new RunSpec.NetworkMode.None();
        }
        List<HostsFile.Entry> links = new ArrayList<>();
        for (String l : h.links()) {
            int colon = l.lastIndexOf(':');
            Container other;
            try {
                other = find(l.substring(0, colon));
            } catch (EngineException.NotFound e) {
                throw new EngineException.InvalidArgument("cannot link to " + l.substring(0, colon) + ": no such container");
            }
            links.add(networks.linkEntry(other.id(), l.substring(colon + 1)));
        }
        if (networks.attachment(c.id()).isPresent()) {
            networks.detachForGood(c.id()); // left from a run whose teardown failed: the namespace is new
        }
        Attachment a = networks.attach(c.id(), c.name(), null, h.networks(), publishedPorts(c), h.dns());
        try {
            writeEtcFiles(c, a, links);
        } catch (RuntimeException e) {
            try {
                networks.detach(c.id());
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        updateLinkingContainers(c, a);
        return new RunSpec.NetworkMode.Joined(Path.of(a.netnsPath()));
    }

    /** {@code -p} as given, plus {@code -P}: each exposed port that no {@code -p} covers, onto a free host port. */
    private static List<PortSpec> publishedPorts(Container c) {
        HostConfig h = c.hostConfig();
        List<PortSpec> out = new ArrayList<>(h.portBindings());
        if (h.publishAllPorts()) {
            java.util.Set<String> bound = new java.util.HashSet<>();
            for (PortSpec p : h.portBindings()) {
                for (int port = p.containerStart(); port <= p.containerEnd(); port++) {
                    bound.add(port + "/" + p.protocol());
                }
            }
            out.addAll(PortSpec.publishAll(c.config().exposedPorts().stream().filter(e -> !bound.contains(e)).toList()));
        }
        return out;
    }

    /** Writes the files bound over {@code /etc/hosts}, {@code /etc/resolv.conf} and {@code /etc/hostname}. */
    private void writeEtcFiles(Container c, Attachment a, List<HostsFile.Entry> links) {
        HostConfig h = c.hostConfig();
        Endpoint first = a == null || a.endpoints().isEmpty() ? null : a.endpoints().getFirst();
        List<HostsFile.Entry> extra = new ArrayList<>();
        for (String e : h.extraHosts()) {
            HostsFile.Entry entry = HostsFile.parseAddHost(e);
            if (entry.ip().equals("host-gateway")) {
                if (first == null) {
                    continue; // no gateway to name without a bridge network
                }
                entry = new HostsFile.Entry(first.gateway(), entry.names());
            }
            extra.add(entry);
        }
        String hostname = hostnameOf(c);
        List<String> ownIps = a == null ? List.of() : a.endpoints().stream().map(Endpoint::ipAddress).toList();
        String hosts = HostsFile.render(new HostsFile.Spec(hostname, null, ownIps, extra, links));
        String resolv;
        if (a != null) {
            resolv = networks.resolvConf(a, h.dnsSearch(), h.dnsOptions());
        } else {
            Path hostResolv = networks != null ? networks.config().hostResolvConf() : Path.of("/etc/resolv.conf");
            resolv = ResolvConf.render(new ResolvConf.Spec(List.of(), h.dns(), h.dnsSearch(), h.dnsOptions(), List.of()),
                    ResolvConf.readHost(hostResolv));
        }
        Path d = c.paths().dir();
        // regenerated on every start (not metadata): plain writes, before the runtime binds them
        try {
            Files.writeString(d.resolve(HOSTS), hosts, StandardCharsets.UTF_8);
            Files.writeString(d.resolve(RESOLV_CONF), resolv, StandardCharsets.UTF_8);
            Files.writeString(d.resolve(HOSTNAME), hostname + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot write the network files of container " + c.name() + " in " + d
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * As Docker does when a linked container starts: every running container with a {@code --link}
     * to it gets the alias's line in its {@code hosts} pointed at the new address on the default
     * bridge (a restart may hand out another one). Written in place; a failure is logged.
     */
    private void updateLinkingContainers(Container started, Attachment a) {
        Optional<Endpoint> onBridge = a.endpoint("bridge");
        if (onBridge.isEmpty()) {
            return;
        }
        for (Container other : List.copyOf(containers.values())) {
            if (other.id().equals(started.id()) || !other.state().running()) {
                continue;
            }
            Path file = other.paths().dir().resolve(HOSTS);
            for (String l : other.hostConfig().links()) {
                int colon = l.lastIndexOf(':');
                if (!l.substring(0, colon).equals(started.name()) || !Files.isRegularFile(file)) {
                    continue;
                }
                try {
                    String before = Files.readString(file, StandardCharsets.UTF_8);
                    String after = HostsFile.updateAddress(before, l.substring(colon + 1), onBridge.get().ipAddress());
                    if (!after.equals(before)) {
                        Files.writeString(file, after, StandardCharsets.UTF_8); // in place: bind-mounted
                    }
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot update the link to " + started.name() + " in /etc/hosts of "
                            + other.name() + ": " + e.getMessage());
                }
            }
        }
    }

    /** The container's hostname: {@code -h}, else its short id (Docker's default). */
    private static String hostnameOf(Container c) {
        return c.config().hostname() == null ? c.shortId() : c.config().hostname();
    }

    /** Tears the container's network down (after its run; the network service publishes the disconnect events). */
    private void releaseNetwork(Container c) {
        releaseNetwork(c, false);
    }

    /**
     * @param forGood the container is being removed: a failed netavark teardown is logged and its
     *                record, address and namespace go anyway
     */
    private void releaseNetwork(Container c, boolean forGood) {
        if (networks == null) {
            return;
        }
        Optional<Attachment> a = networks.attachment(c.id());
        if (a.isEmpty()) {
            return;
        }
        try {
            if (forGood) {
                networks.detachForGood(c.id());
            } else {
                networks.detach(c.id());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot tear down the network of container " + c.name() + ": " + e.getMessage());
        }
    }

    private RunSpec runSpec(Container c, RunSpec.NetworkMode network) {
        ContainerConfig cfg = c.config();
        HostConfig h = c.hostConfig();
        RunSpec.Builder b = RunSpec.builder(cfg.args())
                .env(cfg.env())
                .workdir(cfg.workingDir())
                .user(cfg.user())
                .hostname(cfg.hostname())
                .tty(cfg.tty())
                .openStdin(cfg.openStdin())
                .readOnlyRootfs(h.readOnlyRootfs())
                .privileged(h.privileged())
                .capAdd(h.capAdd().toArray(String[]::new))
                .capDrop(h.capDrop().toArray(String[]::new))
                .noNewPrivileges(noNewPrivileges(h.securityOpt()))
                .resources(h.resources())
                .network(network)
                .stopSignal(cfg.stopSignal());
        for (RunSpec.Ulimit u : h.ulimits()) {
            b.ulimit(u.name(), u.soft(), u.hard());
        }
        h.tmpfs().forEach(b::tmpfs);
        java.util.Set<String> taken = new java.util.HashSet<>(h.tmpfs().keySet());
        for (MountSpec m : h.mounts()) {
            taken.add(m.target());
            switch (m) {
                case MountSpec.VolumeMount v -> {
                    if (volumes == null) {
                        throw new EngineException.Unavailable("volumes are not available in this engine");
                    }
                    b.bind(new RunSpec.BindMount(volumes.mountSource(v.name()), v.target(), v.readOnly()));
                }
                case MountSpec.Bind bind -> b.bind(new RunSpec.BindMount(Path.of(bind.source()), bind.target(), bind.readOnly(),
                        bind.propagation().equals("rprivate") ? null : bind.propagation()));
                case MountSpec.Tmpfs t -> b.tmpfs(t.target(), t.options());
            }
        }
        if (!(network instanceof RunSpec.NetworkMode.Host)) {
            Path etcDir = c.paths().dir();
            if (h.networkMode().startsWith("container:")) {
                Container other = containers.get(h.networkMode().substring("container:".length()));
                etcDir = other == null ? null : other.paths().dir();
            }
            for (String f : List.of(HOSTS, RESOLV_CONF, HOSTNAME)) {
                String dest = "/etc/" + f;
                if (etcDir != null && Files.isRegularFile(etcDir.resolve(f)) && !taken.contains(dest)) {
                    b.bind(new RunSpec.BindMount(etcDir.resolve(f), dest, false));
                }
            }
        }
        return b.build();
    }

    /** Berth's default is no-new-privileges on; {@code no-new-privileges:false} turns it off. */
    private static boolean noNewPrivileges(List<String> securityOpt) {
        boolean nnp = true;
        for (String o : securityOpt) {
            String v = o.strip();
            switch (v) {
                case "no-new-privileges", "no-new-privileges:true", "no-new-privileges=true" -> nnp = true;
                case "no-new-privileges:false", "no-new-privileges=false" -> nnp = false;
                default -> throw new EngineException.InvalidArgument("security option '" + o
                        + "' is not supported (only no-new-privileges[:true|false])");
            }
        }
        return nnp;
    }

    @Override
    public Container stop(String nameOrId, Duration timeout) {
        String id = find(nameOrId).id();
        return locked(id, () -> {
            Container c = stopLocked(id, timeout);
            publish(c, "stop", Map.of());
            return c;
        });
    }

    private Container stopLocked(String id, Duration timeout) throws InterruptedException {
        Container c = sync(current(id));
        if (c.state().status() == ContainerStatus.RESTARTING) {
            c = saveQuietly(c.withState(c.state().withStatus(ContainerStatus.EXITED).withManuallyStopped(true)));
            runEnded(id);
            return c;
        }
        if (!c.state().running()) {
            // it may have ended just now, its restart not yet decided: a stop still means "stay stopped"
            return c.state().status() == ContainerStatus.EXITED && !c.state().manuallyStopped()
                    ? save(c.withState(c.state().withManuallyStopped(true))) : c;
        }
        c = save(c.withState(c.state().withManuallyStopped(true)));
        Duration t = timeout != null ? timeout
                : c.config().stopTimeout() != null ? Duration.ofSeconds(c.config().stopTimeout()) : DEFAULT_STOP_TIMEOUT;
        if (t.isNegative()) {
            t = Duration.ofDays(3650);
        }
        String signal = c.config().stopSignal() == null ? "SIGTERM" : c.config().stopSignal();
        publish(c, "kill", Map.of("signal", signal));
        OciRuntime.StopOutcome outcome = rt().stop(id, signal, t);
        OptionalInt code = switch (outcome) {
            case OciRuntime.StopOutcome.Exited e -> OptionalInt.of(e.exitCode());
            case OciRuntime.StopOutcome.Killed k -> OptionalInt.of(k.exitCode());
            case OciRuntime.StopOutcome.NotRunning n -> n.exitCode();
        };
        if (code.isEmpty()) {
            code = rt().waitForExit(id, c.paths().bundle(), Duration.ofSeconds(5));
        }
        return finishRun(c, code.orElse(137), null);
    }

    @Override
    public void kill(String nameOrId, String signal) {
        String id = find(nameOrId).id();
        locked(id, () -> {
            Container c = sync(current(id));
            if (!c.state().running()) {
                throw new EngineException.Conflict("Container " + id + " is not running");
            }
            String sig = signal == null || signal.isBlank() ? "KILL" : signal.strip();
            String upper = sig.toUpperCase(Locale.ROOT);
            if (upper.equals("KILL") || upper.equals("SIGKILL") || upper.equals("9")) {
                c = save(c.withState(c.state().withManuallyStopped(true)));
            }
            rt().kill(id, sig);
            publish(c, "kill", Map.of("signal", sig));
            return c;
        });
    }

    @Override
    public Container restart(String nameOrId, Duration timeout) {
        String id = find(nameOrId).id();
        return locked(id, () -> {
            stopLocked(id, timeout);
            Container c = startLocked(id, "start");
            publish(c, "restart", Map.of());
            return c;
        });
    }

    @Override
    public Container pause(String nameOrId) {
        String id = find(nameOrId).id();
        return locked(id, () -> {
            Container c = sync(current(id));
            if (c.state().status() == ContainerStatus.PAUSED) {
                throw new EngineException.Conflict("Container " + id + " is already paused");
            }
            if (c.state().status() != ContainerStatus.RUNNING) {
                throw new EngineException.Conflict("Container " + id + " is not running");
            }
            rt().pause(id);
            c = save(c.withState(c.state().withStatus(ContainerStatus.PAUSED)));
            publish(c, "pause", Map.of());
            return c;
        });
    }

    @Override
    public Container unpause(String nameOrId) {
        String id = find(nameOrId).id();
        return locked(id, () -> {
            Container c = sync(current(id));
            if (c.state().status() != ContainerStatus.PAUSED) {
                throw new EngineException.Conflict("Container " + id + " is not paused");
            }
            rt().resume(id);
            c = save(c.withState(c.state().withStatus(ContainerStatus.RUNNING)));
            publish(c, "unpause", Map.of());
            return c;
        });
    }

    @Override
    public Container rename(String nameOrId, String newName) {
        String id = find(nameOrId).id();
        String name = Names.validate(newName.strip());
        Container renamed;
        String old;
        synchronized (names) {
            Optional<Container> other = byName(name);
            if (other.isPresent() && other.get().id().equals(id)) {
                throw new EngineException.InvalidArgument("Renaming a container with the same name as its current name");
            }
            other.ifPresent(o -> {
                throw nameInUse(name, o);
            });
            if (creating.containsKey(name)) {
                throw nameInUse(name, creating.get(name));
            }
            Container[] out = new Container[2];
            locked(id, () -> {
                Container c = current(id);
                Container r = c.withName(name);
                Json.write(c.paths().dir().resolve(CONFIG), stored(r));
                containers.put(id, r);
                if (networks != null) {
                    networks.renamed(id, name);
                }
                out[0] = c;
                out[1] = r;
                return r;
            });
            old = out[0].dockerName();
            renamed = out[1];
            relink(out[0].name(), name);
        }
        publish(renamed, "rename", Map.of("oldName", old));
        return renamed;
    }

    /**
     * Docker keeps a link by container, not by name: after a linked container's rename, every
     * {@code --link} to it names it by its new name (in inspect's {@code Links}, and in the
     * {@code /etc/hosts} written at the linking container's next start). A running linking
     * container's hosts file keeps the old name until then, as with Docker.
     */
    private void relink(String oldName, String newName) {
        for (Container other : List.copyOf(containers.values())) {
            if (other.hostConfig().links().stream().noneMatch(l -> l.substring(0, l.lastIndexOf(':')).equals(oldName))) {
                continue;
            }
            locked(other.id(), () -> {
                Container c = containers.get(other.id());
                if (c == null) {
                    return null; // removed meanwhile
                }
                List<String> links = c.hostConfig().links().stream()
                        .map(l -> l.substring(0, l.lastIndexOf(':')).equals(oldName) ? newName + l.substring(l.lastIndexOf(':')) : l)
                        .toList();
                Container updated = c.withHostConfig(c.hostConfig().withLinks(links));
                Json.write(c.paths().dir().resolve(CONFIG), stored(updated));
                containers.put(c.id(), updated);
                return null;
            });
        }
    }

    // ------------------------------------------------------------------ wait / remove / prune

    @Override
    public int wait(String nameOrId, WaitCondition condition, Duration timeout) throws InterruptedException {
        Container first;
        try {
            first = find(nameOrId);
        } catch (EngineException.NotFound e) {
            Integer code = removedExitCodes.get(nameOrId);
            if (code != null && condition != WaitCondition.NOT_RUNNING) {
                return code; // removed already (by its full id)
            }
            throw e;
        }
        String id = first.id();
        long seen = exitCount(id);
        boolean wasRunning = first.state().running() || first.state().status() == ContainerStatus.RESTARTING;
        long deadline = System.nanoTime() + (timeout == null ? Duration.ofDays(3650) : timeout).toNanos();
        synchronized (changes) {
            while (true) {
                Container c = containers.get(id);
                if (c == null) {
                    return removedExitCodes.getOrDefault(id, 0);
                }
                ContainerState s = c.state();
                switch (condition) {
                    case NOT_RUNNING -> {
                        // a run seen running ends when its exit is counted: after its die event is out
                        if (!s.running() && s.status() != ContainerStatus.RESTARTING && (!wasRunning || exitCount(id) != seen)) {
                            return s.exitCode();
                        }
                    }
                    case NEXT_EXIT -> {
                        if (exitCount(id) != seen) {
                            return s.exitCode();
                        }
                    }
                    case REMOVED -> { /* only removal ends it */ }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new EngineException.Unavailable("timed out waiting for container " + c.name());
                }
                changes.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 1000)));
            }
        }
    }

    @Override
    public void remove(String nameOrId, boolean force, boolean volumes) {
        String id = find(nameOrId).id();
        locked(id, () -> {
            Container c = sync(current(id));
            if (c.state().running()) {
                if (!force) {
                    throw new EngineException.Conflict("cannot remove container \"" + c.dockerName()
                            + "\": container is running: stop the container before removing or force remove");
                }
                c = save(c.withState(c.state().withManuallyStopped(true)));
                try {
                    rt().kill(id, "KILL");
                } catch (EngineException.FailedPrecondition | EngineException.NotFound e) {
                    // it ended meanwhile
                }
                publish(c, "kill", Map.of("signal", "SIGKILL"));
                c = finishRun(c, rt().waitForExit(id, c.paths().bundle(), Duration.ofSeconds(30)).orElse(137), null);
            }
            removeLocked(c, volumes);
            return null;
        });
    }

    private void removeLocked(Container c, boolean removeVolumes) {
        String id = c.id();
        releaseNetwork(c, true);
        try {
            rt().delete(id, true);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete " + id + " from the runtime: " + e.getMessage());
        }
        unmountRootfs(c);
        if (Mounter.isMountPoint(c.paths().rootfs())) {
            throw new EngineException.Unavailable("cannot remove container " + c.shortId() + ": its root filesystem "
                    + c.paths().rootfs() + " is still mounted and busy");
        }
        try {
            snapshots.remove(c.snapshotKey());
        } catch (EngineException.NotFound e) {
            // gone already
        }
        execs.values().removeIf(e -> e.containerId.equals(id));
        releaseVolumes(id, c.hostConfig().mounts(), removeVolumes, null);
        deleteTree(c.paths().dir());
        removedExitCodes.put(id, c.state().exitCode());
        containers.remove(id);
        backoff.remove(id);
        publish(c, "destroy", Map.of());
        notifyChanges();
    }

    @Override
    public PruneReport prune(ContainerFilter filter) {
        ContainerFilter f = filter == null ? ContainerFilter.ALL
                : new ContainerFilter(true, filter.status(), filter.name(), filter.label(), filter.ancestor(), filter.id(), filter.exited());
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (Container c : list(f)) {
            if (c.state().running() || c.state().status() == ContainerStatus.RESTARTING) {
                continue;
            }
            long size = 0;
            try {
                size = snapshots.usage(c.snapshotKey()).size();
            } catch (EngineException e) {
                // no usage known
            }
            try {
                remove(c.id(), false, false);
                deleted.add(c.id());
                reclaimed += size;
            } catch (EngineException.Conflict | EngineException.NotFound e) {
                // started or removed meanwhile
            }
        }
        events.publish(Event.of("container", "prune", "", Map.of("reclaimed", Long.toString(reclaimed))));
        return new PruneReport(List.copyOf(deleted), reclaimed);
    }

    // ------------------------------------------------------------------ queries

    @Override
    public List<Container> list(ContainerFilter filter) {
        ContainerFilter f = filter == null ? ContainerFilter.RUNNING : filter;
        List<Digest> ancestors = new ArrayList<>();
        for (String a : f.ancestor()) {
            try {
                ancestors.add(images.resolve(a).id());
            } catch (EngineException e) {
                // matched by name below
            }
        }
        return containers.values().stream()
                .filter(c -> f.all() || !f.status().isEmpty() || c.state().running() || c.state().status() == ContainerStatus.RESTARTING)
                .filter(c -> f.status().isEmpty() || f.status().contains(c.state().status()))
                .filter(c -> f.name().isEmpty() || f.name().stream().anyMatch(n -> c.name().contains(n.startsWith("/") ? n.substring(1) : n)))
                .filter(c -> f.id().isEmpty() || f.id().stream().anyMatch(c.id()::startsWith))
                .filter(c -> f.label().isEmpty() || f.label().stream().allMatch(l -> labelMatches(c, l)))
                .filter(c -> f.ancestor().isEmpty() || ancestors.contains(c.imageId()) || f.ancestor().contains(c.imageName()))
                .filter(c -> f.exited().isEmpty() || (c.state().status() == ContainerStatus.EXITED
                        && f.exited().contains(c.state().exitCode())))
                .sorted(Comparator.comparing(Container::created).reversed())
                .toList();
    }

    private static boolean labelMatches(Container c, String filter) {
        int eq = filter.indexOf('=');
        Map<String, String> labels = c.config().labels();
        return eq < 0 ? labels.containsKey(filter) : filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }

    @Override
    public Container inspect(String nameOrId) {
        Container c = find(nameOrId);
        ReentrantLock lock = lockOf(c.id());
        if (lock.tryLock()) {
            try {
                Container now = containers.get(c.id());
                return now == null ? c : sync(now);
            } finally {
                lock.unlock();
            }
        }
        return containers.getOrDefault(c.id(), c);
    }

    // ------------------------------------------------------------------ networks and mounts

    @Override
    public void connectNetwork(String nameOrId, String network, EndpointRequest endpoint) {
        String id = find(nameOrId).id();
        if (networks == null) {
            throw new EngineException.Unavailable("this engine has no network service");
        }
        locked(id, () -> {
            Container c = sync(current(id));
            HostConfig h = c.hostConfig();
            NetworkRecord n = networks.get(network);
            if (!h.bridged() || !n.bridgeDriver()) {
                String which = h.bridged() ? n.name() : h.networkMode().startsWith("container:") ? "container" : h.networkMode();
                throw new EngineException.FailedPrecondition("container cannot be disconnected from host network or "
                        + "connected to host network" + (which.equals("none") ? " (it uses network none)" : ""));
            }
            if (h.networks().stream().anyMatch(e -> networks.get(e.network()).id().equals(n.id()))) {
                throw new EngineException.Conflict("endpoint with name " + c.name() + " already exists in network " + n.name());
            }
            EndpointRequest req = new EndpointRequest(n.name(), endpoint == null ? List.of() : endpoint.aliases(),
                    endpoint == null ? null : endpoint.staticIp());
            if (c.state().running()) {
                if (networks.attachment(id).isPresent()) {
                    Endpoint joined = networks.connect(id, req);
                    refreshResolvConf(c);
                    updateHostsFile(c, List.of(joined), List.of());
                } else {
                    throw new EngineException.FailedPrecondition("container " + c.name()
                            + " runs without a network namespace of its own (network none): restart it to connect");
                }
            }
            List<EndpointRequest> eps = new ArrayList<>(h.networks());
            eps.add(req);
            Container updated = c.withHostConfig(h.withNetworks(eps));
            Json.write(c.paths().dir().resolve(CONFIG), stored(updated));
            containers.put(id, updated);
            if (!c.state().running()) {
                // a running container's connect is published by the network service
                events.publish(Event.of("network", "connect", n.id(), Map.of("container", id, "name", n.name(), "type", "bridge")));
            }
            return null;
        });
    }

    @Override
    public void disconnectNetwork(String nameOrId, String network, boolean force) {
        String id = find(nameOrId).id();
        if (networks == null) {
            throw new EngineException.Unavailable("this engine has no network service");
        }
        locked(id, () -> {
            Container c = sync(current(id));
            HostConfig h = c.hostConfig();
            NetworkRecord n = networks.get(network);
            if (!h.bridged()) {
                throw new EngineException.FailedPrecondition("container cannot be disconnected from host network or "
                        + "connected to host network");
            }
            boolean live = c.state().running() && networks.attachment(id).flatMap(a -> a.endpoint(n.name())).isPresent();
            Optional<EndpointRequest> joined = h.networks().stream()
                    .filter(e -> e.network().equals(n.name()) || networks.get(e.network()).id().equals(n.id())).findFirst();
            if (joined.isEmpty()) {
                if (force) {
                    return null;
                }
                throw new EngineException.NotFound("container " + c.id() + " is not connected to network " + n.name());
            }
            if (live) {
                Optional<Endpoint> left = networks.attachment(id).flatMap(a -> a.endpoint(n.name()));
                networks.disconnect(id, n.name());
                refreshResolvConf(c);
                updateHostsFile(c, List.of(), left.stream().toList());
            }
            List<EndpointRequest> eps = new ArrayList<>(h.networks());
            eps.remove(joined.get());
            Container updated = c.withHostConfig(h.withNetworks(eps));
            Json.write(c.paths().dir().resolve(CONFIG), stored(updated));
            containers.put(id, updated);
            if (!live) {
                events.publish(Event.of("network", "disconnect", n.id(), Map.of("container", id, "name", n.name(), "type", "bridge")));
            }
            return null;
        });
    }

    /**
     * Rewrites a running container's {@code resolv.conf} for its networks now (joining a user-defined
     * network brings its aardvark-dns), in place: the file is bind-mounted, a rename would not be seen.
     */
    private void refreshResolvConf(Container c) {
        Optional<Attachment> a = networks.attachment(c.id());
        Path file = c.paths().dir().resolve(RESOLV_CONF);
        if (a.isEmpty() || !Files.isRegularFile(file)) {
            return;
        }
        try {
            Files.writeString(file, networks.resolvConf(a.get(), c.hostConfig().dnsSearch(), c.hostConfig().dnsOptions()),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot update resolv.conf of container " + c.name() + ": " + e.getMessage());
        }
    }

    /**
     * Changes a running container's {@code hosts} in place as Docker does on connect and disconnect:
     * a line {@code address hostname} for each joined endpoint appended, the line of each left one
     * deleted; links, {@code --add-host} entries and edits made inside the container stay.
     */
    private void updateHostsFile(Container c, List<Endpoint> joined, List<Endpoint> left) {
        Path file = c.paths().dir().resolve(HOSTS);
        if (!Files.isRegularFile(file)) {
            return;
        }
        String hostname = hostnameOf(c);
        try {
            String before = Files.readString(file, StandardCharsets.UTF_8);
            String after = HostsFile.remove(before, left.stream().map(e -> HostsFile.ownEntry(e.ipAddress(), hostname, null)).toList());
            after = HostsFile.add(after, joined.stream().map(e -> HostsFile.ownEntry(e.ipAddress(), hostname, null)).toList());
            if (!after.equals(before)) {
                // in place: the file is bind-mounted into the container, a rename would not be seen
                Files.writeString(file, after, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot update /etc/hosts of container " + c.name() + ": " + e.getMessage());
        }
    }

    @Override
    public Optional<Attachment> networkAttachment(String nameOrId) {
        Container c = find(nameOrId);
        return networks == null ? Optional.empty() : networks.attachment(c.id());
    }

    @Override
    public List<MountPoint> mountPoints(String nameOrId) {
        Container c = find(nameOrId);
        List<MountPoint> out = new ArrayList<>();
        for (MountSpec m : c.hostConfig().mounts()) {
            out.add(switch (m) {
                case MountSpec.VolumeMount v -> {
                    String source = "";
                    if (volumes != null) {
                        try {
                            source = volumes.inspect(v.name()).mountpoint().toString();
                        } catch (EngineException.NotFound e) {
                            // removed behind the container's back
                        }
                    }
                    yield new MountPoint("volume", v.name(), source, v.target(), "local", v.readOnly() ? "ro" : "",
                            !v.readOnly(), "");
                }
                case MountSpec.Bind b -> new MountPoint("bind", "", b.source(), b.target(), "", b.readOnly() ? "ro" : "",
                        !b.readOnly(), b.propagation());
                case MountSpec.Tmpfs t -> new MountPoint("tmpfs", "", "", t.target(), "", t.options(), !t.readOnly(), "");
            });
        }
        return out;
    }

    @Override
    public int containersUsing(Digest imageId) {
        return (int) containers.values().stream().filter(c -> c.imageId().equals(imageId)).count();
    }

    @Override
    public Counts counts() {
        int running = 0;
        int paused = 0;
        int stopped = 0;
        for (Container c : containers.values()) {
            switch (c.state().status()) {
                case RUNNING, RESTARTING -> running++;
                case PAUSED -> paused++;
                default -> stopped++;
            }
        }
        return new Counts(running + paused + stopped, running, paused, stopped);
    }

    // ------------------------------------------------------------------ root filesystem (cp, export)

    @Override
    public <T> T withRootfs(String nameOrId, RootfsOperation<T> op) {
        Container c = inspect(nameOrId);
        if (c.state().running() && c.state().pid() > 0) {
            return applyRootfsOp(c, Path.of("/proc", Long.toString(c.state().pid()), "root"), op);
        }
        String id = c.id();
        return locked(id, () -> {
            Container now = sync(current(id));
            if (now.state().running() && now.state().pid() > 0) {
                // started meanwhile: its processes' view, as above
                return applyRootfsOp(now, Path.of("/proc", Long.toString(now.state().pid()), "root"), op);
            }
            if (now.state().status() == ContainerStatus.RESTARTING) {
                throw new EngineException.Conflict("container " + now.name() + " is restarting: try again once it runs or is stopped");
            }
            // created or exited: its overlay, mounted for this operation only (the lock keeps a start out)
            boolean mountHere = !Mounter.isMountPoint(now.paths().rootfs());
            try {
                mountRootfs(now);
                return applyRootfsOp(now, now.paths().rootfs(), op);
            } finally {
                if (mountHere) {
                    unmountRootfs(now);
                }
            }
        });
    }

    private static <T> T applyRootfsOp(Container c, Path root, RootfsOperation<T> op) {
        try {
            return op.apply(root);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot access the files of container " + c.name() + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ logs

    @Override
    public List<LogReader.Entry> logs(String nameOrId, LogOptions options) {
        Container c = find(nameOrId);
        List<LogReader.Entry> all = LogReader.read(c.paths().log(), new LogReader.Query(options.since(), options.until(), -1))
                .stream().filter(e -> wanted(options, e)).toList();
        if (options.tail() >= 0 && all.size() > options.tail()) {
            return all.subList(all.size() - options.tail(), all.size());
        }
        return all;
    }

    @Override
    public void followLogs(String nameOrId, LogOptions options, Consumer<LogReader.Entry> sink) throws InterruptedException {
        Container c = find(nameOrId);
        String id = c.id();
        LogReader.Query query = new LogReader.Query(options.since(), options.until(), -1);
        int skip = 0;
        if (options.tail() >= 0) {
            List<LogReader.Entry> existing = logs(id, options.withTail(-1));
            skip = Math.max(0, existing.size() - options.tail());
        }
        int[] toSkip = {skip};
        LogReader.follow(c.paths().log(), query, () -> {
            Container now = containers.get(id);
            return now != null && (now.state().running() || now.state().status() == ContainerStatus.RESTARTING);
        }, e -> {
            if (!wanted(options, e)) {
                return;
            }
            if (toSkip[0] > 0) {
                toSkip[0]--;
                return;
            }
            sink.accept(e);
        });
    }

    private static boolean wanted(LogOptions o, LogReader.Entry e) {
        return e.stream() == LogReader.Stream.STDOUT ? o.stdout() : o.stderr();
    }

    // ------------------------------------------------------------------ exec

    /** One exec instance: created, then started once. */
    private static final class Exec {
        final String id;
        final String containerId;
        final ExecConfig config;
        volatile boolean started;
        volatile boolean running;
        volatile Integer exitCode;
        volatile Path pidFile;
        volatile long pid;

        Exec(String id, String containerId, ExecConfig config) {
            this.id = id;
            this.containerId = containerId;
            this.config = config;
        }
    }

    @Override
    public String execCreate(String nameOrId, ExecConfig config) {
        Container c = inspect(nameOrId);
        if (c.state().status() == ContainerStatus.PAUSED) {
            throw new EngineException.Conflict("Container " + c.id() + " is paused, unpause the container before exec");
        }
        if (c.state().status() != ContainerStatus.RUNNING) {
            throw new EngineException.Conflict("Container " + c.id() + " is not running");
        }
        if (config.cmd().isEmpty()) {
            throw new EngineException.InvalidArgument("No exec command specified");
        }
        Exec e = new Exec(newId(), c.id(), config);
        execs.put(e.id, e);
        publish(c, "exec_create: " + String.join(" ", config.cmd()), Map.of("execID", e.id));
        return e.id;
    }

    @Override
    public ExecSession execStart(String execId, int height, int width) {
        Exec e = exec(execId);
        synchronized (e) {
            if (e.started) {
                throw new EngineException.Conflict("Exec instance " + execId + " has already been started");
            }
            e.started = true;
        }
        Container c = inspect(e.containerId);
        if (c.state().status() != ContainerStatus.RUNNING) {
            throw new EngineException.Conflict("Container " + c.id() + " is not running");
        }
        ExecConfig cfg = e.config;
        OciRuntime.ExecCommand prepared = rt().prepareExec(c.id(),
                new OciRuntime.ExecRequest(cfg.cmd(), cfg.env(), cfg.user(), cfg.workdir()), cfg.tty());
        Path pidFile = c.paths().bundle().resolve("exec-" + execId.substring(0, 12) + ".pid");
        Path runcLog = c.paths().bundle().resolve("exec-" + execId.substring(0, 12) + ".log");
        List<String> command = new ArrayList<>(prepared.command());
        command.addAll(command.size() - 1, List.of("--pid-file", pidFile.toString()));
        // global options (before the subcommand): runc's own failure goes to a log we can read at exit
        int sub = command.indexOf("exec");
        command.addAll(sub, List.of("--log", runcLog.toString(), "--log-format", "json"));
        e.pidFile = pidFile;
        Process process;
        PtyProcess pty = null;
        try {
            if (cfg.tty()) {
                Map<String, String> env = new LinkedHashMap<>(System.getenv());
                env.put("TERM", "xterm");
                pty = new PtyProcessBuilder(command.toArray(String[]::new))
                        .setEnvironment(env)
                        .setInitialRows(height > 0 ? height : 24)
                        .setInitialColumns(width > 0 ? width : 80)
                        .setConsole(false)
                        .start();
                process = pty;
            } else {
                process = new ProcessBuilder(command).start();
            }
        } catch (IOException ex) {
            deleteQuietly(prepared.processFile());
            throw new EngineException.Unavailable("cannot run the exec command: " + ex.getMessage(), ex);
        }
        e.running = true;
        if (pty != null) {
            ptys.put(execId, pty);
        }
        publish(c, "exec_start: " + String.join(" ", cfg.cmd()), Map.of("execID", execId));
        Process p = process;
        // settled: the exit code worked out (from runc's log, which this then deletes) and exec_die published
        CompletableFuture<Process> settled = p.onExit().whenComplete((x, err) -> {
            readPid(e);
            int code = execExitCode(p.exitValue(), runcLog);
            ptys.remove(execId);
            deleteQuietly(prepared.processFile());
            deleteQuietly(pidFile);
            deleteQuietly(runcLog);
            Container now = containers.get(e.containerId);
            if (now != null) {
                publish(now, "exec_die", Map.of("execID", execId, "exitCode", Integer.toString(code)));
            }
            // after the event: whoever sees the exit code in inspect has also been sent exec_die
            e.exitCode = code;
            e.running = false;
        });
        PtyProcess ptyProcess = pty;
        return new ExecSession() {
            @Override
            public OutputStream stdin() {
                return p.getOutputStream();
            }

            @Override
            public InputStream stdout() {
                return p.getInputStream();
            }

            @Override
            public InputStream stderr() {
                return ptyProcess != null ? InputStream.nullInputStream() : p.getErrorStream();
            }

            @Override
            public int waitFor() throws InterruptedException {
                int raw = p.waitFor();
                try {
                    settled.get(); // not before the log is read: reading it here could race its deletion
                } catch (ExecutionException failed) {
                    // the exit handling failed; fall back to reading the log ourselves
                }
                Integer known = e.exitCode;
                return known != null ? known : execExitCode(raw, runcLog);
            }

            @Override
            public void resize(int h, int w) {
                resizePty(ptyProcess, h, w);
            }

            @Override
            public void close() {
                if (p.isAlive()) {
                    p.destroy();
                }
            }
        };
    }

    private final Map<String, PtyProcess> ptys = new ConcurrentHashMap<>();

    private static void resizePty(PtyProcess pty, int height, int width) {
        if (pty == null) {
            throw new EngineException.InvalidArgument("the exec has no TTY to resize");
        }
        if (height <= 0 || width <= 0 || height > 0xFFFF || width > 0xFFFF) {
            throw new EngineException.InvalidArgument("invalid terminal size " + height + "x" + width);
        }
        pty.setWinSize(new WinSize(width, height));
    }

    /**
     * The exec's exit code as Docker reports it: the command's, or 127 (command not found) / 126
     * (cannot be run) when runc itself failed to start it, which its log says.
     */
    private static int execExitCode(int raw, Path runcLog) {
        String failure = null;
        try {
            for (String line : Files.readAllLines(runcLog, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                var n = Json.mapper().readTree(line);
                String level = n.path("level").asText();
                if (level.equals("error") || level.equals("fatal")) {
                    failure = n.path("msg").asText();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return raw; // no log: runc started the command
        }
        if (failure == null) {
            return raw;
        }
        String lower = failure.toLowerCase(Locale.ROOT);
        return lower.contains("not found") || lower.contains("no such file") ? 127 : 126;
    }

    private static void readPid(Exec e) {
        if (e.pid == 0 && e.pidFile != null) {
            try {
                String s = Files.readString(e.pidFile, StandardCharsets.UTF_8).strip();
                if (!s.isEmpty()) {
                    e.pid = Long.parseLong(s);
                }
            } catch (IOException | NumberFormatException ignored) {
                // not written yet
            }
        }
    }

    @Override
    public List<String> execIds(String nameOrId) {
        String id = find(nameOrId).id();
        return execs.values().stream().filter(e -> e.containerId.equals(id) && (!e.started || e.running))
                .map(e -> e.id).sorted().toList();
    }

    @Override
    public ExecInspect execInspect(String execId) {
        Exec e = exec(execId);
        readPid(e);
        return new ExecInspect(e.id, e.containerId, e.config, e.running, e.exitCode, e.pid);
    }

    @Override
    public void execResize(String execId, int height, int width) {
        Exec e = exec(execId);
        PtyProcess pty = ptys.get(execId);
        if (!e.running) {
            throw new EngineException.Conflict("Exec " + execId + " is not running");
        }
        resizePty(pty, height, width);
    }

    private Exec exec(String execId) {
        Exec e = execs.get(execId);
        if (e == null) {
            throw new EngineException.NotFound("No such exec instance: " + execId);
        }
        return e;
    }

    // ------------------------------------------------------------------ attach / resize

    @Override
    public AttachSession attach(String nameOrId, String detachKeys) {
        Container c = inspect(nameOrId);
        if (c.state().status() == ContainerStatus.PAUSED) {
            throw new EngineException.Conflict("You cannot attach to a paused container, unpause it first");
        }
        if (c.state().status() != ContainerStatus.RUNNING) {
            throw new EngineException.Conflict("You cannot attach to a stopped container, start it first");
        }
        byte[] keys = detachKeys == null || detachKeys.isBlank() ? DEFAULT_DETACH_KEYS : parseDetachKeys(detachKeys);
        AttachSocket socket = rt().attach(c.id());
        publish(c, "attach", Map.of());
        return new AttachSession() {
            private int matched;
            private volatile boolean detached;

            @Override
            public AttachSocket.Frame read() throws IOException {
                return detached ? null : socket.read();
            }

            @Override
            public synchronized void write(byte[] data) throws IOException {
                if (detached) {
                    throw new IOException("detached from container " + c.shortId());
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
                for (byte b : data) {
                    if (b == keys[matched]) {
                        matched++;
                        if (matched == keys.length) {
                            socket.write(out.toByteArray());
                            detached = true;
                            socket.close();
                            publish(c, "detach", Map.of());
                            return;
                        }
                        continue;
                    }
                    if (matched > 0) {
                        out.write(keys, 0, matched);
                        matched = 0;
                        if (b == keys[0]) {
                            matched = 1;
                            continue;
                        }
                    }
                    out.write(b);
                }
                socket.write(out.toByteArray());
            }

            @Override
            public void closeStdin() throws IOException {
                socket.closeStdin();
            }

            @Override
            public boolean detached() {
                return detached;
            }

            @Override
            public void close() {
                socket.close();
            }
        };
    }

    /** Docker's detach key syntax: comma-separated {@code ctrl-<x>} or single characters. */
    static byte[] parseDetachKeys(String spec) {
        String[] parts = spec.split(",");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String k = parts[i].strip();
            if (k.length() == 1) {
                out[i] = (byte) k.charAt(0);
            } else if (k.toLowerCase(Locale.ROOT).startsWith("ctrl-") && k.length() == 6) {
                char ch = Character.toLowerCase(k.charAt(5));
                if (ch >= 'a' && ch <= 'z') {
                    out[i] = (byte) (ch - 'a' + 1);
                } else if (ch == '@' || ch == '[' || ch == '\\' || ch == ']' || ch == '^' || ch == '_') {
                    out[i] = (byte) ("@[\\]^_".indexOf(ch) == 0 ? 0 : 27 + "[\\]^_".indexOf(ch));
                } else {
                    throw new EngineException.InvalidArgument("invalid detach keys (" + spec + "): unknown key " + k);
                }
            } else {
                throw new EngineException.InvalidArgument("invalid detach keys (" + spec + "): unknown key " + k);
            }
        }
        return out;
    }

    @Override
    public void resize(String nameOrId, int height, int width) {
        Container c = inspect(nameOrId);
        if (!c.config().tty()) {
            throw new EngineException.InvalidArgument("container " + c.shortId() + " has no TTY to resize");
        }
        if (!c.state().running()) {
            throw new EngineException.Conflict("Container " + c.id() + " is not running");
        }
        rt().resize(c.id(), height, width);
        publish(c, "resize", Map.of("height", Integer.toString(height), "width", Integer.toString(width)));
    }

    // ------------------------------------------------------------------ exits, monitors, restart policies

    /**
     * Brings a running container's record up to date: if conmon wrote its exit code, or conmon is
     * gone, the run is over. Cheap (a file and {@code /proc}): called by every operation.
     */
    private Container sync(Container c) {
        if (!c.state().running() || runtime == null) {
            return c;
        }
        OptionalInt code = rt().exitCode(c.id());
        if (code.isPresent()) {
            return finishRun(c, code.getAsInt(), null);
        }
        if (!conmonAlive(c)) {
            code = rt().exitCode(c.id()); // conmon writes it before it exits
            if (code.isPresent()) {
                return finishRun(c, code.getAsInt(), null);
            }
            return finishRun(c, 255, "the container's monitor (conmon) exited without recording an exit code");
        }
        return c;
    }

    private static boolean conmonAlive(Container c) {
        Path pidFile = c.paths().bundle().resolve(Conmon.CONMON_PIDFILE);
        try {
            long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).strip());
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
            int close = stat.lastIndexOf(')');
            String comm = stat.substring(stat.indexOf('(') + 1, close);
            char state = close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return comm.equals("conmon") && state != 'Z' && state != 'X';
        } catch (IOException | NumberFormatException | StringIndexOutOfBoundsException e) {
            return false;
        }
    }

    /** Records the end of a run: exit code, runtime and mount cleaned up, {@code die} published. */
    private Container finishRun(Container c, int exitCode, String error) {
        boolean oom = oomKilled(c.id()); // read before runc delete removes the cgroup
        try {
            rt().delete(c.id(), true);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete " + c.id() + " from the runtime: " + e.getMessage());
        }
        unmountRootfs(c);
        releaseNetwork(c);
        publishMounts(c, "unmount");
        ContainerState s = c.state().exited(exitCode, Instant.now(), oom);
        if (error != null) {
            s = new ContainerState(s.status(), 0, exitCode, s.startedAt(), s.finishedAt(), oom, error, s.restartCount(),
                    s.manuallyStopped());
        }
        Container done = saveQuietly(c.withState(s));
        if (oom) {
            publish(done, "oom", Map.of());
        }
        publish(done, "die", Map.of("exitCode", Integer.toString(exitCode)));
        runEnded(c.id()); // waiters return after the events are out
        return done;
    }

    /** Whether the kernel's OOM killer killed a process of the container ({@code oom_kill} in its memory cgroup). */
    private static boolean oomKilled(String id) {
        Cgroups cgroups = Cgroups.host();
        Path dir = cgroups.dir("memory", Cgroups.containerPath(id));
        Path file = dir.resolve(cgroups.unified() ? "memory.events" : "memory.oom_control");
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.strip().split("\\s+");
                if (f.length == 2 && f[0].equals("oom_kill")) {
                    return Long.parseLong(f[1]) > 0;
                }
            }
        } catch (IOException | NumberFormatException | UncheckedIOException e) {
            // no memory cgroup (any more): no OOM seen
        }
        return false;
    }

    /** Counts the end of a run (an exit, or a pending restart called off) and wakes waiters. */
    private void runEnded(String id) {
        exits.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
        notifyChanges();
    }

    private long exitCount(String id) {
        AtomicLong n = exits.get(id);
        return n == null ? 0 : n.get();
    }

    private void startMonitor(String id, Instant run) {
        Path bundle = current(id).paths().bundle();
        spawn("monitor-" + id.substring(0, 12), () -> {
            while (!closed) {
                rt().waitForExit(id, bundle, Duration.ofSeconds(2));
                Boolean done = locked(id, () -> {
                    Container c = containers.get(id);
                    if (c == null || !run.equals(c.state().startedAt())) {
                        return true; // removed, or a newer run has its own monitor
                    }
                    c = sync(c);
                    if (c.state().running()) {
                        return false;
                    }
                    afterExit(c, false);
                    return true;
                }, true);
                if (done == null || done) {
                    return;
                }
            }
        });
    }

    /** After a run ended: {@code --rm} removes the container, else the restart policy may restart it. */
    private void afterExit(Container c, boolean engineStart) {
        if (c.hostConfig().autoRemove()) {
            removeLocked(c, true);
            return;
        }
        ContainerState s = c.state();
        if (!c.hostConfig().restartPolicy().shouldRestart(s.exitCode(), s.restartCount(), s.manuallyStopped(), engineStart)) {
            return;
        }
        Duration ran = s.startedAt() == null || s.finishedAt() == null ? Duration.ZERO : Duration.between(s.startedAt(), s.finishedAt());
        Duration delay = ran.compareTo(Duration.ofSeconds(10)) > 0 ? BACKOFF_START
                : backoff.merge(c.id(), BACKOFF_START, (old, x) -> old.multipliedBy(2).compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : old.multipliedBy(2));
        if (ran.compareTo(Duration.ofSeconds(10)) > 0) {
            backoff.put(c.id(), BACKOFF_START);
        }
        save(c.withState(s.withStatus(ContainerStatus.RESTARTING)));
        String id = c.id();
        spawn("restart-" + c.shortId(), () -> {
            Thread.sleep(delay.toMillis());
            locked(id, () -> {
                Container now = containers.get(id);
                if (now == null || now.state().status() != ContainerStatus.RESTARTING || closed) {
                    return null; // stopped or removed meanwhile
                }
                save(now.withState(now.state().withRestartCount(now.state().restartCount() + 1)));
                try {
                    startLocked(id, "start");
                } catch (EngineException e) {
                    LOG.log(System.Logger.Level.WARNING, "restart of " + id + " failed: " + e.getMessage());
                }
                return null;
            }, true);
        });
    }

    /**
     * Finds the containers on disk again after an engine (re)start: containers still running under
     * conmon are monitored again; those that ended while the engine was away get their exit code
     * from conmon's exit file, are unmounted, removed ({@code --rm}) or restarted (restart policy).
     */
    public void recover() {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(dir)) {
            dirs = s.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot list " + dir + ": " + e.getMessage(), e);
        }
        for (Path d : dirs) {
            if (!Files.isRegularFile(d.resolve(CONFIG))) {
                // a create that never finished
                Path rootfs = d.resolve("rootfs");
                if (Mounter.isMountPoint(rootfs)) {
                    Mounter.unmount(rootfs);
                }
                try {
                    snapshots.remove(d.getFileName().toString());
                } catch (EngineException ignored) {
                    // none was prepared
                }
                deleteTree(d);
                continue;
            }
            try {
                Container c = load(d);
                containers.put(c.id(), c);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot load container " + d + ": " + e.getMessage());
            }
        }
        if (runtime == null) {
            LOG.log(System.Logger.Level.WARNING, "containers are not recovered: " + runtimeProblem);
            return;
        }
        for (String id : List.copyOf(containers.keySet())) {
            try {
                locked(id, () -> {
                    recoverOne(containers.get(id));
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot recover container " + id + ": " + e.getMessage());
            }
        }
        if (networks != null) {
            // running containers keep their namespaces, veths, rules and DNS names; the rest is torn down
            Set<String> running = new java.util.HashSet<>();
            containers.values().forEach(c -> {
                if (c.state().running()) {
                    running.add(c.id());
                }
            });
            try {
                networks.reconcile(running);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot reconcile container networks: " + e.getMessage());
            }
        }
    }

    private void recoverOne(Container c) throws InterruptedException {
        String id = c.id();
        ContainerStatus status = c.state().status();
        if (status == ContainerStatus.RUNNING || status == ContainerStatus.PAUSED) {
            Optional<OciRuntime.State> rs = rt().find(id);
            if (rs.isPresent() && (rs.get().status() == OciRuntime.Status.RUNNING || rs.get().status() == OciRuntime.Status.PAUSED)
                    && conmonAlive(c)) {
                ContainerStatus now = rs.get().status() == OciRuntime.Status.PAUSED ? ContainerStatus.PAUSED : ContainerStatus.RUNNING;
                ContainerState s = c.state();
                c = save(c.withState(new ContainerState(now, rs.get().pid(), s.exitCode(), s.startedAt(), s.finishedAt(),
                        s.oomKilled(), s.error(), s.restartCount(), s.manuallyStopped())));
                startMonitor(id, c.state().startedAt());
                return;
            }
            OptionalInt code = rt().exitCode(id);
            if (code.isEmpty() && rs.isPresent()) {
                code = rt().waitForExit(id, Duration.ofSeconds(2));
            }
            c = code.isPresent() ? finishRun(c, code.getAsInt(), null)
                    : finishRun(c, 255, "the container ended while the engine was away and no exit code was recorded");
            afterExit(c, true);
            return;
        }
        // not running: nothing may be left mounted or in the runtime
        unmountRootfs(c);
        if (rt().known(id)) {
            rt().delete(id, true);
        }
        if (status == ContainerStatus.RESTARTING) {
            afterExit(c.withState(c.state().withStatus(ContainerStatus.EXITED)), true);
        } else if (status == ContainerStatus.EXITED && c.hostConfig().autoRemove()) {
            removeLocked(c, true);
        } else if (status == ContainerStatus.EXITED && c.state().startedAt() != null
                && c.hostConfig().restartPolicy().name().equals("always")) {
            afterExit(c, true);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) {
            t.interrupt();
        }
    }

    // ------------------------------------------------------------------ plumbing

    @FunctionalInterface
    private interface Op<T> {
        T run() throws InterruptedException;
    }

    private interface Task {
        void run() throws InterruptedException;
    }

    private void spawn(String name, Task task) {
        Thread t = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                task.run();
            } catch (InterruptedException e) {
                // engine closing
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, name + " failed: " + e.getMessage(), e);
            } finally {
                threads.remove(Thread.currentThread());
            }
        });
        threads.add(t);
        t.start();
    }

    private ReentrantLock lockOf(String id) {
        return locks.computeIfAbsent(id, k -> new ReentrantLock());
    }

    private <T> T locked(String id, Op<T> op) {
        ReentrantLock lock = lockOf(id);
        lock.lock();
        try {
            return op.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.Unavailable("interrupted while working on container " + id, e);
        } finally {
            lock.unlock();
        }
    }

    /** For background threads: an interrupt (engine closing) ends the operation with null. */
    private <T> T locked(String id, Op<T> op, boolean background) throws InterruptedException {
        ReentrantLock lock = lockOf(id);
        lock.lockInterruptibly();
        try {
            return op.run();
        } finally {
            lock.unlock();
        }
    }

    private OciRuntime rt() {
        if (runtime == null) {
            throw new EngineException.Unavailable("containers cannot run on this host: " + runtimeProblem);
        }
        return runtime;
    }

    private Container current(String id) {
        Container c = containers.get(id);
        if (c == null) {
            throw new EngineException.NotFound("No such container: " + id);
        }
        return c;
    }

    /** By full id, name (with or without the leading slash), or unique id prefix. */
    private Container find(String nameOrId) {
        if (nameOrId == null || nameOrId.isBlank()) {
            throw new EngineException.InvalidArgument("no container name or id given");
        }
        String key = nameOrId.startsWith("/") ? nameOrId.substring(1) : nameOrId;
        Container c = containers.get(key);
        if (c != null) {
            return c;
        }
        Optional<Container> named = byName(key);
        if (named.isPresent()) {
            return named.get();
        }
        if (key.matches("[a-f0-9]+")) {
            List<Container> byPrefix = containers.values().stream().filter(x -> x.id().startsWith(key)).toList();
            if (byPrefix.size() == 1) {
                return byPrefix.getFirst();
            }
            if (byPrefix.size() > 1) {
                throw new EngineException.InvalidArgument("multiple containers found with provided prefix: " + key);
            }
        }
        throw new EngineException.NotFound("No such container: " + nameOrId);
    }

    private Optional<Container> byName(String name) {
        return containers.values().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private static EngineException nameInUse(String name, Container other) {
        return nameInUse(name, other.id());
    }

    private static EngineException nameInUse(String name, String otherId) {
        return new EngineException.Conflict("Conflict. The container name \"/" + name + "\" is already in use by container \""
                + otherId + "\". You have to remove (or rename) that container to be able to reuse that name.");
    }

    private Container save(Container c) {
        saveQuietly(c);
        notifyChanges();
        return c;
    }

    /** Saves without waking waiters (the caller does, once its events are published). */
    private Container saveQuietly(Container c) {
        Json.write(c.paths().dir().resolve(STATE), c.state());
        containers.put(c.id(), c);
        return c;
    }

    private void notifyChanges() {
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    private Container load(Path d) {
        StoredConfig sc = Json.read(d.resolve(CONFIG), StoredConfig.class);
        ContainerState state = Files.isRegularFile(d.resolve(STATE)) ? Json.read(d.resolve(STATE), ContainerState.class)
                : ContainerState.created();
        return new Container(sc.id(), sc.name(), sc.created(), sc.imageName(), sc.imageId(), sc.config(), sc.hostConfig(),
                paths(d), sc.snapshotKey(), state);
    }

    private static StoredConfig stored(Container c) {
        return new StoredConfig(c.id(), c.name(), c.created(), c.imageName(), c.imageId(), c.config(), c.hostConfig(),
                c.snapshotKey());
    }

    private static Container.Paths paths(Path cdir) {
        return new Container.Paths(cdir, cdir.resolve("bundle"), cdir.resolve("rootfs"), cdir.resolve("container.log"));
    }

    private void mountRootfs(Container c) {
        if (!Mounter.isMountPoint(c.paths().rootfs())) {
            Mounter.mount(snapshots.mounts(c.snapshotKey()), c.paths().rootfs());
        }
    }

    /** Unmounts the root filesystem if mounted; retries briefly while the last processes let go of it. */
    private static void unmountRootfs(Container c) {
        Path rootfs = c.paths().rootfs();
        for (int attempt = 0; Mounter.isMountPoint(rootfs); attempt++) {
            try {
                Mounter.unmount(rootfs);
            } catch (EngineException.FailedPrecondition e) {
                if (attempt >= 40) {
                    LOG.log(System.Logger.Level.WARNING, "cannot unmount " + rootfs + ": " + e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(25);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void publish(Container c, String action, Map<String, String> extra) {
        events.publish(c.event(action, extra));
    }

    private String newId() {
        while (true) {
            byte[] b = new byte[32];
            ThreadLocalRandom.current().nextBytes(b);
            String id = HexFormat.of().formatHex(b);
            // Docker avoids ids that look like numbers (a short id must not parse as one)
            if (!id.substring(0, 12).matches("[0-9]+") && !containers.containsKey(id)) {
                return id;
            }
        }
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b == null || b.isBlank() ? null : b;
    }

    private static void deleteTree(Path p) {
        for (int attempt = 0; ; attempt++) {
            try {
                FileTrees.deleteTree(p);
                return;
            } catch (java.nio.file.NoSuchFileException e) {
                // a file went away while the walk read it (an attach reader's scratch file): walk again
                if (attempt >= 3) {
                    throw new UncheckedIOException("cannot remove " + p + ": " + e.getMessage(), e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + p + ": " + e.getMessage(), e);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot remove " + p + ": " + e.getMessage());
        }
    }
}
