package dev.berth.engine.api.images;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A small HTTP/1.1 client over a unix socket that shows the bytes as the server sends them:
 * the status before the body, and a chunked body one line at a time (for progress streams).
 */
final class UnixHttp implements Closeable {

    private final SocketChannel channel;
    private final InputStream in;
    int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    private boolean chunked;
    private long contentLength = -1;
    private byte[] chunk = new byte[0];
    private int chunkPos;
    private boolean ended;

    private UnixHttp(SocketChannel channel) {
        this.channel = channel;
        this.in = new java.io.BufferedInputStream(Channels.newInputStream(channel));
    }

    /** Sends a request (with {@code body} when not null) and reads the status line and headers. */
    static UnixHttp request(Path socket, String method, String target, Map<String, String> extraHeaders, byte[] body)
            throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        UnixHttp c = new UnixHttp(ch);
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: docker\r\n");
        extraHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        c.write(head.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            c.write(body);
        }
        c.readHead();
        return c;
    }

    static UnixHttp get(Path socket, String target) throws IOException {
        return request(socket, "GET", target, Map.of(), null);
    }

    static UnixHttp post(Path socket, String target) throws IOException {
        return request(socket, "POST", target, Map.of(), null);
    }

    private void write(byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    private void readHead() throws IOException {
        String statusLine = readLine();
        if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        status = Integer.parseInt(statusLine.split(" ")[1]);
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
        if (headers.containsKey("content-length")) {
            contentLength = Long.parseLong(headers.get("content-length"));
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    /** The next body byte, or -1 at its end. */
    private int readBodyByte() throws IOException {
        if (ended) {
            return -1;
        }
        if (!chunked) {
            if (contentLength == 0) {
                ended = true;
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                ended = true;
            } else if (contentLength > 0) {
                contentLength--;
            }
            return b;
        }
        while (chunkPos >= chunk.length) {
            String size = readLine();
            if (size == null) {
                throw new EOFException("connection closed inside a chunked body");
            }
            int n = Integer.parseInt(size.strip(), 16);
            if (n == 0) {
                readLine();
                ended = true;
                return -1;
            }
            chunk = in.readNBytes(n);
            chunkPos = 0;
            readLine();
        }
        return chunk[chunkPos++] & 0xff;
    }

    /** The next line of the body, or null at its end. */
    String nextLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = readBodyByte()) >= 0) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    /** The rest of the body. */
    byte[] body() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = readBodyByte()) >= 0) {
            out.write(b);
        }
        return out.toByteArray();
    }

    String text() throws IOException {
        return new String(body(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
