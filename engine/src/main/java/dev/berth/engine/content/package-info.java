/**
 * The content-addressed blob store (containerd's model): manifests, configs and layer blobs
 * stored by digest under {@code blobs/<algorithm>/<hex>}, written through resumable ingests
 * under {@code ingest/}, verified against the expected size and digest <em>before</em> they
 * become visible, and garbage-collected by reference from roots the image store names.
 *
 * <p>{@link dev.berth.engine.content.ContentStore} is the whole seam, split into a reader, an
 * ingester and a manager; {@link dev.berth.engine.content.FilesystemContentStore} is the one
 * implementation. Never here: knowing what a blob means (manifests are parsed by
 * {@code image}), network I/O, or a blob file under a digest name whose bytes do not hash to it.
 */
package dev.berth.engine.content;
