package dev.berth.engine.container;

import dev.berth.engine.network.EndpointRequest;
import dev.berth.engine.network.PortSpec;
import dev.berth.engine.runtime.spec.RunSpec;
import dev.berth.engine.volume.MountSpec;

import java.util.List;
import java.util.Map;

/**
 * How the host runs the container (Docker's {@code HostConfig}); immutable after create except for
 * {@code networks}, which {@code docker network connect|disconnect} change.
 *
 * @param networkMode     {@code bridge}, {@code host}, {@code none}, {@code container:<id>} or a
 *                        user-defined network's name: the container's first network
 * @param networks        the bridge networks it joins at start, the first being {@code networkMode};
 *                        empty for {@code host}, {@code none} and {@code container:}
 * @param portBindings    {@code -p}, as given (host ports 0 are picked at start)
 * @param publishAllPorts {@code -P}: every exposed port onto a free host port
 * @param dns             {@code --dns}
 * @param dnsSearch       {@code --dns-search}
 * @param dnsOptions      {@code --dns-option}
 * @param extraHosts      {@code --add-host name:ip}
 * @param links           {@code --link} as {@code name:alias}: the linked container's current name (kept
 *                        current when it is renamed, as Docker keeps links by container) and the alias
 * @param binds           {@code -v} as given (Docker's {@code HostConfig.Binds}, shown by inspect)
 * @param volumesFrom     {@code --volumes-from} as given
 * @param mounts          every mount the container gets, resolved at create: anonymous volumes are
 *                        named, {@code --volumes-from} and the image's {@code VOLUME}s are included
 */
public record HostConfig(boolean autoRemove, RestartPolicy restartPolicy, boolean readOnlyRootfs, boolean privileged,
                         List<String> capAdd, List<String> capDrop, List<String> securityOpt,
                         List<RunSpec.Ulimit> ulimits, Map<String, String> tmpfs, RunSpec.Resources resources,
                         String networkMode, List<EndpointRequest> networks, List<PortSpec> portBindings,
                         boolean publishAllPorts, List<String> dns, List<String> dnsSearch, List<String> dnsOptions,
                         List<String> extraHosts, List<String> links, List<String> binds, List<String> volumesFrom,
                         List<MountSpec> mounts) {

    public HostConfig {
        restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
        securityOpt = securityOpt == null ? List.of() : List.copyOf(securityOpt);
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        tmpfs = tmpfs == null ? Map.of() : Map.copyOf(tmpfs);
        resources = resources == null ? RunSpec.Resources.NONE : resources;
        networkMode = networkMode == null ? "none" : networkMode;
        networks = networks == null ? List.of() : List.copyOf(networks);
        portBindings = portBindings == null ? List.of() : List.copyOf(portBindings);
        dns = dns == null ? List.of() : List.copyOf(dns);
        dnsSearch = dnsSearch == null ? List.of() : List.copyOf(dnsSearch);
        dnsOptions = dnsOptions == null ? List.of() : List.copyOf(dnsOptions);
        extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
        links = links == null ? List.of() : List.copyOf(links);
        binds = binds == null ? List.of() : List.copyOf(binds);
        volumesFrom = volumesFrom == null ? List.of() : List.copyOf(volumesFrom);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    /** Whether the container joins bridge networks through the network service. */
    public boolean bridged() {
        return !networkMode.equals("host") && !networkMode.equals("none") && !networkMode.startsWith("container:");
    }

    /** The same configuration with other {@code --link} entries (after a linked container's rename). */
    public HostConfig withLinks(List<String> l) {
        return new HostConfig(autoRemove, restartPolicy, readOnlyRootfs, privileged, capAdd, capDrop, securityOpt, ulimits,
                tmpfs, resources, networkMode, networks, portBindings, publishAllPorts, dns, dnsSearch, dnsOptions, extraHosts,
                l, binds, volumesFrom, mounts);
    }

    /** The same configuration with other bridge networks (after connect or disconnect). */
    public HostConfig withNetworks(List<EndpointRequest> n) {
        return new HostConfig(autoRemove, restartPolicy, readOnlyRootfs, privileged, capAdd, capDrop, securityOpt, ulimits,
                tmpfs, resources, networkMode, n, portBindings, publishAllPorts, dns, dnsSearch, dnsOptions, extraHosts,
                links, binds, volumesFrom, mounts);
    }
}
