package dev.berth.engine.content;

import dev.berth.engine.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams one blob into an ingest while hashing it. Nothing is visible under a digest name
 * until {@link #commit} has checked size and digest. {@link #close()} without a commit keeps
 * the bytes so a later writer for the same ref can resume at {@link #offset()}.
 */
public interface Writer extends AutoCloseable {

    /** The ingest's name. */
    String ref();

    /** Bytes written so far (where a resumed download continues, e.g. with a Range request). */
    long offset();

    /** Appends bytes and hashes them. */
    void write(byte[] b, int off, int len);

    default void write(byte[] b) {
        write(b, 0, b.length);
    }

    /**
     * Cuts the ingest back to {@code size} bytes (0 restarts it, e.g. when a server ignored a
     * Range request) and re-hashes what is kept.
     */
    void truncate(long size);

    /**
     * Reads back the bytes written so far (a resumed ingest's prefix), e.g. to feed them to a
     * consumer that must see the blob from its first byte. The caller closes the stream; it must
     * not write meanwhile.
     */
    InputStream openWritten();

    /** The digest of the bytes written so far. */
    Digest digest();

    /**
     * Verifies the bytes and makes them the blob {@code expected}: checks the size (when
     * {@code size >= 0}) and the digest (when {@code expected} is given; else the one announced
     * when the writer was opened, if any), syncs the data, then renames it into place
     * atomically. If the blob already exists the ingest is simply dropped. On a mismatch the
     * ingest's bytes are deleted and nothing appears under any digest name.
     *
     * @return the digest the blob is stored under
     * @throws dev.berth.engine.errors.EngineException.InvalidArgument on a size or digest mismatch,
     *         naming the expected and the actual values
     */
    Digest commit(long size, Digest expected);

    /** Releases the ref; uncommitted bytes stay for a later resume. Idempotent. */
    @Override
    void close();

    /** An OutputStream view for {@code in.transferTo(...)}; closing it does not close the writer. */
    default OutputStream asOutputStream() {
        Writer w = this;
        return new OutputStream() {
            @Override
            public void write(int b) {
                w.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                w.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                // the writer is committed or closed by its owner
            }
        };
    }
}
