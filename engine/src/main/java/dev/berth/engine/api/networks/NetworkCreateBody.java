package dev.berth.engine.api.networks;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.network.NetworkCreateRequest;

import java.util.List;
import java.util.Map;

/**
 * Docker's {@code POST /networks/create} body (API 1.47). Fields Berth has no use for
 * ({@code CheckDuplicate}: names are always unique; {@code Attachable}) are accepted and
 * ignored; what it cannot do is refused with the reason.
 */
public record NetworkCreateBody(@JsonProperty("Name") String name,
                                @JsonProperty("CheckDuplicate") Boolean checkDuplicate,
                                @JsonProperty("Driver") String driver,
                                @JsonProperty("Scope") String scope,
                                @JsonProperty("Internal") boolean internal,
                                @JsonProperty("Attachable") boolean attachable,
                                @JsonProperty("Ingress") boolean ingress,
                                @JsonProperty("ConfigOnly") boolean configOnly,
                                @JsonProperty("ConfigFrom") Map<String, String> configFrom,
                                @JsonProperty("EnableIPv6") Boolean enableIpv6,
                                @JsonProperty("EnableIPv4") Boolean enableIpv4,
                                @JsonProperty("IPAM") Ipam ipam,
                                @JsonProperty("Options") Map<String, String> options,
                                @JsonProperty("Labels") Map<String, String> labels) {

    /** Docker's IPAM block of the request. */
    public record Ipam(@JsonProperty("Driver") String driver,
                       @JsonProperty("Config") List<Pool> config,
                       @JsonProperty("Options") Map<String, String> options) {}

    /** One address pool. */
    public record Pool(@JsonProperty("Subnet") String subnet,
                       @JsonProperty("IPRange") String ipRange,
                       @JsonProperty("Gateway") String gateway,
                       @JsonProperty("AuxiliaryAddresses") Map<String, String> auxiliaryAddresses) {}

    /**
     * The engine's request.
     *
     * @throws EngineException.InvalidArgument for what Berth cannot do, naming it
     */
    public NetworkCreateRequest toRequest() {
        if (name == null || name.isBlank()) {
            throw new EngineException.InvalidArgument("a network needs a name (\"Name\" is empty)");
        }
        if (scope != null && !scope.isEmpty() && !scope.equals("local")) {
            throw new EngineException.InvalidArgument("network scope \"" + scope + "\" is not supported: Berth has local networks only");
        }
        if (ingress) {
            throw new EngineException.InvalidArgument("ingress networks are a swarm feature, which Berth does not have");
        }
        if (configOnly || (configFrom != null && !configFrom.isEmpty())) {
            throw new EngineException.InvalidArgument("config-only networks (--config-only, --config-from) are not supported");
        }
        if (Boolean.TRUE.equals(enableIpv6)) {
            throw new EngineException.InvalidArgument("IPv6 networks are not supported: Berth's networks are IPv4 only");
        }
        if (Boolean.FALSE.equals(enableIpv4)) {
            throw new EngineException.InvalidArgument("a network without IPv4 is not supported: Berth's networks are IPv4 only");
        }
        String subnet = null;
        String gateway = null;
        String ipRange = null;
        if (ipam != null) {
            if (ipam.driver() != null && !ipam.driver().isEmpty() && !ipam.driver().equals("default")) {
                throw new EngineException.InvalidArgument("IPAM driver \"" + ipam.driver() + "\" is not supported: only default");
            }
            List<Pool> pools = ipam.config() == null ? List.of() : ipam.config();
            if (pools.size() > 1) {
                throw new EngineException.InvalidArgument("a network has one IPv4 subnet in Berth; " + pools.size() + " were given");
            }
            if (!pools.isEmpty()) {
                Pool p = pools.getFirst();
                if (p.auxiliaryAddresses() != null && !p.auxiliaryAddresses().isEmpty()) {
                    throw new EngineException.InvalidArgument("auxiliary addresses (--aux-address) are not supported");
                }
                subnet = blankToNull(p.subnet());
                gateway = blankToNull(p.gateway());
                ipRange = blankToNull(p.ipRange());
                if (subnet == null && (gateway != null || ipRange != null)) {
                    throw new EngineException.InvalidArgument("a gateway or IP range needs a subnet (--subnet)");
                }
            }
        }
        return new NetworkCreateRequest(name, driver, subnet, gateway, ipRange, internal, labels, options);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
