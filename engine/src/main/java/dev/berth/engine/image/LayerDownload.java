package dev.berth.engine.image;

import dev.berth.engine.content.Writer;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.registry.BlobProgress;
import dev.berth.engine.registry.BlobVerificationException;
import dev.berth.engine.registry.RegistryClient;
import dev.berth.engine.registry.RegistryRepository;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * One layer blob as the extractor reads it: first the bytes an earlier, interrupted pull left in
 * the ingest, then the rest from the registry, requested from that offset with a Range header and
 * written into the ingest as it passes (a tee). The compressed bytes are hashed once, by the
 * ingest's writer (which had hashed the resumed prefix when it opened): the registry stream checks
 * only the size, and at its end this compares the writer's digest with the blob's, so the extractor
 * never sees the end of a blob that is not the one asked for. Closing it reads what the extractor
 * left unread, so the blob is always verified whole; a verification failure is kept for the caller
 * to report by digest.
 */
final class LayerDownload extends InputStream {

    private final Writer writer;
    private final RegistryClient registry;
    private final RegistryRepository repo;
    private final Digest digest;
    private final long size;
    private final BlobProgress progress;
    private final long resumedAt;
    private InputStream prefix;
    private long prefixRead;
    private InputStream remote;
    private boolean finished;
    private volatile BlobVerificationException verificationFailure;

    LayerDownload(Writer writer, RegistryClient registry, RegistryRepository repo, Digest digest, long size,
                  BlobProgress progress) {
        this.writer = writer;
        this.registry = registry;
        this.repo = repo;
        this.digest = digest;
        this.size = size;
        this.progress = progress;
        this.resumedAt = writer.offset();
        this.prefix = resumedAt > 0 ? writer.openWritten() : null;
    }

    /** Bytes the ingest already had when this download started (0 for a fresh one). */
    long resumedAt() {
        return resumedAt;
    }

    /** Whether the whole blob went through and verified. */
    boolean finished() {
        return finished;
    }

    /** The blob's digest or size was wrong, or null. */
    BlobVerificationException verificationFailure() {
        return verificationFailure;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (prefix != null) {
            int n = prefix.read(b, off, len);
            if (n > 0) {
                prefixRead += n;
                return n;
            }
            prefix.close();
            prefix = null;
            if (prefixRead != resumedAt) {
                throw new IOException("the partial download of blob " + digest + " shrank from " + resumedAt
                        + " to " + prefixRead + " bytes while it was read back");
            }
        }
        if (finished) {
            return -1;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("download of blob " + digest + " cancelled");
        }
        if (remote == null) {
            remote = registry.openBlobUnverified(repo, digest, size, resumedAt, progress);
        }
        int n;
        try {
            n = remote.read(b, off, len);
        } catch (BlobVerificationException e) {
            verificationFailure = e;
            throw e;
        }
        if (n < 0) {
            Digest actual = writer.digest();
            if (!actual.equals(digest)) {
                verificationFailure = BlobVerificationException.digestMismatch(digest, actual);
                throw verificationFailure;
            }
            finished = true;
            return -1;
        }
        writer.write(b, off, n);
        return n;
    }

    /** Reads to the end (verifying the blob) unless cancelled, then releases the connection. */
    @Override
    public void close() throws IOException {
        try {
            if (!finished && verificationFailure == null && !Thread.currentThread().isInterrupted()) {
                byte[] buf = new byte[1 << 16];
                while (read(buf, 0, buf.length) >= 0) {
                    // draining: the extractor stopped early (end of tar, or it failed)
                }
            }
        } finally {
            if (prefix != null) {
                prefix.close();
            }
            if (remote != null) {
                remote.close();
            }
        }
    }
}
