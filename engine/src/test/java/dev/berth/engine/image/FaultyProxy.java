package dev.berth.engine.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy on 127.0.0.1 in front of a real registry that streams replies through and can
 * spoil blob downloads the way networks and broken mirrors do: flip a byte, cut the body short,
 * or send slowly. Every request is logged with its Range header.
 */
final class FaultyProxy implements AutoCloseable {

    enum Fault { NONE, CORRUPT, TRUNCATE }

    private static final Set<String> HOP = Set.of("connection", "content-length", "transfer-encoding", "host",
            "upgrade", "keep-alive", "date", "http2-settings");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final String upstream;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    /** "GET /v2/.../blobs/sha256:... range=bytes=N-" lines. */
    final List<String> log = new CopyOnWriteArrayList<>();
    /** Blob body bytes sent so far (all blobs). */
    final AtomicLong blobBytesSent = new AtomicLong();
    private volatile Fault fault = Fault.NONE;
    private volatile String faultBlob = "";
    private volatile long bytesPerSecond;

    FaultyProxy(String upstreamUrl) throws IOException {
        this.upstream = upstreamUrl;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** {@code 127.0.0.1:PORT}. */
    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Spoils downloads of the blob whose digest is {@code digest} (a substring of the URL path). */
    void fault(Fault f, String digest) {
        this.faultBlob = digest;
        this.fault = f;
    }

    /** Sends blob bodies at about this rate (0: as fast as possible). */
    void throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    List<String> rangeRequests() {
        return log.stream().filter(l -> l.contains(" range=bytes=")).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String range = ex.getRequestHeaders().getFirst("Range");
            String path = ex.getRequestURI().toString();
            log.add(ex.getRequestMethod() + " " + path + (range == null ? "" : " range=" + range));
            byte[] body = ex.getRequestBody().readAllBytes();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + path));
            ex.getRequestHeaders().forEach((k, vs) -> {
                if (!HOP.contains(k.toLowerCase())) {
                    vs.forEach(v -> b.header(k, v));
                }
            });
            b.method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<InputStream> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            r.headers().map().forEach((k, vs) -> {
                if (!HOP.contains(k.toLowerCase()) && !k.startsWith(":")) {
                    vs.forEach(v -> ex.getResponseHeaders().add(k, k.equalsIgnoreCase("Location")
                            ? v.replace(upstream, "http://" + host()) : v));
                }
            });
            long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            boolean blob = path.contains("/blobs/sha256:") && ex.getRequestMethod().equals("GET") && r.statusCode() < 300;
            try (InputStream in = r.body()) {
                if (ex.getRequestMethod().equals("HEAD") || length == 0) {
                    if (length >= 0) {
                        ex.getResponseHeaders().set("Content-Length", Long.toString(length));
                    }
                    ex.sendResponseHeaders(r.statusCode(), -1);
                    return;
                }
                ex.sendResponseHeaders(r.statusCode(), length < 0 ? 0 : length);
                Fault f = blob && path.contains(faultBlob) ? fault : Fault.NONE;
                copy(in, ex.getResponseBody(), blob, f, length);
            }
        } catch (IOException | RuntimeException e) {
            log.add("proxy error: " + e);
        }
    }

    private void copy(InputStream in, OutputStream out, boolean blob, Fault f, long length) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long sent = 0;
        long start = System.nanoTime();
        int n;
        while ((n = in.read(buf)) > 0) {
            if (f == Fault.CORRUPT && sent <= length / 2 && length / 2 < sent + n) {
                buf[(int) (length / 2 - sent)] ^= 0x5a;
            }
            if (f == Fault.TRUNCATE && sent + n > length / 2) {
                out.write(buf, 0, (int) (length / 2 - sent));
                out.flush();
                throw new IOException("truncated on purpose at byte " + length / 2);
            }
            out.write(buf, 0, n);
            sent += n;
            if (blob) {
                blobBytesSent.addAndGet(n);
                long rate = bytesPerSecond;
                if (rate > 0) {
                    long due = start + sent * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException(e);
                        }
                    }
                }
            }
        }
        out.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        http.close();
    }
}
