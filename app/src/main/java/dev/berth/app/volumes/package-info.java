/**
 * The Volumes pane: {@code VolumesView} bound to {@code VolumesViewModel}, which reaches the
 * engine only through {@code VolumesClient} (the Docker API's {@code /volumes}, the volume part
 * of {@code /system/df}, container mounts, and Berth's {@code /volumes/{name}/files}); create,
 * remove, prune, inspect, "used by", and a read-only file browser whose directories are read
 * when opened. The list follows {@code volume} and container events.
 * Never: engine calls from the view or on the FX thread; writing into a volume.
 */
package dev.berth.app.volumes;
