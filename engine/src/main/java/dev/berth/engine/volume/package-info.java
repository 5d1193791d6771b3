/**
 * Volumes, in Docker's terms: named and anonymous volumes of the {@code local} driver under
 * {@code <root>/volumes/<name>/_data} with their metadata in {@code volume.json}; which
 * containers use each volume (persisted, so an engine restart still knows); tmpfs- and
 * bind-backed local volumes mounted while in use; the first-use copy of an image's content into
 * a new volume; and the parsers for {@code -v}, {@code --mount}, {@code --tmpfs} and
 * {@code --volumes-from} with Docker's error messages.
 *
 * <p>The container service drives it through explicit inputs ({@link
 * dev.berth.engine.volume.VolumeService#acquire}, {@link dev.berth.engine.volume.VolumeService#release},
 * {@link dev.berth.engine.volume.VolumeService#copyUp}, {@link dev.berth.engine.volume.VolumeAttacher});
 * it knows nothing of containers beyond their ids.
 *
 * <p>Must never: remove a volume that a container uses; follow a symbolic link out of an image's
 * root while copying it into a volume; delete through a mount (a bind-backed volume's host
 * directory is never touched by remove); write metadata other than atomically.
 */
package dev.berth.engine.volume;
