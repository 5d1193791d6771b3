package dev.berth.engine.layer;

import dev.berth.engine.oci.Digest;

/**
 * What applying a layer produced.
 *
 * @param diffId sha256 of the uncompressed tar stream (the image config's {@code rootfs.diff_ids} entry)
 * @param size bytes of the uncompressed tar stream
 * @param compressedSize bytes read from the blob as given
 * @param compression how the blob was compressed
 * @param entries how many tar entries were applied (whiteouts included)
 */
public record ApplyResult(Digest diffId, long size, long compressedSize, Compression compression, long entries) {}
