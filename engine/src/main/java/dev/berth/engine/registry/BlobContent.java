package dev.berth.engine.registry;

import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of a blob to push, re-openable so an upload can be retried or sent in chunks. Each
 * call returns a fresh stream from the first byte; the client closes it.
 */
@FunctionalInterface
public interface BlobContent {

    InputStream open() throws IOException;

    static BlobContent of(byte[] bytes) {
        return () -> new java.io.ByteArrayInputStream(bytes);
    }

    static BlobContent of(java.nio.file.Path file) {
        return () -> java.nio.file.Files.newInputStream(file);
    }
}
