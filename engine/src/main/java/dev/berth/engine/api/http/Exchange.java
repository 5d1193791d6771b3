package dev.berth.engine.api.http;

import com.fasterxml.jackson.core.JacksonException;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.state.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One request and its response, as a handler sees it. Handlers read the request (method,
 * path parameters, query parameters, Docker's {@code filters}, headers, a streaming body) and
 * answer in exactly one of these ways:
 *
 * <ul>
 *   <li>{@link #respondJson(int, Object)}, {@link #respondText(int, String)},
 *       {@link #respond(int, String, byte[])}, {@link #respondEmpty(int)}: a complete body;</li>
 *   <li>{@link #stream(int, String)}: a chunked body written as it is produced (events, pull
 *       progress, logs), each write flushed, with backpressure;</li>
 *   <li>{@link #hijack()}: the connection becomes a raw bidirectional stream (attach, exec),
 *       on routes declared with {@link Route#hijacking}.</li>
 * </ul>
 *
 * <p>A handler that throws before answering gets an error response through
 * {@link ErrorMapping}; one that returns without answering gets an empty 200. The request body
 * is never buffered as a whole: {@link #body()} streams it from the socket, which is read only
 * as fast as the handler consumes it.
 *
 * <p>Response headers set with {@link #setHeader} are sent with the answer, after the
 * server's common ones ({@code Api-Version}, {@code Server}, {@code OSType}).
 */
public final class Exchange {

    private static final System.Logger LOG = System.getLogger(Exchange.class.getName());

    private enum State { NONE, COMPLETE, STREAMING, HIJACKED }

    private final Connection connection;
    private final HttpRequest request;
    private final String method;
    private final String path;
    private final ApiVersion apiVersion;
    private final Map<String, String> pathParams;
    private final Map<String, List<String>> query;
    private final InputStream body;
    private final Route route;
    private final boolean keepAlive;
    private final HttpHeaders commonHeaders;
    private final HttpHeaders responseHeaders = new DefaultHttpHeaders();
    private final List<Runnable> disconnectListeners = new CopyOnWriteArrayList<>();
    private volatile boolean clientGone;
    private Filters filters;
    private String versionError;
    private java.util.Set<String> allowedMethods = java.util.Set.of();
    private State state = State.NONE;
    private ResponseStream stream;

    Exchange(Connection connection, HttpRequest request, String path, ApiVersion apiVersion, Route route,
             Map<String, String> pathParams, Map<String, List<String>> query, InputStream body,
             HttpHeaders commonHeaders, boolean keepAlive) {
        this.connection = connection;
        this.request = request;
        this.method = request.method().name();
        this.path = path;
        this.apiVersion = apiVersion;
        this.route = route;
        this.pathParams = Map.copyOf(pathParams);
        this.query = query;
        this.body = body;
        this.commonHeaders = commonHeaders;
        this.keepAlive = keepAlive;
    }

    // ---------------------------------------------------------------- request

    /** The request method as sent ({@code HEAD} stays {@code HEAD} on a GET route). */
    public String method() {
        return method;
    }

    /** True for a {@code HEAD} request: the body of the answer is not sent. */
    public boolean isHead() {
        return "HEAD".equals(method);
    }

    /** The request path without the {@code /v1.NN} prefix, still percent-encoded. */
    public String path() {
        return path;
    }

    /** The API version the client asked for in the path, or {@link ApiVersion#CURRENT} when it named none. */
    public ApiVersion apiVersion() {
        return apiVersion;
    }

    /** The route being served (null while answering "page not found"). */
    Route route() {
        return route;
    }

    /**
     * A path parameter of the route's pattern, percent-decoded.
     *
     * @throws IllegalArgumentException when the pattern has no such parameter (a programming error)
     */
    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalArgumentException("route " + (route == null ? "?" : route.pattern()) + " has no parameter {" + name + "}");
        }
        return v;
    }

    /** Every query parameter, each with all its values in order (repeated keys are kept). */
    public Map<String, List<String>> queryParams() {
        return query;
    }

    /** The first value of a query parameter. */
    public Optional<String> query(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
    }

    /** Every value of a repeated query parameter ({@code ?t=a&t=b}); empty when absent. */
    public List<String> queryAll(String name) {
        return query.getOrDefault(name, List.of());
    }

    /**
     * A boolean query parameter the way Docker reads them: absent, empty, {@code 0},
     * {@code no}, {@code false} and {@code none} are false; anything else is true.
     */
    public boolean queryBool(String name) {
        String v = query(name).orElse("").strip().toLowerCase(Locale.ROOT);
        return !(v.isEmpty() || v.equals("0") || v.equals("no") || v.equals("false") || v.equals("none"));
    }

    /**
     * An integer query parameter, or {@code defaultValue} when absent or empty.
     *
     * @throws EngineException.InvalidArgument when it is not an integer
     */
    public long queryLong(String name, long defaultValue) {
        Optional<String> v = query(name).map(String::strip).filter(s -> !s.isEmpty());
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.get());
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidArgument("invalid value for " + name + ": " + v.get() + " is not an integer");
        }
    }

    /**
     * Docker's {@code filters} parameter, parsed (both the current and the legacy shape).
     *
     * @throws EngineException.InvalidArgument when it is not valid filters JSON
     */
    public Filters filters() {
        if (filters == null) {
            filters = Filters.parse(query("filters").orElse(null));
        }
        return filters;
    }

    /** A request header (first value); names are case-insensitive. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.headers().get(name));
    }

    /** Every value of a request header. */
    public List<String> headers(String name) {
        return request.headers().getAll(name);
    }

    /**
     * The request body, streamed from the socket as it is read. Nothing is buffered beyond a
     * few hundred kilobytes: a multi-gigabyte upload is held back by the client's socket
     * until the handler reads it. End-of-stream at the end of the body; an
     * {@link IOException} if the client goes away before sending all of it.
     */
    public InputStream body() {
        return body;
    }

    /**
     * Reads the whole body as JSON into {@code type}; null when the body is empty.
     *
     * @throws EngineException.InvalidArgument when the body is not valid JSON for {@code type}
     */
    public <T> T readJson(Class<T> type) throws IOException {
        byte[] bytes = readBody(16L * 1024 * 1024);
        if (bytes.length == 0) {
            return null;
        }
        try {
            return Json.mapper().readValue(bytes, type);
        } catch (JacksonException e) {
            throw new EngineException.InvalidArgument("invalid JSON in request body: " + e.getOriginalMessage());
        }
    }

    private byte[] readBody(long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = body.read(buf)) >= 0) {
            out.write(buf, 0, n);
            if (out.size() > limit) {
                throw new EngineException.InvalidArgument("request body is larger than " + limit + " bytes");
            }
        }
        return out.toByteArray();
    }

    /** True while the client is connected and has not gone away. */
    public boolean isOpen() {
        return !clientGone && connection.isActive();
    }

    /**
     * Runs {@code listener} once when the client disconnects (at once if it already has).
     * Listeners run on the server's I/O thread: they must be quick and must not block
     * (closing a subscription is the typical use).
     */
    public void onDisconnect(Runnable listener) {
        disconnectListeners.add(listener);
        if (clientGone) {
            runDisconnectListeners();
        }
    }

    // ---------------------------------------------------------------- response

    /** Adds a response header sent with the answer. Call before answering. */
    public Exchange setHeader(String name, String value) {
        responseHeaders.set(name, value);
        return this;
    }

    /** Answers with {@code body} serialized as JSON. */
    public void respondJson(int status, Object body) {
        respond(status, "application/json", Json.toBytes(body));
    }

    /** Answers 200 with {@code body} serialized as JSON. */
    public void respondJson(Object body) {
        respondJson(200, body);
    }

    /** Answers with plain text ({@code text/plain; charset=utf-8}). */
    public void respondText(int status, String text) {
        respond(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** Answers with no body (204, 304, or a 200/201 with nothing to say). */
    public void respondEmpty(int status) {
        respond(status, null, new byte[0]);
    }

    /** Answers with {@code body} of the given content type (null for none). */
    public synchronized void respond(int status, String contentType, byte[] body) {
        begin(State.COMPLETE);
        ByteBuf content = isHead() || body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
        DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), content);
        headers(res, contentType);
        if (status != 204 && status != 304 && !(status >= 100 && status < 200)) {
            res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        connection.send(res);
    }

    /**
     * Starts a streaming (chunked) answer: the status and headers are sent and flushed at
     * once, the body follows through the returned stream.
     */
    public synchronized ResponseStream stream(int status, String contentType) {
        begin(State.STREAMING);
        DefaultHttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        headers(res, contentType);
        res.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        connection.send(res);
        stream = new ResponseStream(connection, isHead());
        return stream;
    }

    /**
     * Takes over the connection. When the client asked for an upgrade ({@code Connection:
     * Upgrade}, {@code Upgrade: tcp}) the answer is {@code 101 UPGRADED}; otherwise, as older
     * clients expect, {@code 200 OK}; both with {@code Content-Type:
     * application/vnd.docker.raw-stream}. After that the HTTP codec is gone from the connection
     * and the handler owns both directions (see {@link HijackedConnection}).
     *
     * @throws IllegalStateException when the route was not declared with {@link Route#hijacking}
     */
    public synchronized HijackedConnection hijack() throws IOException {
        if (route == null || !route.hijackable()) {
            throw new IllegalStateException("route " + (route == null ? path : route.pattern())
                    + " is not declared hijackable (use Route.hijacking)");
        }
        begin(State.HIJACKED);
        boolean upgrade = header("Upgrade").map(u -> u.equalsIgnoreCase("tcp")).orElse(false)
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
        StringBuilder head = new StringBuilder();
        head.append(upgrade ? "HTTP/1.1 101 UPGRADED\r\n" : "HTTP/1.1 200 OK\r\n");
        head.append("Content-Type: application/vnd.docker.raw-stream\r\n");
        if (upgrade) {
            head.append("Connection: Upgrade\r\nUpgrade: tcp\r\n");
        }
        HttpHeaders all = new DefaultHttpHeaders().add(commonHeaders);
        for (String name : responseHeaders.names()) {
            all.set(name, responseHeaders.getAll(name));
        }
        for (Map.Entry<String, String> h : all) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("\r\n");
        InputStream in = connection.hijack(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        return new HijackedConnection(connection, in);
    }

    /** True once an answer has begun. */
    public synchronized boolean responseStarted() {
        return state != State.NONE;
    }

    private void begin(State next) {
        if (state != State.NONE) {
            throw new IllegalStateException("response already " + state.name().toLowerCase(Locale.ROOT));
        }
        state = next;
    }

    private void headers(HttpResponse res, String contentType) {
        res.headers().add(commonHeaders);
        for (String name : responseHeaders.names()) {
            res.headers().set(name, responseHeaders.getAll(name)); // a handler's header replaces a common one
        }
        if (contentType != null) {
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        if (!keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    // ---------------------------------------------------------------- server side

    /** Set by the dispatcher: a refused API version, and the methods a path allows when the request's is not one. */
    void routing(String versionError, java.util.Set<String> allowedMethods) {
        this.versionError = versionError;
        this.allowedMethods = allowedMethods;
    }

    String versionError() {
        return versionError;
    }

    java.util.Set<String> allowedMethods() {
        return allowedMethods;
    }

    Connection connection() {
        return connection;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    /** After the handler returned: finish what it left open. */
    synchronized void complete() {
        switch (state) {
            case NONE -> respondEmpty(200);
            case STREAMING -> stream.close();
            default -> { }
        }
    }

    /** After the handler threw: an error answer if none began, else the connection is cut. */
    synchronized void fail(Throwable failure) {
        String request = method + " " + path;
        if (state == State.NONE) {
            int status = ErrorMapping.status(failure);
            ErrorMapping.logIfInternal(request, failure, status);
            responseHeaders.clear();
            respondJson(status, new ErrorMessage(ErrorMapping.message(failure)));
            return;
        }
        if (failure instanceof IOException && !isOpen()) {
            LOG.log(System.Logger.Level.DEBUG, request + ": client went away: " + failure.getMessage());
        } else {
            LOG.log(System.Logger.Level.ERROR, request + " failed after its response began", failure);
        }
        connection.closeAfterWrites();
    }

    /** True when the answer was completed in a way that lets the connection serve another request. */
    synchronized boolean completedCleanly() {
        return state == State.COMPLETE || state == State.STREAMING;
    }

    void clientGone() {
        if (!clientGone) {
            clientGone = true;
            runDisconnectListeners();
        }
    }

    private void runDisconnectListeners() {
        for (Runnable r : disconnectListeners) {
            if (disconnectListeners.remove(r)) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "disconnect listener failed", e);
                }
            }
        }
    }

    /** Docker's error body: {@code {"message": "..."}}. */
    public record ErrorMessage(@com.fasterxml.jackson.annotation.JsonProperty("message") String message) {}
}
