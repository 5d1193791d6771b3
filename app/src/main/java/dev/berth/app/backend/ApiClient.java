package dev.berth.app.backend;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.engine.errors.EngineException;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The HTTP side of talking to a Docker Engine API: one connection pool, the negotiated API
 * version, Docker's error JSON mapped to {@link EngineException}s, cancellable streams. Every
 * pane's client (images, containers, networks, volumes, builds) is written on top of this, so the
 * app drives an embedded engine and an engine it is a client of through the same code: the
 * embedded engine serves this API on its socket too.
 *
 * <p>Calls block; run them on a background <em>platform</em> thread. Not on virtual threads: reads
 * on the unix socket are native calls that pin the carrier, and with the embedded engine in the same
 * process two long streams on a 2-core machine starve the engine's own handlers. A call made from a
 * thread that is then interrupted is cancelled and throws {@link InterruptedException} (where declared).
 */
public final class ApiClient implements AutoCloseable {

    /** The newest Docker API version this client speaks. */
    public static final ApiVersion MAX_API_VERSION = new ApiVersion(1, 47);

    /** Lenient JSON (unknown fields ignored), shared by every client in the app. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final DockerHost host;
    private final OkHttpClient client;
    private final OkHttpClient streamClient;
    private final HttpUrl base;
    private final Set<Call> streams = ConcurrentHashMap.newKeySet();
    private volatile ApiVersion apiVersion = MAX_API_VERSION;

    private ApiClient(DockerHost host) {
        this.host = host;
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .protocols(List.of(Protocol.HTTP_1_1))
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(60))
                .retryOnConnectionFailure(false);
        switch (host) {
            case DockerHost.Unix u -> {
                b.socketFactory(new UnixSocketFactory(u.socket()));
                // the host name is never resolved: every socket goes to the unix socket
                b.dns(name -> List.of(InetAddress.getLoopbackAddress()));
                this.base = new HttpUrl.Builder().scheme("http").host("localhost").build();
            }
            case DockerHost.Tcp t -> this.base = new HttpUrl.Builder().scheme("http").host(t.host()).port(t.port()).build();
        }
        this.client = b.build();
        this.streamClient = client.newBuilder().readTimeout(Duration.ZERO).build();
    }

    /**
     * Connects to the engine at {@code host} and negotiates the API version.
     *
     * @throws EngineException.Unavailable when nothing answers {@code /_ping} there
     */
    public static ApiClient connect(DockerHost host) {
        ApiClient api = new ApiClient(host);
        try {
            api.ping();
            return api;
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
    }

    public DockerHost host() {
        return host;
    }

    /** The API version negotiated with the server. */
    public ApiVersion apiVersion() {
        return apiVersion;
    }

    /** {@code /_ping}; lowers the API version to the server's when it is older than this client's. */
    public void ping() {
        Request request = new Request.Builder().url(base.newBuilder().addPathSegment("_ping").build()).get().build();
        try (Response r = client.newCall(request).execute()) {
            if (!r.isSuccessful()) {
                throw error(r, "/_ping");
            }
            String server = r.header("API-Version");
            if (server != null && !server.isBlank()) {
                apiVersion = MAX_API_VERSION.min(ApiVersion.parse(server));
            }
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** A URL for {@code path} (no leading slash, e.g. {@code containers/json}) under the negotiated version. */
    public HttpUrl.Builder url(String path) {
        return base.newBuilder().addPathSegment("v" + apiVersion).addPathSegments(path);
    }

    /** GET {@code path}; its JSON answer. */
    public JsonNode get(String path) {
        return send(new Request.Builder().url(url(path).build()).get().build(), "/" + path);
    }

    /** GET {@code url}; its JSON answer. */
    public JsonNode get(HttpUrl url) {
        return send(new Request.Builder().url(url).get().build(), url.encodedPath());
    }

    /** POST {@code body} (JSON, or nothing when null) to {@code url}; the JSON answer (empty object for none). */
    public JsonNode post(HttpUrl url, JsonNode body) {
        RequestBody rb = body == null ? RequestBody.create(new byte[0]) : RequestBody.create(body.toString(), JSON_TYPE);
        return send(new Request.Builder().url(url).post(rb).build(), "POST " + url.encodedPath());
    }

    /** DELETE {@code url}; the JSON answer (empty object for none). */
    public JsonNode delete(HttpUrl url) {
        return send(new Request.Builder().url(url).delete().build(), "DELETE " + url.encodedPath());
    }

    /** Sends {@code request}; returns its JSON answer (an empty object for an empty body). */
    public JsonNode send(Request request, String what) {
        try (Response r = client.newCall(request).execute()) {
            if (!r.isSuccessful()) {
                throw error(r, what);
            }
            String body = r.body().string();
            return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** A call without a read timeout, for streams the caller reads and cancels itself (events). */
    public Call newStreamCall(Request request) {
        return streamClient.newCall(request);
    }

    /**
     * Runs {@code request} on the client without a read timeout and passes the successful
     * response to {@code reader} (which reads it to its end or until the stream should stop). The
     * call is cancelled when the calling thread is interrupted.
     */
    public void stream(Request request, String what, ResponseReader reader) throws InterruptedException {
        Call call = streamClient.newCall(request);
        streams.add(call);
        try (var cancel = cancelOnInterrupt(call); Response r = call.execute()) {
            if (!r.isSuccessful()) {
                throw error(r, what);
            }
            reader.read(r);
        } catch (IOException e) {
            throwIfInterrupted();
            throw unreachable(e);
        } finally {
            streams.remove(call);
        }
    }

    /** Reads a streamed response. */
    @FunctionalInterface
    public interface ResponseReader {
        void read(Response response) throws IOException, InterruptedException;
    }

    /**
     * Streams a body of JSON lines (events, pull progress, build output) to {@code onLine},
     * skipping blank lines, until the server ends it or the calling thread is interrupted.
     */
    public void streamJsonLines(Request request, String what, Consumer<JsonNode> onLine) throws InterruptedException {
        stream(request, what, r -> {
            BufferedSource source = r.body().source();
            String line;
            while ((line = source.readUtf8Line()) != null) {
                throwIfInterrupted();
                if (!line.isBlank()) {
                    onLine.accept(JSON.readTree(line));
                }
            }
        });
    }

    /**
     * A new raw connection to the engine (the unix socket, or TCP), for the hijacked endpoints
     * (attach, exec start) that OkHttp cannot speak: the caller writes the HTTP request itself.
     * A JDK channel, which can be read and written at the same time (a terminal blocked reading
     * output must still send keys; jnr's sockets take one lock for both directions).
     */
    public SocketChannel openRawChannel() throws IOException {
        return switch (host) {
            case DockerHost.Unix u -> SocketChannel.open(UnixDomainSocketAddress.of(u.socket()));
            case DockerHost.Tcp t -> SocketChannel.open(new InetSocketAddress(t.host(), t.port()));
        };
    }

    /** The request path for {@code path} under the negotiated version, for raw requests ({@code /v1.47/exec/x/start}). */
    public String rawPath(String path) {
        return "/v" + apiVersion + "/" + path;
    }

    /** Cancels open streams and drops pooled connections. */
    @Override
    public void close() {
        streams.forEach(Call::cancel);
        client.connectionPool().evictAll();
        streamClient.connectionPool().evictAll();
    }

    // ---- errors ---------------------------------------------------------------------------------

    /** An I/O failure talking to the engine, as the app reports it. */
    public EngineException unreachable(IOException e) {
        String why = e instanceof InterruptedIOException && e.getMessage() != null && e.getMessage().contains("timeout")
                ? "no answer in time"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new EngineException.Unavailable("cannot reach the engine at " + host + ": " + why, e);
    }

    /** Maps an error response to the engine's error categories, keeping the server's message. */
    public static EngineException error(Response r, String what) {
        String message = "";
        try {
            String body = r.body().string();
            JsonNode node = body.isBlank() ? null : JSON.readTree(body);
            message = node != null && node.hasNonNull("message") ? node.get("message").asText() : body.strip();
        } catch (IOException | RuntimeException ignored) {
            // keep the status alone
        }
        if (message.isEmpty()) {
            message = what + " answered HTTP " + r.code();
        }
        return switch (r.code()) {
            case 400 -> new EngineException.InvalidArgument(message);
            case 401, 403 -> new EngineException.Unauthorized(message);
            case 404 -> new EngineException.NotFound(message);
            case 409 -> new EngineException.Conflict(message);
            case 412 -> new EngineException.FailedPrecondition(message);
            default -> new EngineException.Unavailable(message);
        };
    }

    /** Throws {@link InterruptedException} (clearing the flag) when this thread was interrupted. */
    public static void throwIfInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("cancelled");
        }
    }

    /** Cancels {@code call} when the calling thread is interrupted while it blocks in a read. */
    private static Cancel cancelOnInterrupt(Call call) {
        Thread caller = Thread.currentThread();
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = Thread.ofVirtual().start(() -> {
            while (!done.get()) {
                if (caller.isInterrupted()) {
                    call.cancel();
                    return;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return () -> {
            done.set(true);
            watcher.interrupt();
        };
    }

    private interface Cancel extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * An {@code X-Registry-Auth} value: base64url of the JSON auth config, as the docker CLI sends it
     * with a pull or push. Never logged.
     */
    public static String registryAuthHeader(String username, String password, String server) {
        com.fasterxml.jackson.databind.node.ObjectNode n = JSON.createObjectNode();
        n.put("username", username);
        n.put("password", password);
        n.put("serveraddress", server);
        return java.util.Base64.getUrlEncoder().encodeToString(n.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A field's text, or "" when absent or null. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
