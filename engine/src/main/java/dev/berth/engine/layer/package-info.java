/**
 * Layers as tar streams, in both directions. {@link dev.berth.engine.layer.LayerApplier} unpacks a
 * gzip, zstd or plain layer into one empty snapshot directory in overlayfs form (whiteouts as
 * 0/0 character devices, opaque directories as {@code trusted.overlay.opaque=y}) and computes
 * its DiffID in the same pass; {@link dev.berth.engine.layer.Changeset} turns an overlay upper
 * directory back into a layer tar and a {@code docker diff} listing.
 *
 * <p>Must never: write, create, chmod, chown or link anything outside the snapshot directory
 * (paths are cleaned lexically and parents checked with no-follow semantics by
 * {@link dev.berth.engine.fs.RootedPath}, a symbolic link is
 * stored but never followed); buffer a whole layer in memory; accept a truncated or corrupt
 * stream silently. A refused layer leaves a partial directory that the caller discards. This
 * package knows nothing of snapshots, images or registries.
 */
package dev.berth.engine.layer;
