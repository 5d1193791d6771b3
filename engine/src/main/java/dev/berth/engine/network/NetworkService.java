package dev.berth.engine.network;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.state.AtomicFiles;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Networks, addresses and container attachments. Netavark does the kernel work (veth, bridge,
 * firewall, port forwarding, aardvark-dns); this service decides names, subnets and addresses,
 * keeps them under {@code <root>/networks/}, and replays exactly what it set up when tearing down.
 *
 * <p>Layout: {@code networks/<id>.json} ({@link NetworkRecord}), {@code networks/ipam/<id>.json}
 * (address to container id), {@code networks/attachments/<containerId>.json} ({@link Attachment}),
 * namespace files under {@code netns/<containerId>}. All methods are serialized on this object.
 *
 * <p>Published ports go with a container's first network only (one netavark call with the
 * ports, further networks in calls of their own), so connect and disconnect of other networks
 * never touch them. Known netavark 1.4 behaviour: it keeps its base chains
 * ({@code NETAVARK_FORWARD}, {@code NETAVARK-HOSTPORT-*}) after the last teardown (shared by
 * every netavark user on the host, so they stay); and it leaves a network's port-forwarding chain
 * ({@code NETAVARK-DN-...}) behind, empty, when the last container to leave had no published
 * ports: that one is this engine's own, and goes when the last container leaves the network or the
 * network is removed ({@link PortForwardChains}).
 */
public final class NetworkService {

    /** The networks every engine has and nobody removes. */
    public static final Set<String> BUILTIN = Set.of("bridge", "host", "none");

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final System.Logger LOG = System.getLogger(NetworkService.class.getName());

    /**
     * Where things live and which binaries to run.
     *
     * @param stateDir {@code <root>/networks}
     * @param netnsDir {@code <root>/netns}
     * @param netavarkConfigDir netavark's {@code --config} (aardvark-dns state)
     * @param netavark the netavark binary
     * @param aardvark the aardvark-dns binary
     * @param defaultSubnet the default bridge's subnet
     * @param interfacePrefix bridge names: prefix + 0 for the default bridge, prefix + N for user networks
     * @param hostResolvConf the host's resolv.conf
     */
    public record Config(Path stateDir, Path netnsDir, Path netavarkConfigDir, Path netavark, Path aardvark,
                         String defaultSubnet, String interfacePrefix, Path hostResolvConf) {

        public static final String DEFAULT_SUBNET = "10.88.0.0/16";

        /** The defaults for a state root: Debian's netavark under {@code /usr/lib/podman}. */
        public static Config defaults(Path root) {
            return new Config(root.resolve("networks"), root.resolve("netns"), root.resolve("netavark"),
                    Path.of("/usr/lib/podman/netavark"), Path.of("/usr/lib/podman/aardvark-dns"),
                    DEFAULT_SUBNET, "berth", Path.of("/etc/resolv.conf"));
        }

        public Config withDefaultSubnet(String subnet) {
            return new Config(stateDir, netnsDir, netavarkConfigDir, netavark, aardvark, subnet, interfacePrefix, hostResolvConf);
        }

        public Config withInterfacePrefix(String prefix) {
            return new Config(stateDir, netnsDir, netavarkConfigDir, netavark, aardvark, defaultSubnet, prefix, hostResolvConf);
        }
    }

    private final Config config;
    private final EventBus events;
    private final Netavark netavark;
    private final Path ipamDir;
    private final Path attachmentsDir;
    private final Map<String, NetworkRecord> networks = new LinkedHashMap<>(); // by id
    private final Map<String, Map<String, String>> allocations = new HashMap<>(); // network id -> ip -> container id
    private final Map<String, Attachment> attachments = new LinkedHashMap<>(); // by container id

    public NetworkService(Config config) {
        this(config, null);
    }

    /**
     * @param events where Docker's {@code network} events go (create, destroy, connect, disconnect,
     *               prune); may be {@code null}
     */
    public NetworkService(Config config, EventBus events) {
        this.config = config;
        this.events = events;
        this.ipamDir = config.stateDir().resolve("ipam");
        this.attachmentsDir = config.stateDir().resolve("attachments");
        this.netavark = new Netavark(config.netavark(), config.aardvark(), config.netavarkConfigDir(),
                config.stateDir().resolve("tmp"));
        Ipv4Subnet.parse(config.defaultSubnet());
        load();
        ensureBuiltin("host", "host", null);
        ensureBuiltin("none", "null", null);
    }

    public Config config() {
        return config;
    }

    // ---------------------------------------------------------------- networks

    /** Creates a user-defined bridge network. */
    public synchronized NetworkRecord create(NetworkCreateRequest req) {
        String name = req.name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new EngineException.InvalidArgument("invalid network name \"" + name
                    + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        if (BUILTIN.contains(name)) {
            throw new EngineException.AlreadyExists(name + " is a pre-defined network and cannot be created");
        }
        if (findByName(name).isPresent()) {
            throw new EngineException.AlreadyExists("network with name " + name + " already exists");
        }
        if (req.driver() != null && !req.driver().isEmpty() && !req.driver().equals("bridge")) {
            throw new EngineException.InvalidArgument("network driver \"" + req.driver()
                    + "\" is not supported: Berth creates bridge networks only");
        }
        NetworkRecord rec = bridgeRecord(name, req.subnet(), req.gateway(), req.ipRange(), req.internal(), true,
                req.labels(), req.options(), nextBridgeName());
        persist(rec);
        publish("create", rec, Map.of());
        return rec;
    }

    /** Finds a network by name, full id or unique id prefix. */
    public synchronized NetworkRecord get(String idOrName) {
        if ("bridge".equals(idOrName)) {
            return ensureDefaultBridge();
        }
        Optional<NetworkRecord> byName = findByName(idOrName);
        if (byName.isPresent()) {
            return byName.get();
        }
        if (idOrName != null && !idOrName.isEmpty()) {
            NetworkRecord exact = networks.get(idOrName);
            if (exact != null) {
                return exact;
            }
            List<NetworkRecord> prefixed = networks.values().stream().filter(n -> n.id().startsWith(idOrName)).toList();
            if (prefixed.size() == 1) {
                return prefixed.getFirst();
            }
            if (prefixed.size() > 1) {
                throw new EngineException.InvalidArgument("network " + idOrName + " is ambiguous (" + prefixed.size() + " matches found)");
            }
        }
        throw new EngineException.NotFound("network " + idOrName + " not found");
    }

    /** Docker's inspect shape. */
    public synchronized NetworkInspect inspect(String idOrName) {
        return toInspect(get(idOrName));
    }

    /**
     * Lists networks matching Docker's filters: {@code name} (substring), {@code id} (prefix),
     * {@code label} ({@code key} or {@code key=value}), {@code driver}, {@code type}
     * ({@code custom}|{@code builtin}), {@code dangling} ({@code true}: no containers).
     */
    public synchronized List<NetworkInspect> list(Map<String, List<String>> filters) {
        ensureDefaultBridge();
        Map<String, List<String>> f = filters == null ? Map.of() : filters;
        for (String key : f.keySet()) {
            if (!Set.of("name", "id", "label", "driver", "type", "dangling", "scope").contains(key)) {
                throw new EngineException.InvalidArgument("invalid filter '" + key + "'");
            }
        }
        return networks.values().stream()
                .filter(n -> anyMatch(f.get("name"), v -> n.name().contains(v)))
                .filter(n -> anyMatch(f.get("id"), v -> n.id().startsWith(v)))
                .filter(n -> allMatch(f.get("label"), v -> labelMatches(n.labels(), v)))
                .filter(n -> anyMatch(f.get("driver"), v -> v.equals(n.driver())))
                .filter(n -> anyMatch(f.get("scope"), v -> v.equals("local")))
                .filter(n -> anyMatch(f.get("type"), v -> switch (v) {
                    case "custom" -> !n.builtin();
                    case "builtin" -> n.builtin();
                    default -> throw new EngineException.InvalidArgument("invalid filter: 'type'='" + v + "'");
                }))
                .filter(n -> anyMatch(f.get("dangling"), v -> switch (v) {
                    case "true", "1" -> !n.builtin() && containersOn(n).isEmpty();
                    case "false", "0" -> n.builtin() || !containersOn(n).isEmpty();
                    default -> throw new EngineException.InvalidArgument("invalid filter 'dangling=" + v + "'");
                }))
                .sorted(Comparator.comparing(NetworkRecord::name))
                .map(this::toInspect)
                .toList();
    }

    /** Removes a user-defined network; refused for built-in ones and while containers are attached. */
    public synchronized void remove(String idOrName) {
        NetworkRecord n = get(idOrName);
        if (n.builtin()) {
            throw new EngineException.Conflict(n.name() + " is a pre-defined network and cannot be removed");
        }
        List<Attachment> users = containersOn(n);
        if (!users.isEmpty()) {
            throw new EngineException.Conflict("error while removing network: network " + n.name() + " id " + n.id()
                    + " has active endpoints (" + String.join(", ", users.stream().map(Attachment::containerName).toList()) + ")");
        }
        delete(n);
        publish("destroy", n, Map.of());
    }

    /**
     * Removes every user-defined network no container uses; returns their names. Filters:
     * {@code label} ({@code key} or {@code key=value}, all must match), {@code label!} (none may
     * match), {@code until} (created before: RFC 3339 or Unix seconds).
     */
    public synchronized List<String> prune(Map<String, List<String>> filters) {
        Map<String, List<String>> f = filters == null ? Map.of() : filters;
        for (String key : f.keySet()) {
            if (!Set.of("label", "label!", "until").contains(key)) {
                throw new EngineException.InvalidArgument("invalid filter '" + key + "'");
            }
        }
        List<Instant> until = f.getOrDefault("until", List.of()).stream().map(NetworkService::timestamp).toList();
        List<String> removed = new ArrayList<>();
        for (NetworkRecord n : List.copyOf(networks.values())) {
            if (!n.builtin() && containersOn(n).isEmpty() && allMatch(f.get("label"), v -> labelMatches(n.labels(), v))
                    && f.getOrDefault("label!", List.of()).stream().noneMatch(v -> labelMatches(n.labels(), v))
                    && until.stream().allMatch(t -> n.created().isBefore(t))) {
                delete(n);
                publish("destroy", n, Map.of());
                removed.add(n.name());
            }
        }
        if (events != null) {
            events.publish(Event.of("network", "prune", "", Map.of("reclaimed", "0")));
        }
        return removed;
    }

    /** Docker's filter timestamps: Unix seconds (with an optional fraction) or RFC 3339. */
    private static Instant timestamp(String v) {
        try {
            if (v.matches("\\d+(\\.\\d+)?")) {
                return Instant.ofEpochMilli((long) (Double.parseDouble(v) * 1000));
            }
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (RuntimeException e) {
            throw new EngineException.InvalidArgument("invalid filter 'until=" + v + "': a Unix time or an RFC 3339 date");
        }
    }

    // ---------------------------------------------------------------- attachments

    /** {@link #attach(String, String, String, List, List, List)} with ports given as mappings and no {@code --dns}. */
    public Attachment attach(String containerId, String containerName, String netnsPath,
                             List<EndpointRequest> requests, List<PortMapping> ports) {
        List<PortSpec> specs = ports == null ? List.of() : ports.stream()
                .map(m -> new PortSpec(m.hostIp(), m.hostPort(), m.hostPort() == 0 ? 0 : m.hostPort() + m.range() - 1,
                        m.containerPort(), m.containerPort() + m.range() - 1, m.protocol()))
                .toList();
        return attach(containerId, containerName, netnsPath, requests, specs, List.of());
    }

    /**
     * Connects a container to its networks before it starts.
     *
     * @param containerId the container id (64 hex)
     * @param containerName its name, resolvable on user-defined networks
     * @param netnsPath a namespace to configure, or null to have the engine create {@code <root>/netns/<id>}
     * @param requests the networks; empty means the default {@code bridge}; {@code host} or {@code none} must be alone
     * @param ports {@code -p}/{@code -P} specs; ignored for {@code host} and {@code none} as Docker does
     * @param dnsServers {@code --dns}: aardvark-dns forwards names it does not know to these
     * @return what was set up; {@link Attachment#netnsPath()} is what the runtime joins (null: the host's)
     */
    public synchronized Attachment attach(String containerId, String containerName, String netnsPath,
                                          List<EndpointRequest> requests, List<PortSpec> ports, List<String> dnsServers) {
        if (containerId == null || containerId.isEmpty() || containerId.contains("/")) {
            throw new EngineException.InvalidArgument("invalid container id \"" + containerId + "\"");
        }
        if (attachments.containsKey(containerId)) {
            throw new EngineException.Conflict("container " + containerName + " is already connected to its networks");
        }
        List<EndpointRequest> reqs = requests == null || requests.isEmpty() ? List.of(EndpointRequest.of("bridge")) : requests;
        List<NetworkRecord> nets = new ArrayList<>();
        for (EndpointRequest r : reqs) {
            NetworkRecord n = get(r.network());
            if (nets.stream().anyMatch(x -> x.id().equals(n.id()))) {
                throw new EngineException.InvalidArgument("network " + n.name() + " is given twice");
            }
            nets.add(n);
        }
        List<String> dns = dnsServers == null ? List.of() : List.copyOf(dnsServers);
        for (NetworkRecord n : nets) {
            if (!n.bridgeDriver() && nets.size() > 1) {
                throw new EngineException.InvalidArgument("container cannot be connected to network " + n.name()
                        + " together with other networks");
            }
        }
        NetworkRecord first = nets.getFirst();
        if (first.name().equals("host")) {
            Attachment a = new Attachment(containerId, containerName, "host", null, false, List.of(), List.of(), dns);
            saveAttachment(a);
            return a;
        }
        boolean owns = netnsPath == null;
        Path netns = owns ? config.netnsDir().resolve(containerId) : Path.of(netnsPath);
        if (first.name().equals("none")) {
            if (owns) {
                NetnsFiles.create(netns);
            }
            Attachment a = new Attachment(containerId, containerName, "none", netns.toString(), owns, List.of(), List.of(), dns);
            saveAttachment(a);
            return a;
        }
        // bridge networks: addresses, ports, then netavark
        for (int i = 0; i < reqs.size(); i++) {
            NetworkRecord n = nets.get(i);
            EndpointRequest r = reqs.get(i);
            if (!n.dnsEnabled() && !r.aliases().isEmpty()) {
                throw new EngineException.InvalidArgument("network-scoped alias is supported only for containers in user defined networks");
            }
            if (n.name().equals("bridge") && r.staticIp() != null) {
                throw new EngineException.InvalidArgument("user specified IP address is supported on user defined networks only");
            }
        }
        List<PortMapping> mappings = resolvePorts(ports == null ? List.of() : ports);
        List<Endpoint> endpoints = new ArrayList<>();
        try {
            for (int i = 0; i < reqs.size(); i++) {
                NetworkRecord n = nets.get(i);
                EndpointRequest r = reqs.get(i);
                long ip = allocate(n, containerId, r.staticIp());
                List<String> aliases = new ArrayList<>(r.aliases());
                if (n.dnsEnabled() && containerId.length() >= 12 && !aliases.contains(containerId.substring(0, 12))) {
                    aliases.add(containerId.substring(0, 12));
                }
                Ipv4Subnet subnet = Ipv4Subnet.parse(n.subnet());
                endpoints.add(new Endpoint(n.name(), n.id(), randomHex(32), "eth" + i, Ipv4Subnet.format(ip),
                        subnet.prefix(), n.gateway(), null, aliases, List.of(), List.of()));
            }
        } catch (RuntimeException e) {
            releaseAll(containerId);
            throw e;
        }
        if (owns) {
            try {
                NetnsFiles.create(netns);
            } catch (RuntimeException e) {
                releaseAll(containerId);
                throw e;
            }
        }
        Attachment pending = new Attachment(containerId, containerName, "bridge", netns.toString(), owns, endpoints, mappings, dns);
        saveAttachment(pending); // before setup: a crash in between leaves something reconcile can tear down
        List<Endpoint> done = new ArrayList<>();
        try {
            for (int i = 0; i < endpoints.size(); i++) {
                Endpoint ep = endpoints.get(i);
                done.add(setupOne(pending, ep, i == 0 ? mappings : List.of()));
            }
        } catch (RuntimeException e) {
            for (int i = done.size() - 1; i >= 0; i--) {
                try {
                    netavark.teardown(netns, options(pending, done.get(i), i == 0 ? mappings : List.of()));
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            releaseAll(containerId);
            if (owns) {
                NetnsFiles.remove(netns);
            }
            deleteAttachment(containerId);
            nets.forEach(this::dropEmptyPortChain);
            throw e;
        }
        Attachment a = pending.withEndpoints(done);
        saveAttachment(a);
        for (Endpoint ep : done) {
            Optional.ofNullable(networks.get(ep.networkId())).ifPresent(n -> publish("connect", n, Map.of("container", containerId)));
        }
        return a;
    }

    /** Connects an attached (bridge-mode) container to one more network, {@code docker network connect}. */
    public synchronized Endpoint connect(String containerId, EndpointRequest request) {
        Attachment a = attachment(containerId).orElseThrow(() ->
                new EngineException.FailedPrecondition("container " + containerId + " has no network namespace to connect"));
        if (!a.mode().equals("bridge")) {
            throw new EngineException.FailedPrecondition("container sharing the " + a.mode() + " network cannot be connected to other networks");
        }
        NetworkRecord n = get(request.network());
        if (!n.bridgeDriver()) {
            throw new EngineException.FailedPrecondition("container cannot be disconnected from its network and connected to " + n.name());
        }
        if (a.endpoint(n.name()).isPresent()) {
            throw new EngineException.Conflict("endpoint with name " + a.containerName() + " already exists in network " + n.name());
        }
        if (!n.dnsEnabled() && !request.aliases().isEmpty()) {
            throw new EngineException.InvalidArgument("network-scoped alias is supported only for containers in user defined networks");
        }
        long ip = allocate(n, containerId, request.staticIp());
        Set<String> used = new HashSet<>();
        a.endpoints().forEach(e -> used.add(e.interfaceName()));
        int idx = 0;
        while (used.contains("eth" + idx)) {
            idx++;
        }
        List<String> aliases = new ArrayList<>(request.aliases());
        if (containerId.length() >= 12) {
            aliases.add(containerId.substring(0, 12));
        }
        Endpoint ep = new Endpoint(n.name(), n.id(), randomHex(32), "eth" + idx, Ipv4Subnet.format(ip),
                Ipv4Subnet.parse(n.subnet()).prefix(), n.gateway(), null, aliases, List.of(), List.of());
        List<Endpoint> eps = new ArrayList<>(a.endpoints());
        eps.add(ep);
        saveAttachment(a.withEndpoints(eps));
        Endpoint done;
        try {
            done = setupOne(a, ep, List.of());
        } catch (RuntimeException e) {
            release(n.id(), Ipv4Subnet.format(ip));
            saveAttachment(a);
            throw e;
        }
        eps.set(eps.size() - 1, done);
        saveAttachment(a.withEndpoints(eps));
        publish("connect", n, Map.of("container", containerId));
        return done;
    }

    /** Disconnects a container from one network, {@code docker network disconnect}. */
    public synchronized void disconnect(String containerId, String network) {
        Attachment a = attachment(containerId).orElseThrow(() ->
                new EngineException.NotFound("container " + containerId + " is not connected to any network"));
        NetworkRecord n = get(network);
        Endpoint ep = a.endpoint(n.name()).orElseThrow(() ->
                new EngineException.NotFound("container " + a.containerName() + " is not connected to network " + n.name()));
        boolean primary = a.endpoints().getFirst().equals(ep);
        netavark.teardown(Path.of(a.netnsPath()), options(a, ep, primary ? a.ports() : List.of()));
        release(n.id(), ep.ipAddress());
        List<Endpoint> eps = new ArrayList<>(a.endpoints());
        eps.remove(ep);
        saveAttachment(new Attachment(a.containerId(), a.containerName(), a.mode(), a.netnsPath(), a.ownsNetns(),
                eps, primary ? List.of() : a.ports(), a.dnsServers()));
        dropEmptyPortChain(n);
        publish("disconnect", n, Map.of("container", containerId));
    }

    /**
     * Undoes {@link #attach}: netavark teardown for every endpoint, addresses released, the
     * namespace file removed if the engine made it. Returns false when the container had nothing.
     * If netavark fails the record is kept (so a later detach or {@link #reconcile} retries) and
     * the error is thrown.
     */
    public synchronized boolean detach(String containerId) {
        return detach(containerId, false);
    }

    /**
     * {@link #detach(String)} for a container that is going away for good: if netavark fails, the
     * failure is logged and the record, addresses and namespace file go anyway (a teardown that
     * fails now would fail forever and hold the address).
     */
    public synchronized boolean detachForGood(String containerId) {
        return detach(containerId, true);
    }

    private boolean detach(String containerId, boolean force) {
        Attachment a = attachments.get(containerId);
        if (a == null) {
            return false;
        }
        RuntimeException failure = null;
        if (a.mode().equals("bridge") && !a.endpoints().isEmpty()) {
            Path netns = Path.of(a.netnsPath());
            Path scratch = null;
            if (!NetnsFiles.isMounted(netns)) {
                // the namespace is gone (host reboot, joined container's namespace gone): its veths died with
                // it, the firewall rules and DNS entries did not. netavark 1.4 stops at the first step of
                // teardown (deleting the container's interface) when that is missing, so give it a
                // scratch namespace holding stand-ins of the same names to delete.
                scratch = config.netnsDir().resolve(".teardown-" + containerId);
                NetnsFiles.createScratch(scratch, a.endpoints().stream().map(Endpoint::interfaceName).toList());
                netns = scratch;
            }
            try {
                for (int i = a.endpoints().size() - 1; i >= 0; i--) {
                    try {
                        netavark.teardown(netns, options(a, a.endpoints().get(i), i == 0 ? a.ports() : List.of()));
                    } catch (RuntimeException e) {
                        if (failure == null) {
                            failure = e;
                        } else {
                            failure.addSuppressed(e);
                        }
                    }
                }
            } finally {
                if (scratch != null) {
                    NetnsFiles.remove(scratch);
                }
            }
        }
        if (failure != null && !force) {
            throw failure;
        }
        if (failure != null) {
            LOG.log(System.Logger.Level.WARNING, "network teardown of gone container " + a.containerName() + " ("
                    + containerId + ") failed, its record is dropped anyway: " + failure.getMessage());
        }
        releaseAll(containerId);
        if (a.ownsNetns() && a.netnsPath() != null) {
            NetnsFiles.remove(Path.of(a.netnsPath()));
        }
        deleteAttachment(containerId);
        for (Endpoint ep : a.endpoints()) {
            Optional.ofNullable(networks.get(ep.networkId())).ifPresent(this::dropEmptyPortChain);
        }
        for (Endpoint ep : a.endpoints()) {
            Optional.ofNullable(networks.get(ep.networkId())).ifPresent(n -> publish("disconnect", n, Map.of("container", containerId)));
        }
        return true;
    }

    /**
     * After an engine restart: keeps what running containers have (their namespaces, veths,
     * rules and DNS entries live on in the kernel and in aardvark-dns), and tears down the
     * attachments of every container that is gone. Returns the ids torn down.
     */
    public synchronized List<String> reconcile(Set<String> runningContainerIds) {
        List<String> removed = new ArrayList<>();
        for (String id : List.copyOf(attachments.keySet())) {
            if (!runningContainerIds.contains(id)) {
                // the container is gone for good: a teardown that fails now would fail forever, so the
                // record goes anyway (the failure is logged) rather than blocking every later reconcile
                detach(id, true);
                removed.add(id);
            }
        }
        // addresses held by containers that have no attachment record (a crash between allocate and save)
        for (var entry : allocations.entrySet()) {
            boolean changed = entry.getValue().values().removeIf(cid -> !attachments.containsKey(cid));
            if (changed) {
                saveAllocations(entry.getKey());
            }
        }
        // namespace files nobody owns any more
        try (Stream<Path> files = Files.exists(config.netnsDir()) ? Files.list(config.netnsDir()) : Stream.empty()) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                boolean owned = attachments.values().stream().anyMatch(a -> f.toString().equals(a.netnsPath()));
                if (!owned && !runningContainerIds.contains(name)) {
                    NetnsFiles.remove(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return removed;
    }

    /**
     * Records a container's new name ({@code docker rename}): network inspect and {@code --link}
     * entries name it so from now on. The name aardvark-dns answers on user-defined networks is the
     * one given to netavark at setup: it changes at the container's next start.
     */
    public synchronized void renamed(String containerId, String newName) {
        Attachment a = attachments.get(containerId);
        if (a != null && !a.containerName().equals(newName)) {
            saveAttachment(new Attachment(a.containerId(), newName, a.mode(), a.netnsPath(), a.ownsNetns(), a.endpoints(),
                    a.ports(), a.dnsServers()));
        }
    }

    public synchronized Optional<Attachment> attachment(String containerId) {
        return Optional.ofNullable(attachments.get(containerId));
    }

    public synchronized List<Attachment> attachments() {
        return List.copyOf(attachments.values());
    }

    /** Addresses currently allocated on a network, address to container id. */
    public synchronized Map<String, String> allocated(String idOrName) {
        return Map.copyOf(allocations.getOrDefault(get(idOrName).id(), Map.of()));
    }

    // ---------------------------------------------------------------- hosts and resolv.conf

    /** The {@code /etc/resolv.conf} content for an attached container. */
    public String resolvConf(Attachment a, List<String> dnsSearch, List<String> dnsOptions) {
        List<String> embedded = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        for (Endpoint e : a.endpoints()) {
            embedded.addAll(e.dnsServers());
            domains.addAll(e.dnsSearchDomains());
        }
        if (a.mode().equals("host") && a.dnsServers().isEmpty() && dnsSearch.isEmpty() && dnsOptions.isEmpty()) {
            try {
                return Files.readString(config.hostResolvConf());
            } catch (IOException e) {
                // fall through: generate one from nothing
            }
        }
        return ResolvConf.render(new ResolvConf.Spec(embedded.stream().distinct().toList(), a.dnsServers(), dnsSearch,
                dnsOptions, domains.stream().distinct().toList()), ResolvConf.readHost(config.hostResolvConf()));
    }

    /**
     * The {@code /etc/hosts} entry for {@code --link name:alias}: the linked container's address on
     * the default bridge, named by the alias, its name and its short id.
     */
    public synchronized HostsFile.Entry linkEntry(String linkedContainerId, String alias) {
        Attachment linked = attachments.get(linkedContainerId);
        Endpoint ep = linked == null ? null : linked.endpoint("bridge").orElse(null);
        if (ep == null) {
            throw new EngineException.InvalidArgument("cannot link to " + (linked == null ? linkedContainerId : linked.containerName())
                    + ": it is not running on the default bridge network");
        }
        List<String> names = new ArrayList<>();
        names.add(alias);
        String name = linked.containerName().startsWith("/") ? linked.containerName().substring(1) : linked.containerName();
        if (!name.equals(alias)) {
            names.add(name);
        }
        names.add(linked.containerId().substring(0, Math.min(12, linked.containerId().length())));
        return new HostsFile.Entry(ep.ipAddress(), names);
    }

    // ---------------------------------------------------------------- internals

    private Endpoint setupOne(Attachment a, Endpoint ep, List<PortMapping> ports) {
        Map<String, Netavark.Status> status = netavark.setup(Path.of(a.netnsPath()), options(a, ep, ports));
        NetworkRecord n = networks.get(ep.networkId());
        Netavark.Status s = status.get(n == null ? ep.network() : netavarkName(n));
        if (s == null) {
            throw new EngineException.Unavailable("netavark setup reported nothing for network " + ep.network());
        }
        return new Endpoint(ep.network(), ep.networkId(), ep.endpointId(), ep.interfaceName(), ep.ipAddress(),
                ep.prefixLength(), ep.gateway(), s.macAddress(), ep.aliases(), s.dnsServerIps(), s.dnsSearchDomains());
    }

    /**
     * The name netavark knows a network by: its id, not its Docker name. netavark 1.4 names its
     * firewall chains after the network name, so two engines on one host (each with a network called
     * {@code bridge}) would otherwise share chains and tear down each other's rules.
     */
    private static String netavarkName(NetworkRecord n) {
        return n.id();
    }

    /** netavark's network options document for one endpoint. */
    private Map<String, Object> options(Attachment a, Endpoint ep, List<PortMapping> ports) {
        NetworkRecord n = networks.get(ep.networkId());
        if (n == null) {
            throw new EngineException.FailedPrecondition("network " + ep.network() + " of container " + a.containerName() + " no longer exists");
        }
        Map<String, Object> net = new LinkedHashMap<>();
        net.put("interface_name", ep.interfaceName());
        net.put("static_ips", List.of(ep.ipAddress()));
        // Docker's MAC from the address (02:42 + the four octets): a reused address keeps its MAC, so
        // neighbours' ARP caches never point at a container that is gone
        net.put("static_mac", macOf(ep.ipAddress()));
        if (n.dnsEnabled()) {
            net.put("aliases", ep.aliases());
        }
        Map<String, Object> subnet = new LinkedHashMap<>();
        subnet.put("subnet", n.subnet());
        subnet.put("gateway", n.gateway());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", netavarkName(n));
        info.put("id", n.id());
        info.put("driver", "bridge");
        info.put("network_interface", n.bridge());
        info.put("subnets", List.of(subnet));
        info.put("ipv6_enabled", false);
        info.put("internal", n.internal());
        info.put("dns_enabled", n.dnsEnabled());
        info.put("ipam_options", Map.of("driver", "host-local"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("container_id", a.containerId());
        doc.put("container_name", a.containerName().startsWith("/") ? a.containerName().substring(1) : a.containerName());
        doc.put("networks", Map.of(netavarkName(n), net));
        doc.put("network_info", Map.of(netavarkName(n), info));
        if (!ports.isEmpty()) {
            doc.put("port_mappings", ports);
        }
        if (!a.dnsServers().isEmpty()) {
            doc.put("dns_servers", a.dnsServers());
        }
        return doc;
    }

    static String macOf(String ipv4) {
        long ip = Ipv4Subnet.parseAddress(ipv4, "address");
        return String.format("02:42:%02x:%02x:%02x:%02x", (ip >> 24) & 0xff, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
    }

    private List<PortMapping> resolvePorts(List<PortSpec> specs) {
        Set<String> taken = new HashSet<>();
        for (Attachment other : attachments.values()) {
            for (PortMapping m : other.ports()) {
                for (int i = 0; i < m.range(); i++) {
                    taken.add(m.protocol() + ":" + (m.hostPort() + i));
                }
            }
        }
        List<PortMapping> out = new ArrayList<>();
        for (PortSpec s : specs) {
            int count = s.containerEnd() - s.containerStart() + 1;
            int hostPort;
            if (s.hostStart() == 0) {
                for (int i = 0; i < count; i++) {
                    int p = freePort(s.hostIp(), s.protocol(), taken, 0, 0);
                    taken.add(s.protocol() + ":" + p);
                    out.add(PortMapping.of(s.hostIp(), p, s.containerStart() + i, s.protocol()));
                }
                continue;
            } else if (count == 1 && s.hostEnd() > s.hostStart()) {
                hostPort = freePort(s.hostIp(), s.protocol(), taken, s.hostStart(), s.hostEnd());
            } else {
                hostPort = s.hostStart();
                for (int i = 0; i < count; i++) {
                    if (taken.contains(s.protocol() + ":" + (hostPort + i))) {
                        throw new EngineException.Conflict("Bind for " + (s.hostIp().isEmpty() ? "0.0.0.0" : s.hostIp()) + ":"
                                + (hostPort + i) + " failed: port is already allocated");
                    }
                }
            }
            for (int i = 0; i < count; i++) {
                taken.add(s.protocol() + ":" + (hostPort + i));
            }
            out.add(new PortMapping(s.hostIp(), s.containerStart(), hostPort, count, s.protocol()));
        }
        return out;
    }

    /** A host port nobody listens on and no container publishes; 0/0 means any ephemeral port. */
    private static int freePort(String hostIp, String protocol, Set<String> taken, int from, int to) {
        try {
            InetAddress addr = InetAddress.getByName(hostIp.isEmpty() ? "0.0.0.0" : hostIp);
            if (from == 0) {
                for (int attempt = 0; attempt < 64; attempt++) {
                    int p = bindable(addr, protocol, 0);
                    if (p > 0 && !taken.contains(protocol + ":" + p)) {
                        return p;
                    }
                }
            } else {
                for (int p = from; p <= to; p++) {
                    if (!taken.contains(protocol + ":" + p) && bindable(addr, protocol, p) > 0) {
                        return p;
                    }
                }
            }
        } catch (IOException e) {
            throw new EngineException.InvalidArgument("cannot use host address " + hostIp + ": " + e.getMessage(), e);
        }
        throw new EngineException.Conflict(from == 0 ? "no free host port left for " + protocol
                : "Bind for " + (hostIp.isEmpty() ? "0.0.0.0" : hostIp) + ":" + from + "-" + to + " failed: no free port in range");
    }

    private static int bindable(InetAddress addr, String protocol, int port) {
        try {
            if (protocol.equals("udp")) {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(addr, port))) {
                    return s.getLocalPort();
                }
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(addr, port));
                return s.getLocalPort();
            }
        } catch (IOException e) {
            return -1;
        }
    }

    private long allocate(NetworkRecord n, String containerId, String staticIp) {
        Ipv4Subnet subnet = Ipv4Subnet.parse(n.subnet());
        Ipv4Subnet range = n.ipRange() == null ? subnet : Ipv4Subnet.parse(n.ipRange());
        long gateway = Ipv4Subnet.parseAddress(n.gateway(), "gateway");
        Map<String, String> used = allocations.computeIfAbsent(n.id(), k -> new TreeMap<>());
        long ip;
        if (staticIp != null && !staticIp.isEmpty()) {
            ip = Ipv4Subnet.parseAddress(staticIp, "--ip");
            if (!subnet.contains(ip) || ip == subnet.base() || ip == subnet.last()) {
                throw new EngineException.InvalidArgument("no configured subnet contains IP address " + staticIp
                        + " (network " + n.name() + " is " + n.subnet() + ")");
            }
            if (ip == gateway) {
                throw new EngineException.Conflict("Address already in use: " + staticIp + " is the gateway of network " + n.name());
            }
            String holder = used.get(staticIp);
            if (holder != null) {
                String who = Optional.ofNullable(attachments.get(holder)).map(Attachment::containerName).orElse(holder);
                throw new EngineException.Conflict("Address already in use: " + staticIp + " is held by container " + who
                        + " on network " + n.name());
            }
        } else {
            ip = -1;
            for (long c = range.base(); c <= range.last(); c++) {
                if (c == subnet.base() || c == subnet.last() || c == gateway || used.containsKey(Ipv4Subnet.format(c))) {
                    continue;
                }
                ip = c;
                break;
            }
            if (ip < 0) {
                throw new EngineException.Conflict("no available IPv4 addresses on network " + n.name() + " (" + (n.ipRange() == null ? n.subnet() : n.ipRange()) + ")");
            }
        }
        used.put(Ipv4Subnet.format(ip), containerId);
        saveAllocations(n.id());
        return ip;
    }

    private void release(String networkId, String ip) {
        Map<String, String> used = allocations.get(networkId);
        if (used != null && used.remove(ip) != null) {
            saveAllocations(networkId);
        }
    }

    private void releaseAll(String containerId) {
        for (var entry : allocations.entrySet()) {
            if (entry.getValue().values().removeIf(containerId::equals)) {
                saveAllocations(entry.getKey());
            }
        }
    }

    private List<Attachment> containersOn(NetworkRecord n) {
        return attachments.values().stream()
                .filter(a -> a.endpoints().stream().anyMatch(e -> e.networkId().equals(n.id()))
                        || (a.mode().equals(n.name()) && n.builtin() && !n.bridgeDriver()))
                .toList();
    }

    private NetworkInspect toInspect(NetworkRecord n) {
        Map<String, NetworkInspect.ContainerEndpoint> containers = new TreeMap<>();
        for (Attachment a : containersOn(n)) {
            Endpoint e = a.endpoints().stream().filter(x -> x.networkId().equals(n.id())).findFirst().orElse(null);
            String name = a.containerName().startsWith("/") ? a.containerName().substring(1) : a.containerName();
            containers.put(a.containerId(), e == null
                    ? new NetworkInspect.ContainerEndpoint(name, "", "", "", "")
                    : new NetworkInspect.ContainerEndpoint(name, e.endpointId(), e.macAddress() == null ? "" : e.macAddress(),
                    e.ipAddress() + "/" + e.prefixLength(), ""));
        }
        List<NetworkInspect.IpamConfig> ipam = n.subnet() == null ? List.of()
                : List.of(new NetworkInspect.IpamConfig(n.subnet(), n.gateway(), n.ipRange()));
        Map<String, String> options = new TreeMap<>(n.options());
        if (n.bridgeDriver()) {
            options.putIfAbsent("com.docker.network.bridge.name", n.bridge());
        }
        return new NetworkInspect(n.name(), n.id(), n.created().toString(), "local", n.driver(), false,
                new NetworkInspect.Ipam("default", Map.of(), ipam), n.internal(), !n.builtin(), false, false,
                containers, options, n.labels());
    }

    private NetworkRecord ensureDefaultBridge() {
        Optional<NetworkRecord> existing = findByName("bridge");
        if (existing.isPresent()) {
            return existing.get();
        }
        String subnet = config.defaultSubnet();
        if (subnet.equals(Config.DEFAULT_SUBNET)) {
            // not chosen by the user: like Docker, take the next free pool when another engine or
            // network on this host already routes the default one
            try {
                checkOverlap(Ipv4Subnet.parse(subnet), "bridge");
            } catch (EngineException.Conflict taken) {
                subnet = pickSubnet("10.87.", taken).toString();
            }
        }
        NetworkRecord rec = bridgeRecord("bridge", subnet, null, null, false, false, Map.of(),
                Map.of("com.docker.network.bridge.default_bridge", "true"), freeBridgeName(0));
        persist(rec);
        return rec;
    }

    private void ensureBuiltin(String name, String driver, String bridge) {
        if (findByName(name).isEmpty()) {
            persist(new NetworkRecord(name, randomHex(32), Instant.now(), driver, bridge, null, null, null, false, false,
                    Map.of(), Map.of()));
        }
    }

    private NetworkRecord bridgeRecord(String name, String subnetText, String gatewayText, String ipRangeText,
                                       boolean internal, boolean dns, Map<String, String> labels,
                                       Map<String, String> options, String bridge) {
        Ipv4Subnet subnet = subnetText == null || subnetText.isEmpty() ? pickSubnet() : Ipv4Subnet.parse(subnetText);
        if (subnet.prefix() > 30) {
            throw new EngineException.InvalidArgument("subnet " + subnet + " is too small: a network needs at least a /30");
        }
        checkOverlap(subnet, name);
        long gw;
        if (gatewayText == null || gatewayText.isEmpty()) {
            gw = subnet.at(1);
        } else {
            gw = Ipv4Subnet.parseAddress(gatewayText, "gateway");
            if (!subnet.contains(gw) || gw == subnet.base() || gw == subnet.last()) {
                throw new EngineException.InvalidArgument("gateway " + gatewayText + " is not a host address of subnet " + subnet);
            }
        }
        String ipRange = null;
        if (ipRangeText != null && !ipRangeText.isEmpty()) {
            Ipv4Subnet range = Ipv4Subnet.parse(ipRangeText);
            if (!subnet.contains(range)) {
                throw new EngineException.InvalidArgument("ip-range " + range + " is not inside subnet " + subnet);
            }
            ipRange = range.toString();
        }
        return new NetworkRecord(name, randomHex(32), Instant.now(), "bridge", bridge, subnet.toString(),
                Ipv4Subnet.format(gw), ipRange, internal, dns, labels, options);
    }

    private void checkOverlap(Ipv4Subnet subnet, String name) {
        for (NetworkRecord other : networks.values()) {
            if (other.subnet() != null && Ipv4Subnet.parse(other.subnet()).overlaps(subnet)) {
                throw new EngineException.Conflict("subnet " + subnet + " of network " + name + " overlaps with network "
                        + other.name() + " (" + other.subnet() + ")");
            }
        }
        Set<String> ownBridges = new HashSet<>();
        networks.values().forEach(n -> { if (n.bridge() != null) ownBridges.add(n.bridge()); });
        // the default bridge's interface is this engine's by name, even before its record exists (an engine
        // restarted on a fresh root while berth0 is still up must not refuse its own default network)
        ownBridges.add(config.interfacePrefix() + "0");
        for (HostRoutes.Route r : HostRoutes.read()) {
            if (!ownBridges.contains(r.iface()) && r.destination().overlaps(subnet)) {
                throw new EngineException.Conflict("subnet " + subnet + " of network " + name + " overlaps with the host route to "
                        + r.destination() + " on " + r.iface());
            }
        }
    }

    private Ipv4Subnet pickSubnet() {
        return pickSubnet("10.89.", null);
    }

    private Ipv4Subnet pickSubnet(String pool, EngineException.Conflict why) {
        for (int i = 0; i < 256; i++) {
            Ipv4Subnet candidate = Ipv4Subnet.parse(pool + i + ".0/24");
            try {
                checkOverlap(candidate, "(new)");
                return candidate;
            } catch (EngineException.Conflict ignored) {
                // taken: try the next one
            }
        }
        throw new EngineException.Conflict("no free subnet left in " + pool + "0.0/16" + (why == null ? ": give one with --subnet"
                : " (" + why.getMessage() + "): set default-bridge-subnet in the engine's config.json"));
    }

    private String nextBridgeName() {
        return freeBridgeName(1);
    }

    /**
     * The first {@code prefix + N} (from {@code first}) that no network of this engine uses and no
     * interface on the host has: another engine's bridge of the same name is never joined.
     */
    private String freeBridgeName(int first) {
        Set<String> used = new HashSet<>();
        networks.values().forEach(n -> { if (n.bridge() != null) used.add(n.bridge()); });
        for (int i = first; ; i++) {
            String name = config.interfacePrefix() + i;
            if (!used.contains(name) && !Files.exists(Path.of("/sys/class/net", name))) {
                return name;
            }
        }
    }

    private Optional<NetworkRecord> findByName(String name) {
        return networks.values().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** Docker's network event: the network id as actor, its name and driver type, and {@code extra}. */
    private void publish(String action, NetworkRecord n, Map<String, String> extra) {
        if (events != null) {
            Map<String, String> attrs = new HashMap<>(extra);
            attrs.put("name", n.name());
            attrs.put("type", n.driver() == null ? "null" : n.driver());
            events.publish(Event.of("network", action, n.id(), attrs));
        }
    }

    private void persist(NetworkRecord rec) {
        Json.write(config.stateDir().resolve(rec.id() + ".json"), rec);
        networks.put(rec.id(), rec);
    }

    /**
     * Once no container is on {@code n}: deletes the port-forwarding chain netavark 1.4 can leave
     * behind, empty ({@link PortForwardChains}). Only this network's chain, only if it holds no rule.
     */
    private void dropEmptyPortChain(NetworkRecord n) {
        if (n.bridgeDriver() && containersOn(n).isEmpty()) {
            PortForwardChains.removeIfEmpty(netavarkName(n));
        }
    }

    private void delete(NetworkRecord n) {
        dropEmptyPortChain(n); // one left by an engine that did not clean up yet
        try {
            Files.deleteIfExists(config.stateDir().resolve(n.id() + ".json"));
            Files.deleteIfExists(ipamDir.resolve(n.id() + ".json"));
            AtomicFiles.fsyncDirectory(config.stateDir());
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot remove network " + n.name() + ": " + e.getMessage(), e);
        }
        networks.remove(n.id());
        allocations.remove(n.id());
    }

    private void saveAllocations(String networkId) {
        Json.write(ipamDir.resolve(networkId + ".json"), new TreeMap<>(allocations.getOrDefault(networkId, Map.of())));
    }

    private void saveAttachment(Attachment a) {
        Json.write(attachmentsDir.resolve(a.containerId() + ".json"), a);
        attachments.put(a.containerId(), a);
    }

    private void deleteAttachment(String containerId) {
        try {
            Files.deleteIfExists(attachmentsDir.resolve(containerId + ".json"));
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot remove network record of " + containerId + ": " + e.getMessage(), e);
        }
        attachments.remove(containerId);
    }

    @SuppressWarnings("unchecked")
    private void load() {
        try {
            Files.createDirectories(config.stateDir());
            for (Path f : jsonFiles(config.stateDir())) {
                NetworkRecord rec = Json.read(f, NetworkRecord.class);
                networks.put(rec.id(), rec);
            }
            for (Path f : jsonFiles(ipamDir)) {
                String id = f.getFileName().toString().replace(".json", "");
                if (networks.containsKey(id)) {
                    allocations.put(id, new TreeMap<>(Json.read(f, Map.class)));
                }
            }
            for (Path f : jsonFiles(attachmentsDir)) {
                Attachment a = Json.read(f, Attachment.class);
                attachments.put(a.containerId(), a);
            }
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read network state under " + config.stateDir() + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> jsonFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    private static boolean anyMatch(List<String> values, java.util.function.Predicate<String> p) {
        return values == null || values.isEmpty() || values.stream().anyMatch(p);
    }

    private static boolean allMatch(List<String> values, java.util.function.Predicate<String> p) {
        return values == null || values.stream().allMatch(p);
    }

    private static boolean labelMatches(Map<String, String> labels, String filter) {
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return labels.containsKey(filter);
        }
        return filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
