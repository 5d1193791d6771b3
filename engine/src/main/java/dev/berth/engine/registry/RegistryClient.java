package dev.berth.engine.registry;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Descriptor;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.Manifest;
import dev.berth.engine.oci.MediaTypes;
import dev.berth.engine.oci.Platform;
import dev.berth.engine.oci.PlatformMatcher;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The OCI distribution client: manifests (OCI and Docker v2 schema 2, indexes and lists), blobs
 * streamed with their digest verified on the way, pushes with existence checks and cross-repository
 * mounts, tag and catalog listing, and logins in a docker-compatible {@code auth.json}.
 *
 * <p>It stores nothing but logins: blob streams go to the caller, who stores them. One client is
 * thread-safe and reuses connections; run parallel downloads on it from several threads.
 */
public final class RegistryClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RegistryClient.class.getName());

    /**
     * The JDK client reads a response in buffers of {@code jdk.httpclient.bufsize} bytes (16 KiB by
     * default) and passes each through its reactive pipeline and the body stream's queue; with 256 KiB
     * a 220 MiB pull from a loopback registry took about 200 ms less CPU (of 1.2 s) in bench/pull.sh. The JDK reads the property once, when its HTTP client
     * classes load, so it is set here, before this class builds its client, unless the user set it.
     */
    static final String BUFSIZE_PROPERTY = "jdk.httpclient.bufsize";
    static final int BUFSIZE = 256 * 1024;

    static {
        if (System.getProperty(BUFSIZE_PROPERTY) == null) {
            System.setProperty(BUFSIZE_PROPERTY, Integer.toString(BUFSIZE));
        }
    }

    private final RegistryConfig config;
    private final RegistryHosts hosts;
    private final CredentialStore credentials;
    private final Authenticator auth;
    private final HttpClient http;
    private final RegistryCaller caller;
    /** False for a {@link #withCredentials} view, which shares its parent's connections. */
    private final boolean ownsHttp;

    public RegistryClient(RegistryConfig config) {
        this.config = config;
        this.hosts = new RegistryHosts(config.insecureRegistries(), config.mirrors());
        this.credentials = new CredentialStore(config.authFile());
        this.auth = new Authenticator(credentials::get);
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(15))
                .build();
        this.caller = new RegistryCaller(http, auth, config.maxAttempts(), config.initialBackoff());
        this.ownsHttp = true;
    }

    private RegistryClient(RegistryClient parent, Function<String, Optional<Credentials>> lookup) {
        this.config = parent.config;
        this.hosts = parent.hosts;
        this.credentials = parent.credentials;
        this.auth = new Authenticator(lookup);
        this.http = parent.http;
        this.caller = new RegistryCaller(http, auth, config.maxAttempts(), config.initialBackoff());
        this.ownsHttp = false;
    }

    /**
     * A view of this client that answers {@code registry}'s challenges with {@code creds} (for one
     * pull or push, as Docker's {@code X-Registry-Auth}; they are never stored) and every other
     * registry's with the stored logins. It shares this client's connections; closing it does nothing.
     */
    public RegistryClient withCredentials(String registry, Credentials creds) {
        String key = hosts.pushHost(registry).credentialKey();
        return new RegistryClient(this, k -> k.equals(key) ? Optional.of(creds) : credentials.get(k));
    }

    public RegistryHosts hosts() {
        return hosts;
    }

    public CredentialStore credentials() {
        return credentials;
    }

    // ------------------------------------------------------------------ manifests

    /**
     * Fetches the manifest {@code reference} (a tag or a digest) names. When it is a digest the bytes
     * must hash to it; a {@code Docker-Content-Digest} header must match the bytes too.
     *
     * @throws EngineException.NotFound when the registry has no such manifest
     * @throws EngineException.InvalidArgument for schema 1, manifests over 4 MiB, or malformed ones
     * @throws EngineException.Unavailable when the bytes do not match the digest
     */
    public Manifest getManifest(RegistryRepository repo, String reference) {
        checkReference(reference);
        return pull(repo, host -> {
            Endpoints.ManifestBytes mb = caller.call(host, new Endpoints.ManifestGet(repo, reference));
            String name = Endpoints.manifestName(repo, reference);
            String mediaType = Manifest.detectMediaType(mb.contentType(), mb.bytes());
            if (MediaTypes.isSchema1(mediaType)) {
                throw new EngineException.InvalidArgument(name + " uses the Docker image manifest v2 schema 1 format,"
                        + " which is no longer supported; push it again with a current client");
            }
            if (reference.contains(":")) {
                verify(name, Digest.parse(reference), mb.bytes(), "");
            }
            if (mb.headerDigest().isPresent()) {
                verify(name, mb.headerDigest().get(), mb.bytes(), " (the registry reported it in Docker-Content-Digest)");
            }
            return Manifest.parse(mediaType, mb.bytes());
        });
    }

    private static void verify(String name, Digest expected, byte[] bytes, String note) {
        MessageDigest md = expected.newMessageDigest();
        md.update(bytes);
        Digest actual = Digest.of(md);
        if (!actual.equals(expected)) {
            throw new EngineException.Unavailable("manifest for " + name + " failed verification: expected "
                    + expected + note + ", got " + actual);
        }
    }

    /**
     * What a manifest is without fetching it (HEAD): media type, digest, size. Empty when it does not
     * exist. Falls back to a GET when the registry does not send {@code Docker-Content-Digest}.
     */
    public Optional<Descriptor> headManifest(RegistryRepository repo, String reference) {
        checkReference(reference);
        Optional<Endpoints.HeadResult> head;
        try {
            // a mirror's "not found" must not end the search, so absence is an exception until the last host
            head = Optional.of(pull(repo, host -> caller.call(host, new Endpoints.ManifestHead(repo, reference))
                    .orElseThrow(() -> new EngineException.NotFound("manifest for "
                            + Endpoints.manifestName(repo, reference) + " not found"))));
        } catch (EngineException.NotFound e) {
            return Optional.empty();
        }
        if (head.get().digest().isPresent() && !head.get().mediaType().isEmpty() && head.get().size() >= 0) {
            return Optional.of(Descriptor.of(head.get().mediaType(), head.get().digest().get(), head.get().size()));
        }
        return Optional.of(getManifest(repo, reference).descriptor());
    }

    /**
     * Resolves a reference to the image manifest for {@code platform}: fetches it, and when it is an
     * index picks the entry for the platform (skipping attestations) and fetches that by digest.
     *
     * @throws EngineException.NotFound listing the available platforms when none matches
     */
    public ResolvedImage resolveImage(RegistryRepository repo, String reference, Platform platform) {
        Manifest root = getManifest(repo, reference);
        return switch (root) {
            case Manifest.Image image -> new ResolvedImage(root, image, null);
            case Manifest.Index index -> {
                Descriptor entry = new PlatformMatcher(platform).selectOrThrow(index.index(),
                        Endpoints.manifestName(repo, reference));
                Manifest child = getManifest(repo, entry.digest().toString());
                if (!(child instanceof Manifest.Image image)) {
                    throw new EngineException.InvalidArgument("the " + platform + " entry of "
                            + Endpoints.manifestName(repo, reference) + " is another index (" + entry.digest()
                            + "), not an image manifest");
                }
                yield new ResolvedImage(root, image, entry);
            }
        };
    }

    /**
     * Uploads a manifest under {@code reference} (a tag, or its own digest) with its media type as
     * Content-Type. Returns the digest of {@code bytes}; the registry's reported digest must agree.
     */
    public Digest putManifest(RegistryRepository repo, String reference, String mediaType, byte[] bytes) {
        checkReference(reference);
        if (bytes.length > Endpoints.MANIFEST_LIMIT) {
            throw new EngineException.InvalidArgument("manifest for " + Endpoints.manifestName(repo, reference)
                    + " is larger than 4 MiB; registries refuse it");
        }
        Digest digest = Digest.sha256(bytes);
        Optional<Digest> reported = caller.call(hosts.pushHost(repo.registry()),
                new Endpoints.ManifestPut(repo, reference, MediaTypes.normalize(mediaType), bytes.clone()));
        if (reported.isPresent() && reported.get().algorithm().equals("sha256") && !reported.get().equals(digest)) {
            throw new EngineException.Unavailable(repo.registry() + " stored manifest "
                    + Endpoints.manifestName(repo, reference) + " as " + reported.get() + " but its bytes are " + digest);
        }
        return digest;
    }

    // ------------------------------------------------------------------ blobs

    /** Opens a blob from the first byte; see {@link #openBlob(RegistryRepository, Digest, long, long, MessageDigest, BlobProgress)}. */
    public InputStream openBlob(RegistryRepository repo, Digest digest, long size, BlobProgress progress) {
        return openBlob(repo, digest, size, 0, null, progress);
    }

    /**
     * Opens a blob for reading from {@code offset}. The stream hashes what it returns and, at its end,
     * throws {@link BlobVerificationException} ("blob sha256:… failed verification: …") when the
     * content does not hash to {@code digest} or its size is not {@code size}.
     *
     * @param size         the blob's size from its descriptor, or -1 when unknown
     * @param offset       where to resume (0 for the whole blob); sent as {@code Range: bytes=offset-}.
     *                     A registry that ignores the range and sends everything is handled by skipping.
     * @param prefixHasher when {@code offset > 0}: a MessageDigest (see {@link Digest#newMessageDigest()})
     *                     that has already hashed the caller's first {@code offset} bytes; it is consumed
     * @param progress     told (bytes of the whole blob so far, total) as bytes arrive
     */
    public InputStream openBlob(RegistryRepository repo, Digest digest, long size, long offset,
                                MessageDigest prefixHasher, BlobProgress progress) {
        if (offset > 0 && prefixHasher == null) {
            throw new EngineException.InvalidArgument("resuming blob " + digest + " at offset " + offset
                    + " needs the hash of the first " + offset + " bytes");
        }
        return open(repo, digest, size, offset, offset > 0 ? prefixHasher : digest.newMessageDigest(), progress);
    }

    /**
     * Opens a blob from {@code offset} for a caller that hashes the bytes itself, as a content-store
     * {@code Writer} does before it commits them: the same stream as {@link #openBlob(RegistryRepository,
     * Digest, long, long, MessageDigest, BlobProgress)}, with the same size checks (a byte beyond
     * {@code size} fails at once, a short blob at its end, as {@link BlobVerificationException}), but
     * without a digest of its own, so a pull hashes the compressed bytes once. The caller must compare
     * the digest of what it read with {@code digest} before it uses the bytes.
     *
     * @param size the blob's size from its descriptor (it is what the stream checks), or -1 when unknown
     */
    public InputStream openBlobUnverified(RegistryRepository repo, Digest digest, long size, long offset,
                                         BlobProgress progress) {
        return open(repo, digest, size, offset, null, progress);
    }

    /** {@code hasher == null}: the caller verifies the digest; sizes are checked either way. */
    private InputStream open(RegistryRepository repo, Digest digest, long size, long offset, MessageDigest hasher,
                             BlobProgress progress) {
        if (offset < 0 || size >= 0 && offset > size) {
            throw new EngineException.InvalidArgument("cannot resume blob " + digest + " at offset " + offset
                    + (size >= 0 ? " of " + size + " bytes" : ""));
        }
        BlobProgress p = progress == null ? BlobProgress.NONE : progress;
        if (size >= 0 && offset == size) {
            return new VerifyingInputStream(InputStream.nullInputStream(), digest, size, hasher, offset, p, size);
        }
        Endpoints.BlobReply reply = pull(repo, host -> caller.call(host, new Endpoints.BlobGet(repo, digest, offset)));
        InputStream body = reply.body();
        long total = size >= 0 ? size : reply.totalSize();
        try {
            if (offset > 0 && reply.status() == 200) {
                body.skipNBytes(offset); // the registry ignored the range: drop what the caller has
            } else if (offset > 0 && reply.rangeStart() != offset) {
                throw new EngineException.Unavailable(repo.registry() + " answered a request for blob " + digest
                        + " from byte " + offset + " with bytes from " + reply.rangeStart());
            }
        } catch (IOException e) {
            closeQuietly(body);
            throw new EngineException.Unavailable("blob " + digest + " download interrupted before byte " + offset
                    + ": " + RegistryErrors.describe(e), e);
        } catch (RuntimeException e) {
            closeQuietly(body);
            throw e;
        }
        return new VerifyingInputStream(body, digest, size >= 0 ? size : total, hasher, offset, p, total);
    }

    /**
     * Reads a small blob (an image config) whole, verified. Refuses more than {@code maxBytes}.
     */
    public byte[] readBlob(RegistryRepository repo, Digest digest, long size, int maxBytes) {
        if (size > maxBytes) {
            throw new EngineException.InvalidArgument("blob " + digest + " is " + size + " bytes, more than the "
                    + maxBytes + " allowed here");
        }
        try (InputStream in = openBlob(repo, digest, size, BlobProgress.NONE)) {
            byte[] bytes = in.readNBytes(maxBytes);
            if (in.read() >= 0) {
                throw new EngineException.InvalidArgument("blob " + digest + " is larger than the " + maxBytes
                        + " bytes allowed here");
            }
            return bytes;
        } catch (BlobVerificationException e) {
            throw e.engineException();
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read blob " + digest + " from " + repo + ": "
                    + RegistryErrors.describe(e), e);
        }
    }

    /** True when the repository has the blob (HEAD). */
    public boolean blobExists(RegistryRepository repo, Digest digest) {
        return caller.call(hosts.pushHost(repo.registry()), new Endpoints.BlobHead(repo, digest, false)).isPresent();
    }

    /**
     * Pushes a blob unless the repository has it: asks the registry to mount it from
     * {@code mountFrom} (another repository of the same registry) when given, and uploads it (one PUT,
     * or PATCH chunks above the configured limit) when it cannot.
     *
     * @param mountFrom a repository that has the blob already, or null
     */
    public PushOutcome pushBlob(RegistryRepository repo, Digest digest, long size, BlobContent content,
                                RegistryRepository mountFrom, BlobProgress progress) {
        RegistryHost host = hosts.pushHost(repo.registry());
        BlobProgress p = progress == null ? BlobProgress.NONE : progress;
        if (caller.call(host, new Endpoints.BlobHead(repo, digest, true)).isPresent()) {
            p.update(size, size);
            return PushOutcome.ALREADY_EXISTS;
        }
        URI location;
        if (mountFrom != null && mountFrom.registry().equals(repo.registry()) && !mountFrom.equals(repo)) {
            Endpoints.MountResult m = caller.call(host, new Endpoints.Mount(repo, digest, mountFrom));
            if (m instanceof Endpoints.Mounted) {
                p.update(size, size);
                return PushOutcome.MOUNTED;
            }
            location = ((Endpoints.UploadStarted) m).location();
        } else {
            location = caller.call(host, new Endpoints.UploadStart(repo));
        }
        upload(host, repo, location, digest, size, content, p);
        return PushOutcome.UPLOADED;
    }

    private void upload(RegistryHost host, RegistryRepository repo, URI location, Digest digest, long size,
                        BlobContent content, BlobProgress progress) {
        Optional<Digest> reported;
        if (size <= config.monolithicUploadLimit()) {
            reported = caller.call(host, new Endpoints.UploadPut(repo, location, digest, size,
                    () -> new CountingInputStream(content.open(), 0, size, progress)));
        } else {
            URI next = location;
            for (long start = 0; start < size; start += config.chunkSize()) {
                long from = start;
                long len = Math.min(config.chunkSize(), size - start);
                next = caller.call(host, new Endpoints.UploadPatch(repo, next, from, len, () -> {
                    InputStream in = content.open();
                    in.skipNBytes(from);
                    return new CountingInputStream(new LimitedInputStream(in, len), from, size, progress);
                }));
            }
            reported = caller.call(host, new Endpoints.UploadPut(repo, next, digest, 0, BlobContent.of(new byte[0])));
        }
        if (reported.isPresent() && !reported.get().equals(digest)) {
            throw new EngineException.Unavailable(repo.registry() + " stored blob " + digest + " as " + reported.get());
        }
    }

    // ------------------------------------------------------------------ listing

    /** Every tag of a repository, following the registry's pagination. */
    public List<String> listTags(RegistryRepository repo) {
        return listTags(repo, 1000);
    }

    /** Every tag, asking for {@code pageSize} per request. */
    public List<String> listTags(RegistryRepository repo, int pageSize) {
        return pull(repo, host -> {
            List<String> all = new ArrayList<>();
            Endpoints.Page page = caller.call(host, Endpoints.TagsList.first(repo, pageSize));
            all.addAll(page.items());
            while (page.next() != null) {
                page = caller.call(host, new Endpoints.TagsList(repo, page.next()));
                all.addAll(page.items());
            }
            return all;
        });
    }

    /** Every repository of a (private) registry via {@code /v2/_catalog}, following pagination. */
    public List<String> catalog(String registry, int pageSize) {
        RegistryHost host = hosts.pushHost(registry);
        List<String> all = new ArrayList<>();
        Endpoints.Page page = caller.call(host, Endpoints.Catalog.first(host.registry(), pageSize));
        all.addAll(page.items());
        while (page.next() != null) {
            page = caller.call(host, new Endpoints.Catalog(host.registry(), page.next()));
            all.addAll(page.items());
        }
        return all;
    }

    // ------------------------------------------------------------------ logins

    /**
     * Checks the username and password against the registry's {@code /v2/} (answering its Basic or
     * Bearer challenge) and stores them in {@code auth.json} when it accepts them.
     *
     * @throws EngineException.Unauthorized when the registry refuses them (the message never shows them)
     */
    public void login(String registry, String username, String password) {
        if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
            throw new EngineException.InvalidArgument("login to " + registry + " needs a username and a password");
        }
        RegistryHost host = hosts.pushHost(registry);
        Credentials creds = new Credentials(username, password);
        Endpoints.PingResult anonymous = caller.call(host, new Endpoints.Ping(null));
        if (anonymous.status() == 401) {
            AuthChallenge challenge = AuthChallenge.pick(anonymous.challenges()).orElseThrow(() ->
                    new EngineException.Unavailable(host.authority() + " asked for authentication without saying how"));
            EngineException.Unauthorized refused = new EngineException.Unauthorized("login to " + host.registry()
                    + " failed: the registry refused the username or password");
            if (challenge.isBasic()) {
                if (caller.call(host, new Endpoints.Ping(creds.basicHeader())).status() != 200) {
                    throw refused;
                }
            } else if (challenge.isBearer()) {
                Authenticator check = new Authenticator(key -> Optional.of(creds));
                RegistryCaller checker = new RegistryCaller(http, check, config.maxAttempts(), config.initialBackoff());
                try {
                    checker.authenticator().answer(host, challenge, List.of(), "login to " + host.registry());
                } catch (EngineException.Unauthorized e) {
                    throw refused;
                }
            } else {
                throw new EngineException.Unauthorized(host.authority() + " asks for " + challenge.scheme()
                        + " authentication, which is not supported");
            }
        }
        credentials.store(host.credentialKey(), creds);
        auth.forget(host.credentialKey());
        LOG.log(System.Logger.Level.INFO, "logged in to {0}", host.registry());
    }

    /** Forgets the stored login for {@code registry}; false when there was none. */
    public boolean logout(String registry) {
        String key = hosts.pushHost(registry).credentialKey();
        boolean removed = credentials.remove(key);
        auth.forget(key);
        return removed;
    }

    // ------------------------------------------------------------------ plumbing

    /** Runs a read-only operation against the mirrors (docker.io) in order, then the registry. */
    private <T> T pull(RegistryRepository repo, Function<RegistryHost, T> op) {
        List<RegistryHost> candidates = hosts.pullHosts(repo.registry());
        for (RegistryHost host : candidates) {
            try {
                return op.apply(host);
            } catch (EngineException e) {
                if (!host.mirror()) {
                    throw e;
                }
                LOG.log(System.Logger.Level.INFO, "mirror {0} failed for {1}: {2}; trying the next",
                        host.authority(), repo, e.getMessage());
            }
        }
        throw new IllegalStateException("the registry itself is always the last candidate");
    }

    private static void checkReference(String reference) {
        if (reference == null || reference.isEmpty()) {
            throw new EngineException.InvalidArgument("empty tag or digest");
        }
        if (reference.contains(":")) {
            Digest.parse(reference);
        } else if (!reference.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
            throw new EngineException.InvalidArgument("invalid tag \"" + reference
                    + "\": use up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'");
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    @Override
    public void close() {
        if (ownsHttp) {
            http.close();
        }
    }

    @Override
    public String toString() {
        return "RegistryClient[auth=" + credentials.file() + ", insecure=" + config.insecureRegistries()
                + ", mirrors=" + config.mirrors() + "]";
    }

    /** Counts bytes read for upload progress. */
    private static final class CountingInputStream extends FilterInputStream {
        private final long total;
        private final BlobProgress progress;
        private long count;

        CountingInputStream(InputStream in, long start, long total, BlobProgress progress) {
            super(in);
            this.count = start;
            this.total = total;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.update(++count, total);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                progress.update(count, total);
            }
            return n;
        }
    }

    /** At most {@code limit} bytes of the underlying stream. */
    private static final class LimitedInputStream extends FilterInputStream {
        private long left;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
