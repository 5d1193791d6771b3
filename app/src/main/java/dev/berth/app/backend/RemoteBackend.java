package dev.berth.app.backend;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.engine.errors.EngineException;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Docker Engine API client for an engine that is already running: a Berth engine on its
 * socket, or a dockerd. OkHttp over a unix socket (through jnr-unixsocket) or TCP. The API
 * version is negotiated once with {@code /_ping}: the lower of {@link #MAX_API_VERSION} and the
 * server's {@code API-Version}; every later call goes to {@code /v<version>/...}.
 */
public final class RemoteBackend implements Backend {

    /** The newest Docker API version this client speaks. */
    public static final ApiVersion MAX_API_VERSION = new ApiVersion(1, 47);

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Pattern DOTTED_VERSION = Pattern.compile("(\\d+\\.\\d+(?:\\.\\d+)?)");

    private final DockerHost host;
    private final OkHttpClient client;
    private final OkHttpClient streamClient;
    private final HttpUrl base;
    private final Set<Call> streams = ConcurrentHashMap.newKeySet();
    private volatile ApiVersion apiVersion = MAX_API_VERSION;

    private RemoteBackend(DockerHost host) {
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
    public static RemoteBackend connect(DockerHost host) {
        RemoteBackend backend = new RemoteBackend(host);
        try {
            backend.ping();
            return backend;
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /** The API version negotiated with the server. */
    public ApiVersion apiVersion() {
        return apiVersion;
    }

    @Override
    public Connection connection() {
        return new Connection.Remote(host);
    }

    @Override
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

    @Override
    public EngineVersion version() {
        return parseVersion(get("version"), apiVersion);
    }

    @Override
    public EngineInfo info() {
        return parseInfo(get("info"), get("version"));
    }

    @Override
    public EventSubscription events(Instant since, Consumer<EngineEvent> onEvent, Consumer<Throwable> onEnd) {
        HttpUrl.Builder url = api("events");
        if (since != null) {
            url.addQueryParameter("since", since.getEpochSecond() + "." + String.format("%09d", since.getNano()));
        }
        Call call = streamClient.newCall(new Request.Builder().url(url.build()).get().build());
        streams.add(call);
        AtomicBoolean closed = new AtomicBoolean();
        Thread reader = Thread.ofPlatform().daemon().name("berth-events-remote").unstarted(() -> {
            Throwable failure = null;
            try (Response r = call.execute()) {
                if (!r.isSuccessful()) {
                    throw error(r, "/events");
                }
                ResponseBody body = r.body();
                BufferedSource source = body.source();
                String line;
                while ((line = source.readUtf8Line()) != null) {
                    if (!line.isBlank()) {
                        onEvent.accept(parseEvent(JSON.readTree(line)));
                    }
                }
            } catch (IOException e) {
                failure = closed.get() ? null : unreachable(e);
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                streams.remove(call);
            }
            if (!closed.get()) {
                onEnd.accept(failure);
            }
        });
        reader.start();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                call.cancel();
            }
        };
    }

    /** Cancels open event streams and drops pooled connections. */
    @Override
    public void close() {
        streams.forEach(Call::cancel);
        client.connectionPool().evictAll();
    }

    // ---- HTTP ------------------------------------------------------------------------------

    private HttpUrl.Builder api(String path) {
        return base.newBuilder().addPathSegment("v" + apiVersion).addPathSegments(path);
    }

    private JsonNode get(String path) {
        Request request = new Request.Builder().url(api(path).build()).get().build();
        try (Response r = client.newCall(request).execute()) {
            if (!r.isSuccessful()) {
                throw error(r, "/" + path);
            }
            return JSON.readTree(r.body().byteStream());
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private EngineException unreachable(IOException e) {
        String why = e instanceof InterruptedIOException && e.getMessage() != null && e.getMessage().contains("timeout")
                ? "no answer in time"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new EngineException.Unavailable("cannot reach the engine at " + host + ": " + why, e);
    }

    /** Maps an error response to the engine's error categories, keeping the server's message. */
    static EngineException error(Response r, String what) {
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

    // ---- Docker JSON -> app records -----------------------------------------------------------

    static EngineVersion parseVersion(JsonNode v, ApiVersion negotiated) {
        String product = text(v.path("Platform"), "Name");
        if (product.isEmpty()) {
            product = "Docker Engine";
        }
        return new EngineVersion(product, text(v, "Version"), negotiated.toString(), text(v, "GitCommit"),
                text(v, "Os"), text(v, "Arch"), text(v, "KernelVersion"));
    }

    static EngineInfo parseInfo(JsonNode i, JsonNode version) {
        return new EngineInfo(text(i, "ID"), text(i, "Name"), text(i, "ServerVersion"), runtime(i, version),
                text(i, "OperatingSystem"), text(i, "KernelVersion"), text(i, "Architecture"),
                i.path("NCPU").asInt(), i.path("MemTotal").asLong(), text(i, "Driver"), text(i, "DockerRootDir"),
                text(i, "CgroupVersion"), i.path("Containers").asInt(), i.path("ContainersRunning").asInt(),
                i.path("ContainersPaused").asInt(), i.path("ContainersStopped").asInt(), i.path("Images").asInt());
    }

    /**
     * The default runtime and its version: the version from {@code /version}'s component of the
     * same name (dockerd lists "runc" there), else from {@code RuncCommit.ID} when it looks like one
     * (Berth reports the version of whichever runtime it uses there).
     */
    static String runtime(JsonNode info, JsonNode version) {
        String name = text(info, "DefaultRuntime");
        if (name.isEmpty()) {
            return "";
        }
        for (JsonNode c : version.path("Components")) {
            if (name.equalsIgnoreCase(text(c, "Name")) && !text(c, "Version").isEmpty()) {
                return name + " " + shortVersion(text(c, "Version"));
            }
        }
        String commit = text(info.path("RuncCommit"), "ID");
        Matcher m = DOTTED_VERSION.matcher(commit);
        return m.find() ? name + " " + m.group(1) : name;
    }

    private static String shortVersion(String v) {
        Matcher m = DOTTED_VERSION.matcher(v);
        return m.find() ? m.group(1) : v;
    }

    static EngineEvent parseEvent(JsonNode e) {
        Instant time;
        if (e.hasNonNull("timeNano")) {
            long nanos = e.get("timeNano").asLong();
            time = Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
        } else {
            time = Instant.ofEpochSecond(e.path("time").asLong());
        }
        JsonNode actor = e.path("Actor");
        Map<String, String> attributes = new LinkedHashMap<>();
        actor.path("Attributes").properties().forEach(a -> attributes.put(a.getKey(), a.getValue().asText()));
        String type = text(e, "Type");
        String action = text(e, "Action");
        String id = text(actor, "ID");
        // API versions before 1.22 sent only status/id/from
        if (action.isEmpty()) {
            action = text(e, "status");
        }
        if (id.isEmpty()) {
            id = text(e, "id");
        }
        return new EngineEvent(time, type, action, id, attributes);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
