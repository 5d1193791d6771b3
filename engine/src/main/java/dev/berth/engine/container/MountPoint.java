package dev.berth.engine.container;

/**
 * One mount of a container as {@code docker inspect} shows it (Docker's {@code MountPoint}).
 *
 * @param type        {@code bind}, {@code volume} or {@code tmpfs}
 * @param name        the volume's name, empty for other types
 * @param source      the host path (a volume's data directory), empty for tmpfs
 * @param destination the path inside the container
 * @param driver      {@code local} for volumes, empty otherwise
 * @param mode        the mode as given ({@code ro}, {@code z}, ...), may be empty
 * @param rw          whether it is writable
 * @param propagation {@code rprivate} etc. for binds, empty otherwise
 */
public record MountPoint(String type, String name, String source, String destination, String driver, String mode,
                         boolean rw, String propagation) {}
