package dev.berth.app.containers.details;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns the body of {@code GET /containers/{id}/logs} into lines. Without a TTY the engine sends
 * Docker's multiplexed stream: frames of an 8-byte header (stream 1 stdout or 2 stderr, three zero
 * bytes, a big-endian 32-bit length) and the payload; with a TTY the bytes come raw, all as stdout.
 * A line split over frames is joined; with {@code timestamps=1} each line starts with the
 * engine's timestamp and a space, which is split off.
 */
public final class LogDecoder {

    private final boolean multiplexed;
    private final boolean timestamps;
    private final Consumer<LogLine> sink;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    public LogDecoder(boolean multiplexed, boolean timestamps, Consumer<LogLine> sink) {
        this.multiplexed = multiplexed;
        this.timestamps = timestamps;
        this.sink = sink;
    }

    /** Reads {@code in} to its end (or until the reading thread is interrupted and the stream closed). */
    public void decode(InputStream in) throws IOException {
        if (!multiplexed) {
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) >= 0) {
                feed(LogLine.Stream.STDOUT, buf, 0, n);
            }
            finish();
            return;
        }
        byte[] header = new byte[8];
        while (true) {
            if (!readFully(in, header, 8)) {
                break;
            }
            int len = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            if (len < 0) {
                throw new IOException("bad log frame length " + len);
            }
            byte[] payload = new byte[len];
            if (!readFully(in, payload, len)) {
                throw new IOException("the log stream ended inside a frame of " + len + " bytes");
            }
            LogLine.Stream stream = header[0] == 2 ? LogLine.Stream.STDERR : LogLine.Stream.STDOUT;
            feed(stream, payload, 0, len);
        }
        finish();
    }

    /** Feeds bytes of one stream; complete lines go to the sink. */
    public void feed(LogLine.Stream stream, byte[] b, int off, int len) {
        ByteArrayOutputStream pending = stream == LogLine.Stream.STDERR ? err : out;
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                pending.write(b, start, i - start);
                emit(stream, pending);
                start = i + 1;
            }
        }
        pending.write(b, start, off + len - start);
    }

    /** Emits what is left without a final newline. */
    public void finish() {
        if (out.size() > 0) {
            emit(LogLine.Stream.STDOUT, out);
        }
        if (err.size() > 0) {
            emit(LogLine.Stream.STDERR, err);
        }
    }

    private void emit(LogLine.Stream stream, ByteArrayOutputStream pending) {
        String line = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        String ts = null;
        if (timestamps) {
            int space = line.indexOf(' ');
            if (space > 0 && Character.isDigit(line.charAt(0)) && line.charAt(Math.min(10, space - 1)) == 'T') {
                ts = line.substring(0, space);
                line = line.substring(space + 1);
            }
        }
        sink.accept(LogLine.of(stream, ts, line));
    }

    private static boolean readFully(InputStream in, byte[] b, int len) throws IOException {
        int got = 0;
        while (got < len) {
            int n = in.read(b, got, len - got);
            if (n < 0) {
                if (got == 0) {
                    return false;
                }
                throw new IOException("the log stream ended inside a frame header");
            }
            got += n;
        }
        return true;
    }
}
