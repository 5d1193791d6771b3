package dev.berth.engine.registry;

/** Told how many bytes of a blob have moved so far, and the total when known (else -1). */
@FunctionalInterface
public interface BlobProgress {

    BlobProgress NONE = (soFar, total) -> { };

    void update(long bytesSoFar, long total);
}
