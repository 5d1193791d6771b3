package dev.berth.engine.content;

import dev.berth.engine.oci.Digest;

import java.time.Instant;

/** A committed blob: its digest, size in bytes and when it was committed. */
public record Info(Digest digest, long size, Instant created) {
}
