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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One layer blob as the extractor reads it: first the bytes an earlier, interrupted pull left in
 * the ingest, then the rest from the registry, requested from that offset with a Range header and
 * written into the ingest as it passes (a tee).
 *
 * <p>Two stages, so one layer keeps two cores busy: a download thread reads the registry, writes
 * and hashes each chunk into the ingest, and hands it on through a short queue (at most
 * {@value #QUEUED} chunks of {@value #CHUNK} bytes); the extractor decompresses, hashes the DiffID
 * and writes files from it on its own thread. The compressed bytes are hashed once, by the ingest's
 * writer (which had hashed the resumed prefix when it opened): the registry stream checks only the
 * size, and the download thread compares the writer's digest with the blob's before it hands on the
 * end of the stream, so the extractor never sees the end of a blob that is not the one asked for.
 * A failure of the download reaches the extractor as the exception the download met.
 *
 * <p>Closing it waits for the rest of the blob (read and written on, so the blob is always verified
 * whole) unless the reading thread was interrupted or the download failed; it returns only once the
 * download thread has stopped, so the caller owns the writer again. A verification failure is kept
 * for the caller to report by digest.
 */
final class LayerDownload extends InputStream {

    static final int CHUNK = 256 * 1024;
    static final int QUEUED = 8;

    /** Bytes handed from the download thread to the reader. */
    private record Chunk(byte[] bytes, int length) {}

    /** What ended the download: the end of a verified blob ({@code failure == null}) or a failure. */
    private record End(Throwable failure) {}

    private final Writer writer;
    private final RegistryClient registry;
    private final RegistryRepository repo;
    private final Digest digest;
    private final long size;
    private final BlobProgress progress;
    private final long resumedAt;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED);
    private final BlockingQueue<byte[]> spare = new ArrayBlockingQueue<>(QUEUED + 2);
    private Thread downloader;
    private Chunk current;
    private int position;
    private End end;
    private volatile boolean finished;
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
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("download of blob " + digest + " cancelled");
        }
        if (current == null && !next()) {
            return -1;
        }
        int n = Math.min(len, current.length() - position);
        System.arraycopy(current.bytes(), position, b, off, n);
        position += n;
        if (position == current.length()) {
            spare.offer(current.bytes());
            current = null;
        }
        return n;
    }

    /**
     * Takes the next chunk into {@code current}; false at the end of the blob. Throws the download's
     * failure (once: later calls see the end), or InterruptedIOException when this thread is interrupted.
     */
    private boolean next() throws IOException {
        if (end != null) {
            return false;
        }
        if (downloader == null) {
            downloader = Thread.ofVirtual().name("pull-" + digest.shortId()).start(this::download);
        }
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download of blob " + digest + " cancelled");
        }
        if (item instanceof Chunk c) {
            current = c;
            position = 0;
            return true;
        }
        end = (End) item;
        Throwable failure = end.failure();
        if (failure == null) {
            return false;
        }
        switch (failure) {
            case IOException io -> throw io;
            case RuntimeException re -> throw re;
            case Error err -> throw err;
            default -> throw new IOException(failure.getMessage(), failure);
        }
    }

    /** The download thread: the resumed prefix, then the registry's bytes into the ingest, then the verdict. */
    private void download() {
        Throwable failure = null;
        try {
            if (resumedAt > 0) {
                long read = 0;
                try (InputStream prefix = writer.openWritten()) {
                    int n;
                    do {
                        byte[] buf = buffer();
                        n = prefix.readNBytes(buf, 0, buf.length);
                        if (n > 0) {
                            read += n;
                            hand(new Chunk(buf, n));
                        }
                    } while (n == CHUNK);
                }
                if (read != resumedAt) {
                    throw new IOException("the partial download of blob " + digest + " shrank from " + resumedAt
                            + " to " + read + " bytes while it was read back");
                }
            }
            try (InputStream remote = registry.openBlobUnverified(repo, digest, size, resumedAt, progress)) {
                int n;
                do {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("download of blob " + digest + " cancelled");
                    }
                    byte[] buf = buffer();
                    try {
                        n = remote.readNBytes(buf, 0, buf.length);
                    } catch (BlobVerificationException e) {
                        verificationFailure = e;
                        throw e;
                    }
                    if (n > 0) {
                        writer.write(buf, 0, n);
                        hand(new Chunk(buf, n));
                    }
                } while (n == CHUNK);
            }
            Digest actual = writer.digest();
            if (!actual.equals(digest)) {
                verificationFailure = BlobVerificationException.digestMismatch(digest, actual);
                throw verificationFailure;
            }
            finished = true;
        } catch (InterruptedException e) {
            failure = new InterruptedIOException("download of blob " + digest + " cancelled");
        } catch (Throwable t) {
            failure = t;
        }
        // the reader takes every item until the end, or interrupts this thread before it stops taking
        try {
            queue.put(new End(failure));
        } catch (InterruptedException e) {
            // nobody reads any more
        }
    }

    private byte[] buffer() {
        byte[] b = spare.poll();
        return b != null ? b : new byte[CHUNK];
    }

    private void hand(Chunk c) throws InterruptedException {
        queue.put(c);
    }

    /**
     * Reads to the end (so the whole blob is written and verified) unless this thread was interrupted
     * or the download failed; then stops the download thread and waits for it.
     */
    @Override
    public void close() throws IOException {
        IOException drainFailure = null;
        try {
            if (end == null && downloader != null && verificationFailure == null
                    && !Thread.currentThread().isInterrupted()) {
                try {
                    current = null;
                    while (next()) {
                        spare.offer(current.bytes());
                        current = null;
                    }
                } catch (IOException e) {
                    drainFailure = e;
                }
            }
        } finally {
            current = null;
            stopDownloader();
        }
        if (drainFailure != null) {
            throw drainFailure;
        }
    }

    private void stopDownloader() {
        if (downloader == null) {
            return;
        }
        if (end == null) {
            downloader.interrupt();
        }
        boolean interrupted = Thread.interrupted();
        try {
            while (downloader.isAlive()) {
                queue.clear(); // unblocks a download thread waiting to hand on a chunk or its end
                try {
                    downloader.join(50);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (end == null && downloader.isAlive()) {
                    downloader.interrupt(); // in case a read swallowed the first interrupt
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
