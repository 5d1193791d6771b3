package dev.berth.engine.network;

import java.util.Map;

/**
 * What {@code docker network create} asks for. Null fields take the engine's defaults: a free
 * {@code 10.89.N.0/24}, its first address as gateway, the whole subnet for allocation.
 *
 * @param name the network name
 * @param driver only {@code bridge} (or null) is supported
 * @param subnet IPv4 CIDR or null
 * @param gateway an address in the subnet or null
 * @param ipRange a CIDR inside the subnet that container addresses are taken from, or null
 * @param internal no outside access
 * @param labels labels
 * @param options driver options (kept and shown)
 */
public record NetworkCreateRequest(String name, String driver, String subnet, String gateway, String ipRange,
                                   boolean internal, Map<String, String> labels, Map<String, String> options) {

    public static NetworkCreateRequest named(String name) {
        return new NetworkCreateRequest(name, null, null, null, null, false, Map.of(), Map.of());
    }

    public static NetworkCreateRequest withSubnet(String name, String subnet) {
        return new NetworkCreateRequest(name, null, subnet, null, null, false, Map.of(), Map.of());
    }
}
