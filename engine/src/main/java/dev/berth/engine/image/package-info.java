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
 * <p>Never here: the distribution protocol (that is {@code registry}; the only HTTP call made
 * here is Docker Hub's v1 search API, which is not part of it), blob files on disk (that is
 * {@code content}), or tar handling (that is {@code layer}). Never: a blob stored before its
 * digest was verified, a layer committed before its DiffID matched, or a layer or blob deleted
 * while an image or a pull in progress references it.
 */
package dev.berth.engine.image;
