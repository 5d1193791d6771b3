package dev.berth.engine.network;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One published port (or a contiguous range of {@code range} ports) in netavark's words:
 * {@code hostIp:hostPort -> containerPort/protocol}. An empty {@code hostIp} means every
 * host address. A {@code hostPort} of 0 asks the engine to pick a free port at attach time.
 */
public record PortMapping(@JsonProperty("host_ip") String hostIp,
                          @JsonProperty("container_port") int containerPort,
                          @JsonProperty("host_port") int hostPort,
                          @JsonProperty("range") int range,
                          @JsonProperty("protocol") String protocol) {

    public PortMapping {
        hostIp = hostIp == null ? "" : hostIp;
        protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol;
        range = Math.max(1, range);
    }

    public static PortMapping of(String hostIp, int hostPort, int containerPort, String protocol) {
        return new PortMapping(hostIp, containerPort, hostPort, 1, protocol);
    }

    /** Docker's key for this mapping's first port, e.g. {@code 8080/tcp}. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String containerKey() {
        return containerPort + "/" + protocol;
    }

    /** Docker's {@code docker port} line, e.g. {@code 8080/tcp -> 127.0.0.1:18080}. */
    @Override
    public String toString() {
        String p = range == 1 ? String.valueOf(containerPort) : containerPort + "-" + (containerPort + range - 1);
        String h = range == 1 ? String.valueOf(hostPort) : hostPort + "-" + (hostPort + range - 1);
        return p + "/" + protocol + " -> " + (hostIp.isEmpty() ? "0.0.0.0" : hostIp) + ":" + h;
    }
}
