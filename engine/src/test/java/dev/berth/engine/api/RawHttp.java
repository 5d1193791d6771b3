package dev.berth.engine.api;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately small HTTP/1.1 client over the JDK's unix-domain {@link SocketChannel}, so
 * that tests see exactly the bytes the server sends (status line, headers, chunking, the
 * raw stream after a hijack) with no client library in between.
 */
final class RawHttp implements Closeable {

    record Response(int status, String reason, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    record Head(int status, String reason, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();

    private RawHttp(SocketChannel channel) {
        this.channel = channel;
    }

    static RawHttp connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new RawHttp(ch);
    }

    /** One request on a fresh connection. */
    static Response exchange(Path socket, String method, String target) throws IOException {
        try (RawHttp c = connect(socket)) {
            return c.request(method, target);
        }
    }

    Response request(String method, String target) throws IOException {
        write(method + " " + target + " HTTP/1.1\r\nHost: docker\r\n\r\n");
        return readResponse(method.equals("HEAD"));
    }

    void write(String s) throws IOException {
        write(s.getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    Response readResponse(boolean head) throws IOException {
        Head h = readHead();
        byte[] body;
        if (head || h.status() == 204 || h.status() == 304) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(h.header("transfer-encoding"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk;
            while ((chunk = readChunk()) != null) {
                out.writeBytes(chunk);
            }
            body = out.toByteArray();
        } else if (h.header("content-length") != null) {
            body = readExactly(Integer.parseInt(h.header("content-length")));
        } else {
            body = readToEnd();
        }
        return new Response(h.status(), h.reason(), h.headers(), body);
    }

    Head readHead() throws IOException {
        String status = readLine();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP status line: " + status);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = readLine()).isEmpty()) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        return new Head(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", headers);
    }

    /** The next chunk of a chunked body, or null after the last one. */
    byte[] readChunk() throws IOException {
        String size = readLine();
        int semi = size.indexOf(';');
        int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
        if (n == 0) {
            while (!readLine().isEmpty()) {
                // trailers
            }
            return null;
        }
        byte[] data = readExactly(n);
        if (!readLine().isEmpty()) {
            throw new IOException("chunk not followed by CRLF");
        }
        return data;
    }

    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = readByte();
            if (b < 0) {
                throw new EOFException("connection closed in the middle of a line: " + line);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
    }

    byte[] readExactly(int n) throws IOException {
        byte[] out = new byte[n];
        int off = 0;
        while (off < n) {
            if (!fill()) {
                throw new EOFException("connection closed after " + off + " of " + n + " bytes");
            }
            int k = Math.min(n - off, in.remaining());
            in.get(out, off, k);
            off += k;
        }
        return out;
    }

    byte[] readToEnd() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (fill()) {
            byte[] b = new byte[in.remaining()];
            in.get(b);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    /** The next byte, or -1 at end of stream. */
    int readByte() throws IOException {
        return fill() ? in.get() & 0xff : -1;
    }

    private boolean fill() throws IOException {
        if (in.hasRemaining()) {
            return true;
        }
        in.clear();
        int n = channel.read(in);
        in.flip();
        return n > 0;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
