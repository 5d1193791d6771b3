/**
 * The volumes routes of the Docker Engine API ({@code /volumes}, {@code /volumes/create},
 * {@code /volumes/{name}}, {@code DELETE /volumes/{name}}, {@code /volumes/prune}) and Berth's
 * extension for the desktop app's volume browser, {@code GET /volumes/{name}/files?path=/sub}
 * (one directory's entries, read inside the volume without following links).
 *
 * <p>Reads and changes volumes only through {@link dev.berth.engine.api.volumes.VolumesBackend};
 * never opens a volume's files or metadata itself.
 */
package dev.berth.engine.api.volumes;
