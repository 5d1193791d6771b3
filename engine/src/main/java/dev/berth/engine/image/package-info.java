/**
 * Images as Docker users know them: references ({@code busybox} is
 * {@code docker.io/library/busybox:latest}), tags, image configs and history, and choosing the
 * platform from an index. {@link dev.berth.engine.image.Reference} is the one parser of image
 * names; every other package takes a parsed {@code Reference}, never a raw string.
 *
 * <p>Never here: network calls (that is {@code registry}), blob bytes on disk (that is
 * {@code content}), or unpacking layers (that is {@code layer}).
 */
package dev.berth.engine.image;
