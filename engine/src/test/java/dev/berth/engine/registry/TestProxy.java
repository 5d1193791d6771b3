package dev.berth.engine.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A tiny HTTP proxy on 127.0.0.1 in front of a real registry, for faults the registry itself
 * never makes: an interceptor sees each request first and may answer it (a 503, a corrupted
 * blob, a challenge) or let it through. Every request line and status is recorded.
 */
final class TestProxy implements AutoCloseable {

    /** What the interceptor decides for a request. */
    interface Interceptor {
        /** Answer the exchange yourself and return true, or return false to forward it. */
        boolean intercept(HttpExchange exchange, TestProxy proxy) throws IOException;
    }

    /** A forwarded reply, for interceptors that rewrite it. */
    record Upstream(int status, HttpHeaders headers, byte[] body) {
    }

    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "transfer-encoding",
            "host", "upgrade", "http2-settings", "keep-alive", "date");

    private final HttpServer server;
    private final String upstream;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    final List<String> log = new CopyOnWriteArrayList<>();
    private volatile Interceptor interceptor = (e, p) -> false;

    TestProxy(String upstreamUrl) throws IOException {
        this.upstream = upstreamUrl;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    Interceptor interceptor() {
        return interceptor;
    }

    void intercept(Interceptor i) {
        this.interceptor = i;
    }

    String name() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    String url() {
        return "http://" + name();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!interceptor.intercept(ex, this)) {
                Upstream up = forward(ex);
                reply(ex, up.status(), up.headers().map(), up.body());
            }
        } catch (IOException | RuntimeException e) {
            log.add("proxy error: " + e);
            throw e;
        }
    }

    /** Sends the exchange's request to the registry, as is (minus hop headers); returns the reply. */
    Upstream forward(HttpExchange ex) throws IOException {
        return forward(ex, Map.of(), Set.of());
    }

    Upstream forward(HttpExchange ex, Map<String, String> extraHeaders, Set<String> dropHeaders) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + ex.getRequestURI()));
        ex.getRequestHeaders().forEach((k, vs) -> {
            if (!HOP_HEADERS.contains(k.toLowerCase()) && !dropHeaders.contains(k.toLowerCase())) {
                vs.forEach(v -> b.header(k, v));
            }
        });
        extraHeaders.forEach(b::header);
        b.method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            log.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " -> " + r.statusCode());
            return new Upstream(r.statusCode(), r.headers(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Writes a reply; {@code body} null for none. Location headers pointing at the registry are rewritten to the proxy. */
    void reply(HttpExchange ex, int status, Map<String, List<String>> headers, byte[] body) throws IOException {
        headers.forEach((k, vs) -> {
            if (!HOP_HEADERS.contains(k.toLowerCase()) && !k.startsWith(":")) {
                for (String v : vs) {
                    ex.getResponseHeaders().add(k, k.equalsIgnoreCase("Location") ? v.replace(upstream, url()) : v);
                }
            }
        });
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (head) {
            headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("content-length"))
                    .findFirst().ifPresent(e -> ex.getResponseHeaders().set("Content-Length", e.getValue().getFirst()));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        long len = body == null || body.length == 0 ? -1 : body.length;
        ex.sendResponseHeaders(status, len);
        if (len > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static void drain(InputStream in) throws IOException {
        in.readAllBytes();
    }

    @Override
    public void close() {
        server.stop(0);
        http.close();
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
