package dev.berth.engine.content;

import dev.berth.engine.oci.Digest;

import java.io.InputStream;
import java.nio.file.Path;

/** Reads committed blobs. Every blob's bytes hash to its digest. */
public interface ContentReader {

    /** Whether the blob is committed. */
    boolean exists(Digest digest);

    /**
     * Size and commit time of a blob.
     *
     * @throws dev.berth.engine.errors.EngineException.NotFound when there is no such blob
     */
    Info info(Digest digest);

    /**
     * Opens the blob for reading; the caller closes the stream.
     *
     * @throws dev.berth.engine.errors.EngineException.NotFound when there is no such blob
     */
    InputStream open(Digest digest);

    /**
     * The blob's read-only file, for readers that want zero-copy access (sendfile, mmap).
     * Never write to it.
     *
     * @throws dev.berth.engine.errors.EngineException.NotFound when there is no such blob
     */
    Path path(Digest digest);
}
