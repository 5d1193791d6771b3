package dev.berth.engine.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A streaming response body ({@code Transfer-Encoding: chunked}), from
 * {@link Exchange#stream(int, String)}. Every {@code write} is sent and flushed at once, so a
 * client sees each event, progress line or log line as it happens; a write blocks while the
 * client is not keeping up (backpressure), and fails with an {@link IOException} once the
 * client has gone. {@link #close()} ends the body; the server closes it for a handler that
 * returns without doing so. Safe to use from several threads (writes are serialized).
 */
public final class ResponseStream extends OutputStream {

    private final Connection connection;
    private final boolean discard;
    private boolean closed;

    ResponseStream(Connection connection, boolean discard) {
        this.connection = connection;
        this.discard = discard;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("response stream is closed");
        }
        if (len == 0 || discard) {
            return;
        }
        connection.checkActive();
        ByteBuf buf = connection.alloc().buffer(len).writeBytes(b, off, len);
        connection.send(new DefaultHttpContent(buf));
        connection.awaitWritable();
    }

    /** Each write is flushed already; this only reports a client that has gone. */
    @Override
    public void flush() throws IOException {
        if (!closed && !discard) {
            connection.checkActive();
        }
    }

    /** Ends the response body. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            connection.send(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }
}
