package dev.berth.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.MediaTypes;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The registry API calls the client makes, one small immutable record each. */
final class Endpoints {

    /** Manifests larger than this are refused (the limit registries and containerd apply). */
    static final int MANIFEST_LIMIT = 4 * 1024 * 1024;

    private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private Endpoints() {}

    static String pull(RegistryRepository repo) {
        return "repository:" + repo.path() + ":pull";
    }

    static String push(RegistryRepository repo) {
        return "repository:" + repo.path() + ":pull,push";
    }

    static String manifestName(RegistryRepository repo, String reference) {
        return repo + (reference.contains(":") ? "@" : ":") + reference;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Optional<Digest> headerDigest(Response r) {
        return r.header("Docker-Content-Digest").map(String::strip).filter(s -> !s.isEmpty()).map(s -> {
            try {
                return Digest.parse(s);
            } catch (EngineException e) {
                return null;
            }
        });
    }

    private static URI locationOf(Response r, String what) {
        String loc = r.header("Location").orElseThrow(() -> new EngineException.Unavailable(
                "the registry answered " + what + " without a Location header"));
        return r.uri().resolve(loc);
    }

    /** Appends a query parameter to a URL that may already have a query (upload locations do). */
    static URI withQuery(URI u, String name, String value) {
        String s = u.toString();
        return URI.create(s + (u.getRawQuery() == null ? "?" : "&") + enc(name) + "=" + enc(value));
    }

    // ---------------------------------------------------------------- manifests

    /** A manifest's bytes as they came, with the headers that describe them. */
    record ManifestBytes(String contentType, byte[] bytes, Optional<Digest> headerDigest) {
    }

    record ManifestGet(RegistryRepository repo, String reference) implements Endpoint<ManifestBytes> {
        public String method() { return "GET"; }
        public URI uri(RegistryHost h) { return h.resolve("/v2/" + repo.path() + "/manifests/" + reference); }
        public List<String> scopes() { return List.of(pull(repo)); }
        public String what() { return "manifest for " + manifestName(repo, reference); }
        public boolean isSuccess(int s) { return s == 200; }
        public List<String> accept() { return MediaTypes.MANIFEST_ACCEPT; }

        public ManifestBytes handle(Response r) throws IOException {
            long declared = r.contentLength();
            if (declared > MANIFEST_LIMIT) {
                throw tooLarge(declared);
            }
            byte[] bytes = r.readBody(MANIFEST_LIMIT);
            if (bytes == null) {
                throw tooLarge(-1);
            }
            return new ManifestBytes(r.header("Content-Type").orElse(""), bytes, headerDigest(r));
        }

        private EngineException tooLarge(long size) {
            return new EngineException.InvalidArgument(what() + " is larger than 4 MiB"
                    + (size > 0 ? " (" + size + " bytes)" : "") + "; refusing to read it");
        }
    }

    record ManifestHead(RegistryRepository repo, String reference) implements Endpoint<Optional<HeadResult>> {
        public String method() { return "HEAD"; }
        public URI uri(RegistryHost h) { return h.resolve("/v2/" + repo.path() + "/manifests/" + reference); }
        public List<String> scopes() { return List.of(pull(repo)); }
        public String what() { return "manifest for " + manifestName(repo, reference); }
        public boolean isSuccess(int s) { return s == 200; }
        public List<String> accept() { return MediaTypes.MANIFEST_ACCEPT; }
        public boolean notFoundIsAnswer() { return true; }
        public Optional<HeadResult> notFound() { return Optional.empty(); }

        public Optional<HeadResult> handle(Response r) {
            return Optional.of(new HeadResult(MediaTypes.normalize(r.header("Content-Type").orElse("")),
                    headerDigest(r), r.contentLength()));
        }
    }

    /** What a HEAD says about a manifest. */
    record HeadResult(String mediaType, Optional<Digest> digest, long size) {
    }

    record ManifestPut(RegistryRepository repo, String reference, String mediaType, byte[] bytes)
            implements Endpoint<Optional<Digest>> {
        public String method() { return "PUT"; }
        public URI uri(RegistryHost h) { return h.resolve("/v2/" + repo.path() + "/manifests/" + reference); }
        public List<String> scopes() { return List.of(push(repo)); }
        public String what() { return "manifest for " + manifestName(repo, reference); }
        public boolean isSuccess(int s) { return s == 201 || s == 200 || s == 202; }
        public RequestBody body() { return new RequestBody(mediaType, bytes.length, BlobContent.of(bytes)); }
        public Optional<Digest> handle(Response r) { return headerDigest(r); }
    }

    // ---------------------------------------------------------------- blobs

    /** A blob reply: 200 (whole blob) or 206 (from {@code rangeStart}); the stream belongs to the caller. */
    record BlobReply(int status, long contentLength, long rangeStart, long totalSize, InputStream body) {
    }

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    record BlobGet(RegistryRepository repo, Digest digest, long offset) implements Endpoint<BlobReply> {
        public String method() { return "GET"; }
        public URI uri(RegistryHost h) { return h.resolve("/v2/" + repo.path() + "/blobs/" + digest); }
        public List<String> scopes() { return List.of(pull(repo)); }
        public String what() { return "blob " + digest + " in " + repo; }
        public boolean isSuccess(int s) { return s == 200 || s == 206; }
        public boolean ownsBody() { return true; }
        public Map<String, String> headers() {
            return offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        }

        public BlobReply handle(Response r) {
            long start = 0;
            long total = r.status() == 200 ? r.contentLength() : -1;
            if (r.status() == 206) {
                Matcher m = CONTENT_RANGE.matcher(r.header("Content-Range").orElse(""));
                if (!m.find()) {
                    r.close();
                    throw new EngineException.Unavailable("the registry answered a range request for " + what()
                            + " without a valid Content-Range");
                }
                start = Long.parseLong(m.group(1));
                total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
            }
            return new BlobReply(r.status(), r.contentLength(), start, total, r.body());
        }
    }

    record BlobHead(RegistryRepository repo, Digest digest, boolean forPush) implements Endpoint<Optional<Long>> {
        public String method() { return "HEAD"; }
        public URI uri(RegistryHost h) { return h.resolve("/v2/" + repo.path() + "/blobs/" + digest); }
        public List<String> scopes() { return List.of(forPush ? push(repo) : pull(repo)); }
        public String what() { return "blob " + digest + " in " + repo; }
        public boolean isSuccess(int s) { return s == 200; }
        public boolean notFoundIsAnswer() { return true; }
        public Optional<Long> notFound() { return Optional.empty(); }
        public Optional<Long> handle(Response r) { return Optional.of(r.contentLength()); }
    }

    record UploadStart(RegistryRepository repo) implements Endpoint<URI> {
        public String method() { return "POST"; }
        public URI uri(RegistryHost h) { return h.resolve("/v2/" + repo.path() + "/blobs/uploads/"); }
        public List<String> scopes() { return List.of(push(repo)); }
        public String what() { return "an upload to " + repo; }
        public boolean isSuccess(int s) { return s == 202; }
        public RequestBody body() { return new RequestBody(null, 0, BlobContent.of(new byte[0])); }
        public URI handle(Response r) { return locationOf(r, what()); }
    }

    /** The outcome of a mount request. */
    sealed interface MountResult permits Mounted, UploadStarted {
    }

    record Mounted() implements MountResult {
    }

    /** The registry could not mount and opened an ordinary upload instead. */
    record UploadStarted(URI location) implements MountResult {
    }

    record Mount(RegistryRepository repo, Digest digest, RegistryRepository from) implements Endpoint<MountResult> {
        public String method() { return "POST"; }
        public URI uri(RegistryHost h) {
            return h.resolve("/v2/" + repo.path() + "/blobs/uploads/?mount=" + enc(digest.toString())
                    + "&from=" + enc(from.path()));
        }
        public List<String> scopes() { return List.of(push(repo), pull(from)); }
        public String what() { return "blob " + digest + " mounted from " + from + " into " + repo; }
        public boolean isSuccess(int s) { return s == 201 || s == 202; }
        public RequestBody body() { return new RequestBody(null, 0, BlobContent.of(new byte[0])); }
        public MountResult handle(Response r) {
            return r.status() == 201 ? new Mounted() : new UploadStarted(locationOf(r, what()));
        }
    }

    record UploadPatch(RegistryRepository repo, URI location, long start, long length, BlobContent chunk)
            implements Endpoint<URI> {
        public String method() { return "PATCH"; }
        public URI uri(RegistryHost h) { return location; }
        public List<String> scopes() { return List.of(push(repo)); }
        public String what() { return "an upload to " + repo; }
        public boolean isSuccess(int s) { return s == 202; }
        public Map<String, String> headers() {
            return Map.of("Content-Range", start + "-" + (start + length - 1));
        }
        public RequestBody body() { return new RequestBody("application/octet-stream", length, chunk); }
        public URI handle(Response r) { return locationOf(r, what()); }
    }

    record UploadPut(RegistryRepository repo, URI location, Digest digest, long length, BlobContent content)
            implements Endpoint<Optional<Digest>> {
        public String method() { return "PUT"; }
        public URI uri(RegistryHost h) { return withQuery(location, "digest", digest.toString()); }
        public List<String> scopes() { return List.of(push(repo)); }
        public String what() { return "blob " + digest + " in " + repo; }
        public boolean isSuccess(int s) { return s == 201 || s == 204; }
        public RequestBody body() { return new RequestBody("application/octet-stream", length, content); }
        public Optional<Digest> handle(Response r) { return headerDigest(r); }
    }

    // ---------------------------------------------------------------- listing

    /** One page of a paginated list, and the next page's URL if the registry gave one. */
    record Page(List<String> items, URI next) {
    }

    private static URI nextLink(Response r) {
        for (String link : r.headers().allValues("Link")) {
            Matcher m = LINK_NEXT.matcher(link);
            if (m.find()) {
                return r.uri().resolve(m.group(1));
            }
        }
        return null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    record TagsList(RegistryRepository repo, URI page) implements Endpoint<Page> {
        static TagsList first(RegistryRepository repo, int n) {
            return new TagsList(repo, URI.create("/v2/" + repo.path() + "/tags/list?n=" + n));
        }
        public String method() { return "GET"; }
        public URI uri(RegistryHost h) { return h.base().resolve(page); }
        public List<String> scopes() { return List.of(pull(repo)); }
        public String what() { return "tags of " + repo; }
        public boolean isSuccess(int s) { return s == 200; }
        public Page handle(Response r) throws IOException {
            byte[] body = r.readBody(MANIFEST_LIMIT);
            if (body == null) {
                throw new EngineException.InvalidArgument("the tag list of " + repo + " is too large to read");
            }
            return new Page(strings(Json.mapper().readTree(body).get("tags")), nextLink(r));
        }
    }

    record Catalog(String registry, URI page) implements Endpoint<Page> {
        static Catalog first(String registry, int n) {
            return new Catalog(registry, URI.create("/v2/_catalog?n=" + n));
        }
        public String method() { return "GET"; }
        public URI uri(RegistryHost h) { return h.base().resolve(page); }
        public List<String> scopes() { return List.of("registry:catalog:*"); }
        public String what() { return "the catalog of " + registry; }
        public boolean isSuccess(int s) { return s == 200; }
        public Page handle(Response r) throws IOException {
            byte[] body = r.readBody(MANIFEST_LIMIT);
            if (body == null) {
                throw new EngineException.InvalidArgument("the catalog of " + registry + " is too large to read");
            }
            return new Page(strings(Json.mapper().readTree(body).get("repositories")), nextLink(r));
        }
    }

    // ---------------------------------------------------------------- authentication

    /** A bearer token and when to stop using it. Its value is never logged. */
    record Token(String value, Instant expiresAt) {
        @Override
        public String toString() {
            return "Token[expires " + expiresAt + "]";
        }
    }

    /** GET realm?service=..&scope=.. (Basic credentials when there are some); reads token or access_token. */
    record TokenFetch(String registry, URI realm, String service, List<String> tokenScopes, String authorization)
            implements Endpoint<Token> {
        public String method() { return "GET"; }
        public URI uri(RegistryHost h) {
            URI u = realm;
            if (service != null && !service.isEmpty()) {
                u = withQuery(u, "service", service);
            }
            for (String s : tokenScopes) {
                u = withQuery(u, "scope", s);
            }
            return u;
        }
        public List<String> scopes() { return List.of(); }
        public String what() { return "a token for " + registry; }
        public boolean isSuccess(int s) { return s == 200; }
        public String fixedAuthorization() { return authorization == null ? "" : authorization; }
        public Token handle(Response r) throws IOException {
            byte[] body = r.readBody(1 << 20);
            JsonNode tree = body == null ? null : Json.mapper().readTree(body);
            String token = tree == null ? "" : tree.path("token").asText("");
            if (token.isEmpty() && tree != null) {
                token = tree.path("access_token").asText("");
            }
            if (token.isEmpty()) {
                throw new EngineException.Unavailable("the token server of " + registry + " answered without a token");
            }
            long expiresIn = Math.max(60, tree.path("expires_in").asLong(60));
            Instant issued = Instant.now();
            // leave a margin so a token does not expire between use and arrival
            return new Token(token, issued.plusSeconds(expiresIn - Math.min(10, expiresIn / 6)));
        }
    }

    /** GET /v2/ with a chosen Authorization (or none): the status and challenges, for login checks. */
    record Ping(String authorization) implements Endpoint<PingResult> {
        public String method() { return "GET"; }
        public URI uri(RegistryHost h) { return h.resolve("/v2/"); }
        public List<String> scopes() { return List.of(); }
        public String what() { return "the registry API (/v2/)"; }
        public boolean isSuccess(int s) { return s == 200 || s == 401; }
        public String fixedAuthorization() { return authorization == null ? "" : authorization; }
        public PingResult handle(Response r) {
            return new PingResult(r.status(), r.headers().allValues("WWW-Authenticate"));
        }
    }

    record PingResult(int status, List<String> challenges) {
    }
}
