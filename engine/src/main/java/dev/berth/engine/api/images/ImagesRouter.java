package dev.berth.engine.api.images;

import dev.berth.engine.api.http.ApiVersion;
import dev.berth.engine.api.http.Exchange;
import dev.berth.engine.api.http.ResponseStream;
import dev.berth.engine.api.http.Route;
import dev.berth.engine.api.http.Router;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.image.Reference;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.Platform;
import dev.berth.engine.registry.Credentials;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The images routes of the Docker Engine API (moby's {@code router/image}) and {@code /auth}:
 * list, pull and import ({@code /images/create}), inspect, history, tag, push, remove, search,
 * save ({@code /images/get}), load, prune. Handlers parse parameters, call the
 * {@link ImagesBackend} and write Docker's shapes; pull, push and load answer with Docker's JSON
 * progress stream, which begins only with its first line so that a failure before it (an
 * unknown image) is a plain error with its status code. A client that goes away cancels its
 * pull, push, save or load.
 */
public final class ImagesRouter implements Router {

    private static final Set<String> LIST_FILTERS = Set.of("before", "dangling", "label", "reference", "since", "until");
    private static final Set<String> PRUNE_FILTERS = Set.of("dangling", "label", "label!", "until");
    private static final Set<String> SEARCH_FILTERS = Set.of("is-official", "is-automated", "stars");
    /** Docker's default number of search hits. */
    private static final int SEARCH_LIMIT = 25;
    private static final int AUTH_BODY_MAX = 64 * 1024;
    private static final ApiVersion VIRTUAL_SIZE_REMOVED = new ApiVersion(1, 44);

    private final ImagesBackend backend;

    public ImagesRouter(ImagesBackend backend) {
        this.backend = backend;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/images/json", this::list),
                Route.post("/images/create", this::create),
                Route.get("/images/search", this::search),
                Route.get("/images/get", this::saveMany),
                Route.post("/images/load", this::load),
                Route.post("/images/prune", this::prune),
                Route.get("/images/{name*}/json", this::inspect),
                Route.get("/images/{name*}/history", this::history),
                Route.get("/images/{name*}/get", this::saveOne),
                Route.post("/images/{name*}/tag", this::tag),
                Route.post("/images/{name*}/push", this::push),
                Route.delete("/images/{name*}", this::remove),
                Route.post("/auth", this::auth));
    }

    // ------------------------------------------------------------------ reading

    private void list(Exchange ex) {
        Map<String, List<String>> filters = new LinkedHashMap<>(ex.filters().acceptOnly(LIST_FILTERS).values());
        // the "filter" parameter of API < 1.41 (docker-java and Testcontainers still send it) is a reference filter
        ex.query("filter").map(String::strip).filter(f -> !f.isEmpty()).ifPresent(f -> {
            List<String> refs = new ArrayList<>(filters.getOrDefault("reference", List.of()));
            refs.add(f);
            filters.put("reference", refs);
        });
        boolean sharedSize = ex.queryBool("shared-size");
        boolean virtualSize = !ex.apiVersion().isAtLeast(VIRTUAL_SIZE_REMOVED);
        ex.respondJson(backend.list(ex.queryBool("all"), filters).stream()
                .map(s -> ImageSummaryResponse.of(s, sharedSize, false, virtualSize))
                .toList());
    }

    private void inspect(Exchange ex) {
        ex.respondJson(ImageInspectResponse.of(backend.inspect(ex.pathParam("name"))));
    }

    private void history(Exchange ex) {
        ex.respondJson(backend.history(ex.pathParam("name")).stream().map(ImageResponses.HistoryItem::of).toList());
    }

    private void search(Exchange ex) {
        String term = ex.query("term").map(String::strip).orElse("");
        if (term.isEmpty()) {
            throw new EngineException.InvalidArgument("search needs a term");
        }
        var filters = ex.filters().acceptOnly(SEARCH_FILTERS);
        long limit = ex.queryLong("limit", SEARCH_LIMIT);
        if (limit < 1 || limit > 100) {
            throw new EngineException.InvalidArgument("limit " + limit + " is outside the range [1, 100]");
        }
        int minStars = 0;
        for (String s : filters.get("stars")) {
            try {
                minStars = Math.max(minStars, Integer.parseInt(s.strip()));
            } catch (NumberFormatException e) {
                throw new EngineException.InvalidArgument("invalid filter 'stars=" + s + "': not a number");
            }
        }
        Optional<Boolean> official = bool(filters.get("is-official"), "is-official");
        Optional<Boolean> automated = bool(filters.get("is-automated"), "is-automated");
        final int stars = minStars;
        ex.respondJson(backend.search(term, (int) limit).stream()
                .filter(r -> r.starCount() >= stars)
                .filter(r -> official.map(o -> o == r.official()).orElse(true))
                .filter(r -> automated.map(a -> !a).orElse(true)) // nothing is an automated build
                .map(ImageResponses.SearchItem::of)
                .toList());
    }

    private static Optional<Boolean> bool(List<String> values, String filter) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        String v = values.getLast().strip();
        return switch (v) {
            case "true", "1" -> Optional.of(true);
            case "false", "0" -> Optional.of(false);
            default -> throw new EngineException.InvalidArgument("invalid filter '" + filter + "=" + v + "': true or false");
        };
    }

    // ------------------------------------------------------------------ pull and import

    private void create(Exchange ex) throws Exception {
        if (ex.query("fromSrc").isPresent()) {
            importImage(ex);
            return;
        }
        String from = ex.query("fromImage").map(String::strip).orElse("");
        if (from.isEmpty()) {
            throw new EngineException.InvalidArgument("fromImage or fromSrc is required");
        }
        Reference ref = pullReference(from, ex.query("tag").map(String::strip).orElse(""));
        Optional<Platform> platform = ex.query("platform").map(String::strip).filter(s -> !s.isEmpty()).map(Platform::parse);
        Optional<Credentials> credentials = RegistryAuth.decodeHeader(ex.header(RegistryAuth.HEADER).orElse(null)).credentials();
        Optional<Digest> before = currentId(ref.toString());

        String pullingFrom = "Pulling from " + ref.path();
        String pullingId = ref.digest() != null ? ref.digest().toString() : ref.tag();
        try (CancelOnDisconnect cancel = new CancelOnDisconnect(ex)) {
            JsonStream out = new JsonStream(ex, List.of(JsonMessage.status(pullingFrom, pullingId)), cancel::cancel);
            try {
                Relay relay = new Relay(out.listener(new ProgressMessages(ProgressMessages.Operation.PULL)),
                        List.of(pullingFrom));
                ImageRecord image = backend.pull(ref, new ImageService.PullOptions(platform, credentials), relay);
                if (image.manifestDigest() != null && !relay.saw("Digest: ")) {
                    out.send(JsonMessage.status("Digest: " + image.manifestDigest()));
                }
                if (!relay.saw("Status: ")) {
                    boolean same = before.isPresent() && before.get().equals(image.id());
                    out.send(JsonMessage.status("Status: " + (same ? "Image is up to date for " : "Downloaded newer image for ")
                            + ref.familiar()));
                }
            } catch (Exception e) {
                out.fail(e);
            }
            out.close();
        }
    }

    /**
     * Passes the service's reports on, except the status lines the router writes itself (so a
     * "Pulling from" line cannot begin the answer before the image is known to exist), and
     * remembers which status lines the service wrote, so the router does not repeat them.
     */
    private static final class Relay implements ImageService.ProgressListener {
        private final ImageService.ProgressListener next;
        private final List<String> dropped;
        private final Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Relay(ImageService.ProgressListener next, List<String> dropped) {
            this.next = next;
            this.dropped = dropped;
        }

        @Override
        public void onProgress(ImageService.Progress p) {
            if (p.phase() == ImageService.Phase.STATUS && p.message() != null) {
                for (String d : dropped) {
                    if (p.message().startsWith(d)) {
                        return;
                    }
                }
                seen.add(p.message());
            }
            next.onProgress(p);
        }

        /** Whether the service wrote a status line beginning with {@code prefix}. */
        boolean saw(String prefix) {
            return seen.stream().anyMatch(m -> m.startsWith(prefix));
        }
    }

    /** {@code fromImage} and {@code tag} as Docker combines them: a tag that is a digest pins it. */
    static Reference pullReference(String fromImage, String tag) {
        Reference ref = Reference.parse(fromImage);
        if (tag.isEmpty()) {
            return ref;
        }
        if (tag.contains(":")) {
            Reference pinned = Reference.parse(ref.name() + "@" + tag);
            return pinned;
        }
        return Reference.parse(ref.name() + ":" + tag);
    }

    private Optional<Digest> currentId(String name) {
        try {
            return Optional.of(backend.inspect(name).image().id());
        } catch (EngineException.NotFound e) {
            return Optional.empty();
        }
    }

    private void importImage(Exchange ex) throws Exception {
        String src = ex.query("fromSrc").orElse("").strip();
        if (!src.equals("-")) {
            throw new EngineException.InvalidArgument("importing from " + (src.isEmpty() ? "an empty fromSrc" : "a URL")
                    + " is not supported: send the rootfs tar as the request body with fromSrc=-");
        }
        String repo = ex.query("repo").map(String::strip).orElse("");
        String tag = ex.query("tag").map(String::strip).orElse("");
        Optional<Reference> target = repo.isEmpty() ? Optional.empty() : Optional.of(pullReference(repo, tag));
        Optional<Platform> platform = ex.query("platform").map(String::strip).filter(s -> !s.isEmpty()).map(Platform::parse);
        ImageRecord image;
        try (CancelOnDisconnect cancel = new CancelOnDisconnect(ex)) {
            image = backend.importImage(ex.body(), target, ex.queryAll("changes"), ex.query("message").orElse(""), platform);
        }
        JsonStream out = new JsonStream(ex, List.of(), () -> {});
        out.send(JsonMessage.status(image.id().toString()));
        out.close();
    }

    // ------------------------------------------------------------------ push, tag, remove

    private void push(Exchange ex) throws Exception {
        String name = ex.pathParam("name");
        Reference repo = Reference.parse(name);
        String tag = ex.query("tag").map(String::strip).orElse("");
        boolean namesTag = name.lastIndexOf(':') > name.lastIndexOf('/') || name.contains("@");
        List<Reference> refs;
        if (!tag.isEmpty()) {
            refs = List.of(pullReference(repo.name(), tag));
        } else if (namesTag) {
            refs = List.of(repo);
        } else {
            // no tag: every local tag of the repository, as Docker pushes them
            refs = backend.list(false, Map.of("reference", List.of(repo.name()))).stream()
                    .flatMap(s -> s.tags().stream())
                    .filter(r -> r.name().equals(repo.name()))
                    .distinct().toList();
            if (refs.isEmpty()) {
                throw new EngineException.NotFound("An image does not exist locally with the tag: " + repo.familiarName());
            }
        }
        Optional<Credentials> credentials = RegistryAuth.decodeHeader(ex.header(RegistryAuth.HEADER).orElse(null)).credentials();
        String refersTo = "The push refers to repository [";
        try (CancelOnDisconnect cancel = new CancelOnDisconnect(ex)) {
            JsonStream out = new JsonStream(ex, List.of(JsonMessage.status(refersTo + repo.name() + "]")), cancel::cancel);
            try {
                for (Reference ref : refs) {
                    Relay relay = new Relay(out.listener(new ProgressMessages(ProgressMessages.Operation.PUSH)),
                            List.of(refersTo));
                    ImageService.PushResult r = backend.push(ref, credentials, relay);
                    if (!relay.saw(ref.tag() + ": digest: ")) {
                        out.send(JsonMessage.status(ref.tag() + ": digest: " + r.digest() + " size: " + r.size()));
                    }
                    out.send(JsonMessage.aux(new ImageResponses.PushAux(ref.tag(), r.digest().toString(), r.size())));
                }
            } catch (Exception e) {
                out.fail(e);
            }
            out.close();
        }
    }

    private void tag(Exchange ex) {
        String repo = ex.query("repo").map(String::strip).orElse("");
        if (repo.isEmpty()) {
            throw new EngineException.InvalidArgument("repository name must have at least one component");
        }
        Reference target = pullReference(repo, ex.query("tag").map(String::strip).orElse(""));
        if (target.digest() != null) {
            throw new EngineException.InvalidArgument("refusing to create a tag with a digest reference");
        }
        backend.tag(ex.pathParam("name"), target);
        ex.respondEmpty(201);
    }

    private void remove(Exchange ex) {
        ex.respondJson(ImageResponses.DeleteItem.of(
                backend.remove(ex.pathParam("name"), ex.queryBool("force"), ex.queryBool("noprune"))));
    }

    private void prune(Exchange ex) {
        var filters = ex.filters().acceptOnly(PRUNE_FILTERS);
        boolean all = false;
        for (String v : filters.get("dangling")) {
            all = switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "false", "0" -> true;
                case "true", "1" -> false;
                default -> throw new EngineException.InvalidArgument("invalid filter 'dangling=" + v + "'");
            };
        }
        Map<String, List<String>> rest = new LinkedHashMap<>(filters.values());
        rest.remove("dangling");
        ex.respondJson(ImageResponses.PruneResponse.of(backend.prune(all, rest)));
    }

    // ------------------------------------------------------------------ save and load

    private void saveOne(Exchange ex) throws Exception {
        save(ex, List.of(ex.pathParam("name")));
    }

    private void saveMany(Exchange ex) throws Exception {
        List<String> names = new ArrayList<>();
        for (String n : ex.queryAll("names")) {
            if (!n.isBlank()) {
                names.add(n.strip());
            }
        }
        if (names.isEmpty()) {
            throw new EngineException.InvalidArgument("no images named: use names=NAME (repeatable)");
        }
        save(ex, names);
    }

    /** The archive streams as the service writes it; the answer begins with its first byte. */
    private void save(Exchange ex, List<String> names) throws Exception {
        try (CancelOnDisconnect cancel = new CancelOnDisconnect(ex)) {
            LazyTarStream out = new LazyTarStream(ex);
            backend.save(names, out);
            out.close();
        }
    }

    private static final class LazyTarStream extends OutputStream {
        private final Exchange ex;
        private ResponseStream out;

        LazyTarStream(Exchange ex) {
            this.ex = ex;
        }

        private ResponseStream out() {
            if (out == null) {
                out = ex.stream(200, "application/x-tar");
            }
            return out;
        }

        @Override
        public void write(int b) throws IOException {
            out().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                out().write(b, off, len);
            }
        }

        @Override
        public void close() {
            out().close();
        }
    }

    private void load(Exchange ex) throws Exception {
        boolean quiet = ex.queryBool("quiet");
        try (CancelOnDisconnect cancel = new CancelOnDisconnect(ex)) {
            JsonStream out = new JsonStream(ex, List.of(), cancel::cancel);
            try {
                ImageService.ProgressListener listener = quiet ? ImageService.ProgressListener.NONE
                        : out.listener(new ProgressMessages(ProgressMessages.Operation.LOAD));
                for (String loaded : backend.load(ex.body(), listener)) {
                    out.send(JsonMessage.stream(loadedLine(loaded)));
                }
            } catch (Exception e) {
                out.fail(e);
            }
            out.close();
        }
    }

    /** Docker's line for one loaded image: its reference or id, or the line the service already worded. */
    static String loadedLine(String loaded) {
        String line = loaded.startsWith("Loaded image") ? loaded
                : (loaded.startsWith("sha256:") ? "Loaded image ID: " : "Loaded image: ") + loaded;
        return line.endsWith("\n") ? line : line + "\n";
    }

    // ------------------------------------------------------------------ auth

    private void auth(Exchange ex) throws IOException {
        RegistryAuth auth = RegistryAuth.parseBody(ex.body().readNBytes(AUTH_BODY_MAX));
        Credentials credentials = auth.credentials().orElseThrow(() ->
                new EngineException.InvalidArgument("login to " + auth.server() + " needs a username and a password"));
        backend.login(auth.server(), credentials);
        ex.respondJson(ImageResponses.AuthResponse.SUCCEEDED);
    }
}
