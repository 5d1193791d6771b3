package dev.berth.app.containers;

/**
 * One entry of a container's {@code Ports} in {@code /containers/json}: a container port and,
 * when published, the host address and port it is reachable on.
 *
 * @param ip          the host address ({@code 0.0.0.0}, {@code 127.0.0.1}, ...), empty when not published
 * @param privatePort the port inside the container
 * @param publicPort  the host port, 0 when not published
 * @param type        {@code tcp}, {@code udp} or {@code sctp}
 */
public record PublishedPort(String ip, int privatePort, int publicPort, String type) {

    public PublishedPort {
        ip = ip == null ? "" : ip;
        type = type == null || type.isBlank() ? "tcp" : type;
    }

    /** As {@code docker ps} writes it: {@code 127.0.0.1:8080->80/tcp}, or {@code 80/tcp} when not published. */
    @Override
    public String toString() {
        if (publicPort == 0) {
            return privatePort + "/" + type;
        }
        String host = ip.isEmpty() ? "" : (ip.contains(":") ? "[" + ip + "]" : ip) + ":";
        return host + publicPort + "->" + privatePort + "/" + type;
    }
}
