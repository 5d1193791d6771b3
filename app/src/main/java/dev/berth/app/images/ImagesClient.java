package dev.berth.app.images;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.backend.ApiClient;
import dev.berth.app.backend.Backend;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.image.Reference;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.berth.app.backend.ApiClient.text;

/**
 * The Images pane's calls, over the Docker Engine API ({@code /images/...}): the same code for the
 * embedded engine and for an engine the app is a client of. Pull, push and load read Docker's JSON
 * progress stream into {@link ImageProgress} steps; an error line in it fails the call with the
 * engine's message, classified. Calls block: run them on a background platform thread; pull, push,
 * save and load stop with {@link InterruptedException} when that thread is interrupted.
 */
public final class ImagesClient {

    private static final Pattern PUSHED_DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");
    private static final List<String> LOADED = List.of("Loaded image: ", "Loaded image ID: ");

    private final ApiClient api;
    private final Function<String, Optional<String>> registryAuth;

    /**
     * @param registryAuth the {@code X-Registry-Auth} value for a registry host, when the app holds
     *                     a login for it (see {@link Backend#registryAuth})
     */
    public ImagesClient(ApiClient api, Function<String, Optional<String>> registryAuth) {
        this.api = api;
        this.registryAuth = registryAuth;
    }

    /** The client for {@code backend}'s API and logins (connects to its socket on first use: not on the FX thread). */
    public static ImagesClient of(Backend backend) {
        return new ImagesClient(backend.api(), backend::registryAuth);
    }

    /**
     * Checks an image reference with the engine's own rules and returns its full form
     * ({@code busybox} is {@code docker.io/library/busybox:latest}).
     *
     * @throws EngineException.InvalidArgument naming what is wrong
     */
    public static String normalize(String reference) {
        return Reference.parse(reference == null ? "" : reference.strip()).toString();
    }

    /** {@code docker images}: every tagged and dangling image (not build intermediates). */
    public List<ImageSummary> list() {
        List<ImageSummary> out = new ArrayList<>();
        for (JsonNode i : api.get("images/json")) {
            out.add(parseSummary(i));
        }
        return out;
    }

    /**
     * {@code docker pull}: pulls {@code reference} for {@code platform} ({@code os/arch[/variant]},
     * null or blank for the host's), reporting each step to {@code progress} on this thread.
     *
     * @return the pulled image's id
     */
    public String pull(String reference, String platform, Consumer<ImageProgress> progress) throws InterruptedException {
        Reference ref = Reference.parse(reference.strip());
        HttpUrl.Builder url = api.url("images/create").addQueryParameter("fromImage", ref.name())
                .addQueryParameter("tag", ref.digest() != null ? ref.digest().toString() : ref.tag());
        if (platform != null && !platform.isBlank()) {
            url.addQueryParameter("platform", platform.strip());
        }
        Request.Builder request = new Request.Builder().url(url.build()).post(RequestBody.create(new byte[0]));
        registryAuth.apply(ref.domain()).ifPresent(h -> request.header("X-Registry-Auth", h));
        streamProgress(request.build(), "/images/create", progress);
        return text(inspect(ref.familiar()), "Id");
    }

    /** {@code docker push}: pushes the image tagged {@code reference}; returns the manifest digest pushed. */
    public String push(String reference, Consumer<ImageProgress> progress) throws InterruptedException {
        Reference ref = Reference.parse(reference.strip());
        HttpUrl.Builder url = api.url("images/" + ref.familiarName() + "/push");
        if (ref.tag() != null) {
            url.addQueryParameter("tag", ref.tag());
        }
        // dockerd requires the header even for an anonymous push
        String auth = registryAuth.apply(ref.domain()).orElseGet(() -> ApiClient.registryAuthHeader("", "", ref.domain()));
        Request request = new Request.Builder().url(url.build()).post(RequestBody.create(new byte[0]))
                .header("X-Registry-Auth", auth).build();
        String[] digest = {""};
        streamProgress(request, "/push", p -> {
            Matcher m = PUSHED_DIGEST.matcher(p.message());
            if (m.find()) {
                digest[0] = m.group(1);
            }
            progress.accept(p);
        });
        return digest[0];
    }

    /** {@code docker tag}: points {@code target} at the image named {@code source} (a reference or id). */
    public void tag(String source, String target) {
        Reference t = Reference.parse(target.strip());
        HttpUrl.Builder url = api.url("images/" + source + "/tag").addQueryParameter("repo", t.familiarName());
        if (t.tag() != null) {
            url.addQueryParameter("tag", t.tag());
        }
        api.post(url.build(), null);
    }

    /** {@code docker rmi [--force]}: untags or deletes the named image. */
    public List<RemovedImage> remove(String name, boolean force) {
        JsonNode r = api.delete(api.url("images/" + name).addQueryParameter("force", Boolean.toString(force)).build());
        List<RemovedImage> out = new ArrayList<>();
        r.forEach(n -> out.add(new RemovedImage(text(n, "Untagged"), text(n, "Deleted"))));
        return out;
    }

    /** {@code docker image inspect}: Docker's JSON for the image. */
    public JsonNode inspect(String name) {
        return api.get("images/" + name + "/json");
    }

    /**
     * {@code docker history}, newest first, with the layer each step added and how many other
     * images share it (from every other image's {@code RootFS.Layers}).
     */
    public List<ImageLayer> history(String name) {
        JsonNode inspect = inspect(name);
        String id = text(inspect, "Id");
        List<LayerSharing.Step> steps = new ArrayList<>();
        for (JsonNode h : api.get("images/" + name + "/history")) {
            steps.add(new LayerSharing.Step(text(h, "Id"), instant(h.path("Created").asLong()), text(h, "CreatedBy"),
                    h.path("Size").asLong(), text(h, "Comment"), strings(h.path("Tags")), null));
        }
        List<List<String>> others = new ArrayList<>();
        for (ImageSummary s : list()) {
            if (!s.id().equals(id)) {
                others.add(strings(inspect(s.id()).path("RootFS").path("Layers")));
            }
        }
        return LayerSharing.attach(steps, strings(inspect.path("RootFS").path("Layers")), others);
    }

    /** {@code docker save -o file}: writes the named images to {@code file}, replaced only when complete. */
    public void save(List<String> names, Path file) throws InterruptedException {
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

    /** {@code docker load -i file}: returns the loaded references (or ids for untagged images). */
    public List<String> load(Path file, Consumer<ImageProgress> progress) throws InterruptedException {
        if (!Files.isRegularFile(file)) {
            throw new EngineException.NotFound("no such file: " + file);
        }
        RequestBody body = RequestBody.create(file.toFile(), MediaType.get("application/x-tar"));
        Request request = new Request.Builder().url(api.url("images/load").addQueryParameter("quiet", "0").build())
                .post(body).build();
        List<String> loaded = new ArrayList<>();
        streamProgress(request, "/images/load", p -> {
            for (String prefix : LOADED) {
                if (p.message().startsWith(prefix)) {
                    loaded.add(p.message().substring(prefix.length()).strip());
                }
            }
            progress.accept(p);
        });
        return loaded;
    }

    /** {@code docker image prune [-a]}. */
    public PruneResult prune(boolean all) {
        HttpUrl.Builder url = api.url("images/prune");
        if (all) {
            url.addQueryParameter("filters", "{\"dangling\":[\"false\"]}");
        }
        JsonNode r = api.post(url.build(), null);
        List<RemovedImage> removed = new ArrayList<>();
        r.path("ImagesDeleted").forEach(n -> removed.add(new RemovedImage(text(n, "Untagged"), text(n, "Deleted"))));
        return new PruneResult(removed, r.path("SpaceReclaimed").asLong());
    }

    // ---- Docker's JSON -> records -----------------------------------------------------------------

    /** Runs a request answered by Docker's JSON progress stream, passing each line on as a step. */
    private void streamProgress(Request request, String what, Consumer<ImageProgress> progress) throws InterruptedException {
        api.streamJsonLines(request, what, n -> {
            if (n.hasNonNull("error") || n.hasNonNull("errorDetail")) {
                throw streamError(n.hasNonNull("error") ? n.get("error").asText() : text(n.get("errorDetail"), "message"));
            }
            progress.accept(parseProgress(n));
        });
    }

    /** One row of {@code GET /images/json}. */
    static ImageSummary parseSummary(JsonNode i) {
        return new ImageSummary(text(i, "Id"), strings(i.path("RepoTags")), strings(i.path("RepoDigests")),
                instant(i.path("Created").asLong()), i.path("Size").asLong(),
                i.has("Containers") ? i.path("Containers").asInt() : -1);
    }

    /**
     * Classifies a progress stream's error line (the status code was sent before the failure) the
     * way the API would have with a status code.
     */
    static EngineException streamError(String message) {
        String m = message.toLowerCase(Locale.ROOT);
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

    /** One line of the progress stream: Docker's words for a step turned back into its phase. */
    static ImageProgress parseProgress(JsonNode n) {
        String status = text(n, "status");
        JsonNode detail = n.path("progressDetail");
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
        return new ImageProgress(id, phase, detail.path("current").asLong(), detail.path("total").asLong(), status);
    }

    private static Instant instant(long epochSeconds) {
        return epochSeconds > 0 ? Instant.ofEpochSecond(epochSeconds) : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
