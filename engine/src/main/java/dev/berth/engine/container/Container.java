package dev.berth.engine.container;

import dev.berth.engine.events.Event;
import dev.berth.engine.oci.Digest;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One container: its immutable configuration and its current state. Saved as two files under
 * {@code <root>/containers/<id>/}: {@code config.json} (everything but the state; rewritten only
 * by rename) and {@code state.json}.
 *
 * @param id          64 hex characters
 * @param name        unique name, without Docker's leading slash ({@link #dockerName()} has it)
 * @param imageName   the image as the user named it
 * @param imageId     the image's id (config digest)
 * @param snapshotKey the container's writable overlay snapshot
 */
public record Container(String id, String name, Instant created, String imageName, Digest imageId,
                        ContainerConfig config, HostConfig hostConfig, Paths paths, String snapshotKey,
                        ContainerState state) {

    /**
     * Where the container's files are.
     *
     * @param dir    the container's directory
     * @param bundle the OCI bundle (runtime config and conmon's files)
     * @param rootfs where the snapshot is mounted while the container runs
     * @param log    the k8s-file log conmon writes
     */
    public record Paths(Path dir, Path bundle, Path rootfs, Path log) {}

    /** Docker's name, with a leading slash. */
    public String dockerName() {
        return "/" + name;
    }

    /** The first 12 characters of the id. */
    public String shortId() {
        return id.substring(0, 12);
    }

    public Container withState(ContainerState s) {
        return new Container(id, name, created, imageName, imageId, config, hostConfig, paths, snapshotKey, s);
    }

    public Container withHostConfig(HostConfig h) {
        return new Container(id, name, created, imageName, imageId, config, h, paths, snapshotKey, state);
    }

    public Container withName(String n) {
        return new Container(id, n, created, imageName, imageId, config, hostConfig, paths, snapshotKey, state);
    }

    /** A container event as Docker sends it: the container's labels, name and image, then {@code extra}. */
    public Event event(String action, Map<String, String> extra) {
        Map<String, String> attrs = new LinkedHashMap<>(config.labels());
        attrs.put("name", name);
        attrs.put("image", imageName);
        attrs.putAll(extra);
        return Event.of("container", action, id, attrs);
    }
}
