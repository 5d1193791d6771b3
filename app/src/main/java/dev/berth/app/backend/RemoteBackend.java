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
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
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

    // ---- images ------------------------------------------------------------------------------

    @Override
    public String normalizeReference(String reference) {
        return Reference.parse(reference == null ? "" : reference.strip()).toString();
    }

    @Override
    public List<ImageSummary> images() {
        List<ImageSummary> out = new ArrayList<>();
        for (JsonNode i : api.get("images/json")) {
            out.add(parseImageSummary(i));
        }
        return out;
    }

    static ImageSummary parseImageSummary(JsonNode i) {
        long created = i.path("Created").asLong();
        return new ImageSummary(text(i, "Id"), strings(i.path("RepoTags")), strings(i.path("RepoDigests")),
                created > 0 ? Instant.ofEpochSecond(created) : null, i.path("Size").asLong(),
                i.has("Containers") ? i.path("Containers").asInt() : -1);
    }

    @Override
    public String pullImage(String reference, String platform, Consumer<ImageProgress> progress) throws InterruptedException {
        Reference ref = Reference.parse(reference.strip());
        HttpUrl.Builder url = api.url("images/create").addQueryParameter("fromImage", ref.name());
        if (ref.digest() != null) {
            url.addQueryParameter("tag", ref.digest().toString());
        } else {
            url.addQueryParameter("tag", ref.tag());
        }
        if (platform != null && !platform.isBlank()) {
            url.addQueryParameter("platform", platform.strip());
        }
        Request.Builder rb = new Request.Builder().url(url.build()).post(RequestBody.create(new byte[0]));
        auth(ref.domain()).ifPresent(h -> rb.header("X-Registry-Auth", h));
        streamProgress(rb.build(), "/images/create", progress);
        return text(api.get("images/" + ref.familiar() + "/json"), "Id");
    }

    @Override
    public String pushImage(String reference, Consumer<ImageProgress> progress) throws InterruptedException {
        Reference ref = Reference.parse(reference.strip());
        HttpUrl.Builder url = api.url("images/" + ref.familiarName() + "/push");
        if (ref.tag() != null) {
            url.addQueryParameter("tag", ref.tag());
        }
        Request.Builder rb = new Request.Builder().url(url.build()).post(RequestBody.create(new byte[0]));
        // dockerd requires the header even for anonymous pushes
        rb.header("X-Registry-Auth", auth(ref.domain()).orElse(authHeader("", "", ref.domain())));
        String[] digest = {""};
        streamProgress(rb.build(), "/push", p -> {
            Matcher m = Pattern.compile("digest: (sha256:[0-9a-f]{64})").matcher(p.message());
            if (m.find()) {
                digest[0] = m.group(1);
            }
            progress.accept(p);
        });
        return digest[0];
    }

    @Override
    public void tagImage(String source, String target) {
        Reference t = Reference.parse(target.strip());
        HttpUrl.Builder url = api.url("images/" + source + "/tag").addQueryParameter("repo", t.familiarName());
        if (t.tag() != null) {
            url.addQueryParameter("tag", t.tag());
        }
        api.send(new Request.Builder().url(url.build()).post(RequestBody.create(new byte[0])).build(), "/tag");
    }

    @Override
    public List<RemovedImage> removeImage(String name, boolean force) {
        HttpUrl url = api.url("images/" + name).addQueryParameter("force", Boolean.toString(force)).build();
        JsonNode r = api.send(new Request.Builder().url(url).delete().build(), "DELETE /images");
        List<RemovedImage> out = new ArrayList<>();
        r.forEach(n -> out.add(new RemovedImage(text(n, "Untagged"), text(n, "Deleted"))));
        return out;
    }

    @Override
    public JsonNode inspectImage(String name) {
        return api.get("images/" + name + "/json");
    }

    @Override
    public List<ImageLayer> imageHistory(String name) {
        JsonNode inspect = inspectImage(name);
        String id = text(inspect, "Id");
        List<LayerSharing.Step> steps = new ArrayList<>();
        for (JsonNode h : api.get("images/" + name + "/history")) {
            long created = h.path("Created").asLong();
            steps.add(new LayerSharing.Step(text(h, "Id"), created > 0 ? Instant.ofEpochSecond(created) : null,
                    text(h, "CreatedBy"), h.path("Size").asLong(), text(h, "Comment"), strings(h.path("Tags")), null));
        }
        List<List<String>> others = new ArrayList<>();
        for (ImageSummary s : images()) {
            if (!s.id().equals(id)) {
                others.add(strings(inspectImage(s.id()).path("RootFS").path("Layers")));
            }
        }
        return LayerSharing.attach(steps, strings(inspect.path("RootFS").path("Layers")), others);
    }

    @Override
    public void saveImages(List<String> names, Path file) throws InterruptedException {
        HttpUrl.Builder url = api.url("images/get");
        names.forEach(n -> url.addQueryParameter("names", n));
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            api.stream(new Request.Builder().url(url.build()).get().build(), "/images/get", r -> {
                try (InputStream in = r.body().byteStream(); OutputStream out = Files.newOutputStream(partial)) {
                    in.transferTo(out);
                }
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            });
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // best effort: the partial file is named as such
            }
        }
    }

    @Override
    public List<String> loadImages(Path file, Consumer<ImageProgress> progress) throws InterruptedException {
        if (!Files.isRegularFile(file)) {
            throw new EngineException.NotFound("no such file: " + file);
        }
        RequestBody body = RequestBody.create(file.toFile(), MediaType.get("application/x-tar"));
        Request request = new Request.Builder().url(api.url("images/load").addQueryParameter("quiet", "0").build()).post(body).build();
        List<String> loaded = new ArrayList<>();
        streamProgress(request, "/images/load", p -> {
            String m = p.message();
            for (String prefix : List.of("Loaded image: ", "Loaded image ID: ")) {
                if (m.startsWith(prefix)) {
                    loaded.add(m.substring(prefix.length()).strip());
                }
            }
            progress.accept(p);
        });
        return loaded;
    }

    @Override
    public PruneResult pruneImages(boolean all) {
        HttpUrl.Builder url = api.url("images/prune");
        if (all) {
            url.addQueryParameter("filters", "{\"dangling\":[\"false\"]}");
        }
        JsonNode r = api.send(new Request.Builder().url(url.build()).post(RequestBody.create(new byte[0])).build(), "/images/prune");
        List<RemovedImage> removed = new ArrayList<>();
        r.path("ImagesDeleted").forEach(n -> removed.add(new RemovedImage(text(n, "Untagged"), text(n, "Deleted"))));
        return new PruneResult(removed, r.path("SpaceReclaimed").asLong());
    }

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

    private Optional<String> auth(String domain) {
        String[] login = logins.get(key(domain));
        return login == null ? Optional.empty() : Optional.of(authHeader(login[0], login[1], domain));
    }

    /** X-Registry-Auth: base64url of the JSON auth config, as the docker CLI sends it. */
    static String authHeader(String username, String password, String server) {
        ObjectNode n = JSON.createObjectNode();
        n.put("username", username);
        n.put("password", password);
        n.put("serveraddress", server);
        return Base64.getUrlEncoder().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
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

    /**
     * Runs a request whose answer is Docker's JSON progress stream, one message a line, passing
     * each on; an {@code error} line fails the call with the engine's message, classified.
     */
    private void streamProgress(Request request, String what, Consumer<ImageProgress> progress) throws InterruptedException {
        api.streamJsonLines(request, what, n -> {
            if (n.hasNonNull("error") || n.hasNonNull("errorDetail")) {
                String message = n.hasNonNull("error") ? n.get("error").asText() : text(n.get("errorDetail"), "message");
                throw streamError(message);
            }
            progress.accept(parseProgress(n));
        });
    }

    /** Classifies a progress stream's error line the way the API would have with a status code. */
    static EngineException streamError(String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("not found") || m.contains("manifest unknown") || m.contains("does not exist")) {
            return new EngineException.NotFound(message);
        }
        if (m.contains("unauthorized") || m.contains("authentication required") || m.contains("denied")
                || m.contains("no basic auth credentials")) {
            return new EngineException.Unauthorized(message);
        }
        if (m.contains("digest") && (m.contains("mismatch") || m.contains("verif"))) {
            return new EngineException.FailedPrecondition(message);
        }
        return new EngineException.Unavailable(message);
    }

    static ImageProgress parseProgress(JsonNode n) {
        String status = text(n, "status");
        JsonNode detail = n.path("progressDetail");
        long current = detail.path("current").asLong();
        long total = detail.path("total").asLong();
        String id = text(n, "id");
        ImageProgress.Phase phase = switch (status) {
            case "Pulling fs layer", "Waiting" -> ImageProgress.Phase.WAITING;
            case "Downloading" -> ImageProgress.Phase.DOWNLOADING;
            case "Verifying Checksum", "Download complete" -> ImageProgress.Phase.VERIFYING;
            case "Extracting" -> ImageProgress.Phase.EXTRACTING;
            case "Pull complete" -> ImageProgress.Phase.PULL_COMPLETE;
            case "Already exists", "Layer already exists" -> ImageProgress.Phase.ALREADY_EXISTS;
            case "Preparing" -> ImageProgress.Phase.PREPARING;
            case "Pushing" -> ImageProgress.Phase.PUSHING;
            case "Pushed" -> ImageProgress.Phase.PUSHED;
            case "Loading layer" -> ImageProgress.Phase.LOADING;
            default -> status.startsWith("Mounted from") ? ImageProgress.Phase.MOUNTED : ImageProgress.Phase.STATUS;
        };
        // a line about the whole image ("Pulling from library/busybox", "Digest: ...") has the tag as id
        if (phase == ImageProgress.Phase.STATUS) {
            id = "";
        }
        if (status.isEmpty() && n.hasNonNull("stream")) {
            status = n.get("stream").asText().strip();
        }
        return new ImageProgress(id, phase, current, total, status);
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

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
