package dev.berth.engine.network;

import java.time.Instant;
import java.util.Map;

/**
 * A network as the engine persists it under {@code <root>/networks/<id>.json}.
 *
 * @param name the unique name ({@code bridge}, {@code host}, {@code none} are built in)
 * @param id 64 hex characters
 * @param created when it was created
 * @param driver {@code bridge}, {@code host} or {@code null}
 * @param bridge the Linux bridge interface ({@code berth0} for the default), null unless bridge
 * @param subnet the IPv4 subnet, null unless bridge
 * @param gateway the gateway address on the bridge
 * @param ipRange the sub-range addresses are allocated from, or null for the whole subnet
 * @param internal no route out of the host
 * @param dnsEnabled aardvark-dns answers names on this network (user-defined bridges)
 * @param labels user labels
 * @param options driver options
 */
public record NetworkRecord(String name, String id, Instant created, String driver, String bridge,
                            String subnet, String gateway, String ipRange, boolean internal,
                            boolean dnsEnabled, Map<String, String> labels, Map<String, String> options) {

    public NetworkRecord {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** {@code bridge}, {@code host} and {@code none}: made by the engine, never removed. */
    public boolean builtin() {
        return NetworkService.BUILTIN.contains(name);
    }

    public boolean bridgeDriver() {
        return "bridge".equals(driver);
    }
}
