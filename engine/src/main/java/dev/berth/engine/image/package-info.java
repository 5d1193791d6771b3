/**
 * Images as Docker users know them: references ({@code busybox} is
 * {@code docker.io/library/busybox:latest}), tags, image configs and history, and choosing the
 * platform from an index. {@link dev.berth.engine.image.Reference} is the one parser of image
 * names; every other package takes a parsed {@code Reference}, never a raw string.
 *
 * <p>{@link dev.berth.engine.image.LocalImageService} is the engine's {@link
 * dev.berth.engine.image.ImageService}: it orchestrates the registry client, the content store
 * and the snapshotter for pull, push, rmi with garbage collection, inspect, history, images,
 * prune, df, search and login. How many containers use an image comes in through the {@link
 * dev.berth.engine.image.ContainerUsage} seam.
 *
 * <p>Layer blobs and unpacked layers are kept apart: a chain can be unpacked while the content store
 * lacks the blob an image's manifest names for it ({@code docker load} stores the archive's
 * uncompressed tars; a collection can take a blob whose chain another image still uses). What push
 * and save need is the layer's bytes, so: a pull skips a layer only when both its chain and that
 * exact blob are there, and otherwise fetches the blob alone (digest and DiffID verified, not
 * unpacked again); a push of an image that still lacks one regenerates it, as Docker does, from the
 * uncompressed tar ({@link dev.berth.engine.image.LayerTars}: stored under the DiffID, or diffed out
 * of the snapshot and kept only if it hashes to the DiffID), gzip-compressed under its new digest,
 * and rewrites the manifest to name it before the image record is updated in one atomic write (new
 * blobs are committed and pinned first, so a crash leaves only unreferenced blobs for the next
 * collection, and every pushed digest is one the store verified). Where nothing reproduces the DiffID
 * (a layer another tool wrote, whose blob is gone), push and save refuse with an error naming the
 * image and the layer rather than send a layer that contradicts the image config.
 *
 * <p>Never here: the distribution protocol (that is {@code registry}; the only HTTP call made
 * here is Docker Hub's v1 search API, which is not part of it), blob files on disk (that is
 * {@code content}), or tar handling (that is {@code layer}). Never: a blob stored before its
 * digest was verified, a layer committed before its DiffID matched, or a layer or blob deleted
 * while an image or a pull in progress references it.
 */
package dev.berth.engine.image;
