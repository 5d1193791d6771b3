package dev.berth.engine.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connection taken over by its handler after {@link Exchange#hijack()}: HTTP is over and
 * the two directions are raw byte streams, as Docker's attach and exec use them.
 *
 * <p>{@link #input()} yields what the client sends (its stdin) and reaches end-of-stream when
 * the client half-closes its side; {@link #output()} writes to the client, each write flushed,
 * blocking while the client does not keep up. {@link #closeWrite()} half-closes the server's
 * side after everything written has been sent, so the client reads end-of-stream while it may
 * still send. The connection is closed when the handler returns, or by {@link #close()}.
 */
public final class HijackedConnection implements AutoCloseable {

    private final Connection connection;
    private final InputStream input;
    private final OutputStream output;

    HijackedConnection(Connection connection, InputStream input) {
        this.connection = connection;
        this.input = input;
        this.output = new RawOutput();
    }

    /** Bytes from the client; end-of-stream once it half-closes or disconnects cleanly. */
    public InputStream input() {
        return input;
    }

    /** Bytes to the client. Closing it is the same as {@link #closeWrite()}. */
    public OutputStream output() {
        return output;
    }

    /** Half-closes the connection: the client reads end-of-stream, and may still send. */
    public void closeWrite() throws IOException {
        connection.shutdownOutput();
    }

    /** True while the client is connected. */
    public boolean isOpen() {
        return connection.isActive();
    }

    /** Closes both directions after what was written has been sent. */
    @Override
    public void close() {
        connection.closeAfterWrites();
    }

    private final class RawOutput extends OutputStream {

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return;
            }
            connection.checkActive();
            connection.send(connection.alloc().buffer(len).writeBytes(b, off, len));
            connection.awaitWritable();
        }

        @Override
        public void close() throws IOException {
            closeWrite();
        }
    }
}
