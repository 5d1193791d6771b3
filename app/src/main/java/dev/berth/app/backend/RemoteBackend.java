package dev.berth.app.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.engine.errors.EngineException;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.image.Reference;

import java.io.IOException;
import java.util.ArrayList;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.berth.app.backend.ApiClient.text;

/**
 * A Docker Engine API client for an engine that is already running: a Berth engine on its
 * socket, or a dockerd. OkHttp over a unix socket (through jnr-unixsocket) or TCP. The API
 * version is negotiated once with {@code /_ping}: the lower of {@link #MAX_API_VERSION} and the
 * server's {@code API-Version}; every later call goes to {@code /v<version>/...}.
 */
public final class RemoteBackend implements Backend {

    /** The newest Docker API version this client speaks. */
    public static final ApiVersion MAX_API_VERSION = ApiClient.MAX_API_VERSION;

    private static final ObjectMapper JSON = ApiClient.JSON;
    private static final Pattern DOTTED_VERSION = Pattern.compile("(\\d+\\.\\d+(?:\\.\\d+)?)");

    private final ApiClient api;
    private final Set<Call> streams = ConcurrentHashMap.newKeySet();
    /** Logins of this session, per registry, sent as X-Registry-Auth (the docker CLI keeps them client-side too). */
    private final Map<String, String[]> logins = new ConcurrentHashMap<>();

    private RemoteBackend(ApiClient api) {
        this.api = api;
    }

    /**
     * Connects to the engine at {@code host} and negotiates the API version.
     *
     * @throws EngineException.Unavailable when nothing answers {@code /_ping} there
     */
    public static RemoteBackend connect(DockerHost host) {
        return new RemoteBackend(ApiClient.connect(host));
    }

    /** The API version negotiated with the server. */
    public ApiVersion apiVersion() {
        return api.apiVersion();
    }

    @Override
    public ApiClient api() {
        return api;
    }

    @Override
    public Connection connection() {
        return new Connection.Remote(api.host());
    }

    @Override
    public void ping() {
        api.ping();
    }

    @Override
    public EngineVersion version() {
        return parseVersion(api.get("version"), api.apiVersion());
    }

    @Override
    public EngineInfo info() {
        return parseInfo(api.get("info"), api.get("version"));
    }

    @Override
    public EventSubscription events(Instant since, Consumer<EngineEvent> onEvent, Consumer<Throwable> onEnd) {
        HttpUrl.Builder url = api.url("events");
        if (since != null) {
            url.addQueryParameter("since", since.getEpochSecond() + "." + String.format("%09d", since.getNano()));
        }
        Call call = api.newStreamCall(new Request.Builder().url(url.build()).get().build());
        streams.add(call);
        AtomicBoolean closed = new AtomicBoolean();
        Thread reader = Thread.ofPlatform().daemon().name("berth-events-remote").unstarted(() -> {
            Throwable failure = null;
            try (Response r = call.execute()) {
                if (!r.isSuccessful()) {
                    throw ApiClient.error(r, "/events");
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
                failure = closed.get() ? null : api.unreachable(e);
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
        api.close();
    }

    // ---- registries ----------------------------------------------------------------------------

    @Override
    public void login(String registry, String username, String password) {
        ObjectNode body = JSON.createObjectNode();
        body.put("username", username);
        body.put("password", password);
        body.put("serveraddress", registry.strip());
        api.send(new Request.Builder().url(api.url("auth").build())
                .post(RequestBody.create(body.toString(), MediaType.get("application/json"))).build(), "/auth");
        logins.put(key(registry), new String[] {username, password});
    }

    @Override
    public boolean logout(String registry) {
        return logins.remove(key(registry)) != null;
    }

    private static String key(String registry) {
        String r = registry.strip();
        return r.equals("index.docker.io") || r.equals("registry-1.docker.io") || r.startsWith("https://index.docker.io")
                ? Reference.DOCKER_HUB : r;
    }

    @Override
    public Optional<String> registryAuth(String registry) {
        String[] login = logins.get(key(registry));
        return login == null ? Optional.empty() : Optional.of(ApiClient.registryAuthHeader(login[0], login[1], registry));
    }

    @Override
    public RegistrySettings registrySettings() {
        return parseRegistrySettings(api.get("info").path("RegistryConfig"));
    }

    static RegistrySettings parseRegistrySettings(JsonNode rc) {
        List<String> insecure = new ArrayList<>(strings(rc.path("InsecureRegistryCIDRs")));
        rc.path("IndexConfigs").properties().forEach(e -> {
            if (!e.getValue().path("Secure").asBoolean(true) && !insecure.contains(e.getKey())) {
                insecure.add(e.getKey());
            }
        });
        return new RegistrySettings(strings(rc.path("Mirrors")), insecure, false, "");
    }

    @Override
    public RegistrySettings saveRegistrySettings(List<String> mirrors, List<String> insecureRegistries) {
        throw new EngineException.FailedPrecondition("the engine at " + api.host()
                + " keeps its registry settings in its own configuration; change them there and restart it");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
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
}
