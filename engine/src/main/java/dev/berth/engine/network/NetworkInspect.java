package dev.berth.engine.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** Docker's Network object ({@code GET /networks/{id}}), with Docker's field names. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NetworkInspect(@JsonProperty("Name") String name,
                             @JsonProperty("Id") String id,
                             @JsonProperty("Created") String created,
                             @JsonProperty("Scope") String scope,
                             @JsonProperty("Driver") String driver,
                             @JsonProperty("EnableIPv6") boolean enableIpv6,
                             @JsonProperty("IPAM") Ipam ipam,
                             @JsonProperty("Internal") boolean internal,
                             @JsonProperty("Attachable") boolean attachable,
                             @JsonProperty("Ingress") boolean ingress,
                             @JsonProperty("ConfigOnly") boolean configOnly,
                             @JsonProperty("Containers") Map<String, ContainerEndpoint> containers,
                             @JsonProperty("Options") Map<String, String> options,
                             @JsonProperty("Labels") Map<String, String> labels) {

    /** Docker's IPAM block. */
    public record Ipam(@JsonProperty("Driver") String driver,
                       @JsonProperty("Options") Map<String, String> options,
                       @JsonProperty("Config") List<IpamConfig> config) {}

    /** One IPAM pool; empty fields are left out as Docker does. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record IpamConfig(@JsonProperty("Subnet") String subnet,
                             @JsonProperty("Gateway") String gateway,
                             @JsonProperty("IPRange") String ipRange) {}

    /** A container attached to the network. */
    public record ContainerEndpoint(@JsonProperty("Name") String name,
                                    @JsonProperty("EndpointID") String endpointId,
                                    @JsonProperty("MacAddress") String macAddress,
                                    @JsonProperty("IPv4Address") String ipv4Address,
                                    @JsonProperty("IPv6Address") String ipv6Address) {}
}
