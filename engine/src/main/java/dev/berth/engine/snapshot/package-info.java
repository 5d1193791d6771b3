/**
 * Snapshots, in containerd's shape: {@link dev.berth.engine.snapshot.Snapshotter} (prepare, view,
 * commit, mounts, stat, usage, walk, remove, cleanup), its overlayfs implementation, the
 * {@link dev.berth.engine.snapshot.Mounter} that mounts and unmounts them with mount(2), chain IDs,
 * and the {@link dev.berth.engine.snapshot.Unpacker} that unpacks each layer once into a
 * snapshot shared by every image that has it.
 *
 * <p>Must never: report a snapshot as committed before its content is on disk; delete a
 * snapshot that another snapshot builds on or that is mounted; leave a mount behind it made;
 * hand callers directories instead of mounts (except the writable dir an unpacker fills).
 * It knows nothing of images, registries or containers.
 */
package dev.berth.engine.snapshot;
