package dev.berth.app.containers.details;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A connection the engine took over after an HTTP request ({@code POST /exec/{id}/start},
 * {@code POST /containers/{id}/attach}): the request is written by hand with
 * {@code Connection: Upgrade} and {@code Upgrade: tcp}, the answer ({@code 101 UPGRADED}, or
 * {@code 200} from older engines) is read up to its blank line, then bytes flow both ways: what is
 * written goes to the process's stdin, what is read is its output (raw for a TTY).
 *
 * <p>The streams call the channel's own {@code read} and {@code write}, which may run at the same
 * time on two threads. (Streams from {@code Channels.newInputStream} and jnr's unix sockets take
 * one lock for both directions: a terminal blocked reading output could then never send a key.)
 */
public final class HijackedStream implements AutoCloseable {

    private final SocketChannel socket;
    private final InputStream in;
    private final OutputStream out;

    private HijackedStream(SocketChannel socket, InputStream in, OutputStream out) {
        this.socket = socket;
        this.in = in;
        this.out = out;
    }

    /**
     * Sends {@code method path} with {@code jsonBody} (null for none) on {@code socket} and reads
     * the answer's head.
     *
     * @throws IOException when the engine answers anything but 101 or 200 (its message included)
     */
    public static HijackedStream open(SocketChannel socket, String method, String path, String jsonBody) throws IOException {
        try {
            byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\n"
                    + "Host: docker\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Upgrade: tcp\r\n"
                    + (jsonBody == null ? "" : "Content-Type: application/json\r\n")
                    + "Content-Length: " + body.length + "\r\n\r\n";
            OutputStream out = new ChannelOutput(socket);
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = new java.io.BufferedInputStream(new ChannelInput(socket), 16384);
            String answer = readHead(in);
            String status = answer.lines().findFirst().orElse("");
            String[] parts = status.split(" ", 3);
            int code = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            if (code != 101 && code != 200) {
                String message = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
                throw new IOException(status.strip() + (message.isEmpty() ? "" : ": " + message));
            }
            return new HijackedStream(socket, in, out);
        } catch (IOException e) {
            socket.close();
            throw e;
        } catch (RuntimeException e) {
            socket.close();
            throw new IOException("the engine's answer cannot be read: " + e.getMessage(), e);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the engine closed the connection before answering");
            }
            b.write(c);
            state = switch (state) {
                case 0, 2 -> c == '\r' ? state + 1 : 0;
                case 1, 3 -> c == '\n' ? state + 1 : c == '\r' ? 1 : 0;
                default -> state;
            };
            if (b.size() > 65536) {
                throw new IOException("the engine's answer has no end of its head");
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** The process's output. */
    public InputStream input() {
        return in;
    }

    /** The process's input. */
    public OutputStream output() {
        return out;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** Reads straight from the channel (no lock shared with writing). */
    private static final class ChannelInput extends InputStream {
        private final SocketChannel ch;

        ChannelInput(SocketChannel ch) {
            this.ch = ch;
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
            int n = ch.read(ByteBuffer.wrap(b, off, len));
            return n < 0 ? -1 : n;
        }
    }

    /** Writes straight to the channel. */
    private static final class ChannelOutput extends OutputStream {
        private final SocketChannel ch;

        ChannelOutput(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }
}
