/**
 * Image archives: {@code docker save} (an archive that is both Docker's {@code manifest.json}
 * layout and an OCI image layout, with uncompressed layers named by their DiffIDs),
 * {@code docker load} (that format, Docker's older {@code <id>/layer.tar} layout, and plain OCI
 * layout tars) and {@code docker import} (a rootfs tar as a one-layer image, with Dockerfile-style
 * {@code --change} instructions). {@link dev.berth.engine.image.archive.ImageArchives} is the one
 * entry point; the image service delegates to it.
 *
 * <p>Must never: write anything named by an archive entry to the file system (entries go into the
 * content store's ingest area, keyed by digest, or stay in memory when small); follow an entry,
 * link or {@code manifest.json} path outside the archive; keep a blob whose bytes do not match its
 * digest; hold a layer in memory.
 */
package dev.berth.engine.image.archive;
