package dev.berth.engine.api.containers;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes container output to a client: Docker's multiplexed stream for a container without a
 * TTY (each frame an 8-byte header {@code [stream, 0, 0, 0, size as big-endian uint32]} then
 * the bytes; stream 0 stdin, 1 stdout, 2 stderr), or the bytes as they are with a TTY.
 * Writes are serialized, so stdout and stderr pumps may share one instance.
 */
public final class StdFrames {

    public static final int STDOUT = 1;
    public static final int STDERR = 2;

    /** The content type of a multiplexed body (API 1.42 and later). */
    public static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";
    /** The content type of a raw (TTY) body. */
    public static final String RAW = "application/vnd.docker.raw-stream";

    private final OutputStream out;
    private final boolean raw;

    public StdFrames(OutputStream out, boolean raw) {
        this.out = out;
        this.raw = raw;
    }

    public boolean raw() {
        return raw;
    }

    /** Writes {@code len} bytes of {@code stream} (1 stdout, 2 stderr). */
    public synchronized void write(int stream, byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        if (raw) {
            out.write(b, off, len);
            return;
        }
        byte[] frame = new byte[8 + len];
        frame[0] = (byte) stream;
        frame[4] = (byte) (len >>> 24);
        frame[5] = (byte) (len >>> 16);
        frame[6] = (byte) (len >>> 8);
        frame[7] = (byte) len;
        System.arraycopy(b, off, frame, 8, len);
        out.write(frame);
    }

    public void write(int stream, byte[] b) throws IOException {
        write(stream, b, 0, b.length);
    }
}
