package dev.berth.engine.registry;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Optional;

/** A registry's reply as an endpoint sees it: status, headers, the body stream and where it came from. */
record Response(int status, HttpHeaders headers, InputStream body, URI uri) implements Closeable {

    Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** Content-Length, or -1. */
    long contentLength() {
        return headers.firstValueAsLong("Content-Length").orElse(-1);
    }

    /** Reads the whole body, refusing more than {@code max} bytes (returns null then). */
    byte[] readBody(int max) throws IOException {
        byte[] bytes = body.readNBytes(max + 1);
        if (bytes.length > max) {
            return null;
        }
        return bytes;
    }

    /** Reads and discards what is left (up to a limit) so the connection can be reused, then closes. */
    @Override
    public void close() {
        try (InputStream in = body) {
            byte[] sink = new byte[8192];
            long left = 64 * 1024;
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException e) {
            // the connection is dropped instead of reused; nothing else to do
        }
    }
}
