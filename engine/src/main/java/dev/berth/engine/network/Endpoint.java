package dev.berth.engine.network;

import java.util.List;

/**
 * A container's connection to one network, as set up by netavark.
 *
 * @param network network name
 * @param networkId network id
 * @param endpointId 64 hex characters, Docker's EndpointID
 * @param interfaceName interface inside the container ({@code eth0}, {@code eth1}, ...)
 * @param ipAddress IPv4 address
 * @param prefixLength subnet prefix length
 * @param gateway gateway address
 * @param macAddress MAC address of the container side
 * @param aliases names given with {@code --network-alias} (and the short id on user-defined networks)
 * @param dnsServers the aardvark-dns addresses to put into resolv.conf (user-defined networks), else empty
 * @param dnsSearchDomains search domains netavark reports
 */
public record Endpoint(String network, String networkId, String endpointId, String interfaceName,
                       String ipAddress, int prefixLength, String gateway, String macAddress,
                       List<String> aliases, List<String> dnsServers, List<String> dnsSearchDomains) {

    public Endpoint {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
        dnsSearchDomains = dnsSearchDomains == null ? List.of() : List.copyOf(dnsSearchDomains);
    }
}
