package dev.berth.engine.network;

import java.util.List;

/**
 * Everything one container has from the network service, persisted under
 * {@code <root>/networks/attachments/<containerId>.json} so that teardown and recovery after
 * an engine restart can replay exactly what was set up.
 *
 * @param containerId the container id
 * @param containerName the container name (resolvable on user-defined networks)
 * @param mode {@code bridge} (endpoints through netavark), {@code host} or {@code none}
 * @param netnsPath the namespace the container must join; null for {@code host}
 * @param ownsNetns whether the engine created {@code netnsPath} and must remove it
 * @param endpoints one per joined network, the first carries the published ports
 * @param ports published ports with the host ports actually used
 * @param dnsServers the container's {@code --dns} servers (aardvark forwards other names to them)
 */
public record Attachment(String containerId, String containerName, String mode, String netnsPath, boolean ownsNetns,
                         List<Endpoint> endpoints, List<PortMapping> ports, List<String> dnsServers) {

    public Attachment {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        ports = ports == null ? List.of() : List.copyOf(ports);
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
    }

    /** The endpoint on {@code network} (name), if any. */
    public java.util.Optional<Endpoint> endpoint(String network) {
        return endpoints.stream().filter(e -> e.network().equals(network)).findFirst();
    }

    Attachment withEndpoints(List<Endpoint> newEndpoints) {
        return new Attachment(containerId, containerName, mode, netnsPath, ownsNetns, newEndpoints, ports, dnsServers);
    }
}
