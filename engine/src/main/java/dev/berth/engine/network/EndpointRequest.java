package dev.berth.engine.network;

import java.util.List;

/**
 * One network a container joins: {@code --network NAME --network-alias A --ip X}.
 *
 * @param network network name or id
 * @param aliases extra names resolvable on that network (user-defined networks)
 * @param staticIp the requested IPv4 address, or null to allocate one
 */
public record EndpointRequest(String network, List<String> aliases, String staticIp) {

    public EndpointRequest {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    public static EndpointRequest of(String network) {
        return new EndpointRequest(network, List.of(), null);
    }
}
