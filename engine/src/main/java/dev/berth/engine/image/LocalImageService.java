package dev.berth.engine.image;

import dev.berth.engine.content.ContentStore;
import dev.berth.engine.content.Writer;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.image.archive.ImageArchives;
import dev.berth.engine.layer.Compression;
import dev.berth.engine.oci.Descriptor;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.ImageConfig;
import dev.berth.engine.oci.ImageManifest;
import dev.berth.engine.oci.Manifest;
import dev.berth.engine.oci.MediaTypes;
import dev.berth.engine.oci.Platform;
import dev.berth.engine.registry.BlobContent;
import dev.berth.engine.registry.BlobProgress;
import dev.berth.engine.registry.Credentials;
import dev.berth.engine.registry.PushOutcome;
import dev.berth.engine.registry.RegistryClient;
import dev.berth.engine.registry.RegistryRepository;
import dev.berth.engine.registry.ResolvedImage;
import dev.berth.engine.snapshot.ChainIds;
import dev.berth.engine.snapshot.Snapshotter;
import dev.berth.engine.snapshot.Unpacker;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link ImageService} on the local content store, the overlay snapshotter and the registry client.
 *
 * <p>A pull resolves the reference, reads the config, then fetches every missing layer in parallel
 * (at most {@link Settings#parallelDownloads()} at once): each blob streams from the registry into
 * its resumable ingest and, in the same pass, through the layer applier into its own scratch
 * snapshot ({@link LayerDownload}: the compressed bytes are hashed once, by the ingest's writer, on
 * a download thread of their own while the extractor decompresses). A blob becomes visible in the
 * content store only after its digest was verified, a layer only after its DiffID matched the
 * config; the scratch snapshots are stacked in chain order once every layer is through, so a failed
 * or cancelled pull commits no layer of the image. The config and manifests are stored while the
 * layers download (a failed pull may leave them, unreferenced, for the next collection).
 *
 * <p>A layer is skipped ("Already exists") only when its chain is unpacked <em>and</em> the content
 * store holds the exact blob the manifest names. A chain can be unpacked without that blob: a
 * {@code docker load} stores layers as the uncompressed tars of the archive, and a collection can
 * take a blob whose chain another image still uses. Then the blob alone is downloaded (verified
 * against its digest and, decompressed, against the DiffID) and not unpacked again, so a pull
 * always leaves the store holding every blob its manifest names, which push and save rely on.
 *
 * <p>Removing the last reference to an image deletes it and collects what no other image
 * references: content blobs (by digest) and committed snapshots (by chain ID, so a base layer
 * shared by two images stays while either is there). Blobs and chains of pulls in progress are
 * pinned so a concurrent collection never takes them.
 */
public final class LocalImageService implements ImageService {

    private static final System.Logger LOG = System.getLogger(LocalImageService.class.getName());
    /** Image configs over this size are refused (Docker's limit is 8 MiB as well). */
    static final int CONFIG_LIMIT = 8 << 20;
    private static final long PROGRESS_STEP = 512 * 1024;

    /**
     * Tunables.
     *
     * @param parallelDownloads layers fetched and unpacked at once per pull (Docker's default is 3)
     * @param hubSearch         Docker Hub's search API base ({@code https://index.docker.io}); mirrors are
     *                          tried first
     * @param mirrors           Docker Hub mirrors, as configured
     */
    public record Settings(int parallelDownloads, URI hubSearch, List<URI> mirrors) {
        public Settings {
            if (parallelDownloads < 1) {
                throw new IllegalArgumentException("parallelDownloads must be at least 1");
            }
            mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
        }

        public static Settings defaults(List<URI> mirrors) {
            return new Settings(3, URI.create("https://index.docker.io"), mirrors);
        }
    }

    private final ImageStore store;
    private final ContentStore content;
    private final Snapshotter snapshots;
    private final Unpacker unpacker;
    private final RegistryClient registry;
    private final EventBus events;
    private final ContainerUsage containers;
    private final Settings settings;
    private final BlobSources sources;
    private final ImageArchives archives;
    /** Blobs and chains a pull in progress is about to reference; garbage collection keeps them. */
    private final Map<Digest, AtomicInteger> pins = new ConcurrentHashMap<>();
    /** One removal / collection at a time. */
    private final ReentrantLock gcLock = new ReentrantLock();

    public LocalImageService(ImageStore store, ContentStore content, Snapshotter snapshots, Unpacker unpacker,
                             RegistryClient registry, EventBus events, ContainerUsage containers, Settings settings,
                             Path sourcesFile) {
        this.store = store;
        this.content = content;
        this.snapshots = snapshots;
        this.unpacker = unpacker;
        this.registry = registry;
        this.events = events;
        this.containers = containers;
        this.settings = settings;
        this.sources = new BlobSources(sourcesFile);
        this.archives = new ImageArchives(content, store, unpacker, events);
    }

    // ================================================================== pull

    @Override
    public ImageRecord pull(Reference ref, PullOptions options, ProgressListener listener) throws InterruptedException {
        ProgressListener out = synchronizedListener(listener);
        Reference named = ref.tag() == null && ref.digest() == null ? ref.withTag(Reference.DEFAULT_TAG) : ref;
        RegistryRepository repo = RegistryRepository.of(named.domain(), named.path());
        Platform platform = options.platform().orElse(Platform.host());
        RegistryClient registry = options.credentials().map(c -> this.registry.withCredentials(repo.registry(), c))
                .orElse(this.registry);
        String statusId = named.tag() != null ? named.tag() : named.digest().toString();
        out.onProgress(status(statusId, "Pulling from " + repo.path()));
        checkInterrupted();
        ResolvedImage resolved = registry.resolveImage(repo, named.manifestKey(), platform);
        Manifest.Image manifest = resolved.image();
        Descriptor configDesc = manifest.manifest().config();
        checkInterrupted();
        byte[] configBytes = content.exists(configDesc.digest()) ? readStored(configDesc.digest())
                : registry.readBlob(repo, configDesc.digest(), configDesc.size(), CONFIG_LIMIT);
        ImageConfig config = parseConfig(configDesc.digest(), configBytes);
        List<Descriptor> layers = manifest.manifest().layers();
        List<Digest> diffIds = config.rootfs() == null ? List.of() : config.rootfs().diffIds();
        if (diffIds.size() != layers.size()) {
            throw new EngineException.InvalidArgument("image " + named.familiar() + ": its manifest lists " + layers.size()
                    + " layers but its config has " + diffIds.size() + " diff_ids");
        }
        List<Digest> chains = ChainIds.of(diffIds);
        Set<Digest> pinned = new LinkedHashSet<>();
        pinned.add(configDesc.digest());
        pinned.add(manifest.digest());
        pinned.add(resolved.root().digest());
        layers.forEach(l -> pinned.add(l.digest()));
        pinned.addAll(chains);
        pin(pinned);
        try {
            // the config and manifests are stored (each a few fsyncs) while the layers download, not after them
            FutureTask<Void> smallBlobs = new FutureTask<>(() -> {
                storeBlob(configDesc.digest(), configBytes);
                storeBlob(manifest.digest(), manifest.bytes());
                if (resolved.root() != manifest) {
                    storeBlob(resolved.root().digest(), resolved.root().bytes());
                }
                return null;
            });
            Thread.ofVirtual().name("pull-" + repo.path() + "-manifest").start(smallBlobs);
            boolean downloaded;
            try {
                downloaded = fetchLayers(registry, repo, layers, diffIds, chains, out);
            } finally {
                awaitQuietly(smallBlobs); // it writes into the store: no pull returns while it still runs
            }
            try {
                smallBlobs.get();
            } catch (ExecutionException e) {
                throw unwrap(e.getCause());
            }
            long size = 0;
            for (Digest chain : chains) {
                size += snapshots.usage(chain.toString()).size();
            }
            Digest id = configDesc.digest();
            Optional<ImageRecord> before = store.get(id);
            ImageRecord record = new ImageRecord(id, manifest.digest(), manifest.mediaType(),
                    layers.stream().map(Descriptor::digest).toList(), diffIds, size, parseTime(config.created()),
                    before.map(ImageRecord::added).orElse(null));
            store.put(record);
            boolean retagged = false;
            if (named.tag() != null) {
                Optional<ImageRecord> previous = Optional.empty();
                try {
                    previous = Optional.of(store.resolve(named.toString()));
                } catch (EngineException.NotFound none) {
                    // first pull of this tag
                }
                retagged = previous.isEmpty() || !previous.get().id().equals(id);
                store.tag(named, id);
            }
            Digest repoDigest = resolved.root().digest();
            store.tag(new Reference(named.domain(), named.path(), null, repoDigest), id);
            List<Digest> blobs = new ArrayList<>(record.layers());
            blobs.add(id);
            blobs.add(manifest.digest());
            sources.record(blobs, repo.toString());
            out.onProgress(status("", "Digest: " + repoDigest));
            String what = named.familiar();
            out.onProgress(status("", downloaded || retagged || before.isEmpty()
                    ? "Status: Downloaded newer image for " + what
                    : "Status: Image is up to date for " + what));
            events.publish(Event.of("image", "pull", what, Map.of("name", named.familiarName())));
            return record;
        } finally {
            unpin(pinned);
        }
    }

    /** Returns whether any layer had to be fetched or unpacked. */
    private boolean fetchLayers(RegistryClient registry, RegistryRepository repo, List<Descriptor> layers, List<Digest> diffIds,
                                List<Digest> chains, ProgressListener out) throws InterruptedException {
        int n = layers.size();
        Unpacker.Scratch[] scratches = new Unpacker.Scratch[n];
        boolean[] existed = new boolean[n];
        boolean[] blobOnly = new boolean[n];
        for (int i = 0; i < n; i++) {
            boolean unpacked = unpacker.isCommitted(chains.get(i));
            // an unpacked layer whose blob the store lacks (it came from a docker load as a plain tar, or its blob was
            // collected): the blob is fetched, not unpacked again, so push and save find every blob the manifest names
            blobOnly[i] = unpacked && !content.exists(layers.get(i).digest());
            existed[i] = unpacked && !blobOnly[i];
            String id = layers.get(i).digest().shortId();
            if (existed[i]) {
                out.onProgress(new Progress(id, Phase.ALREADY_EXISTS, 0, 0, "Already exists"));
            } else {
                out.onProgress(new Progress(id, Phase.WAITING, 0, layers.get(i).size(), "Waiting"));
            }
        }
        List<Unpacker.Scratch> created = new CopyOnWriteArrayList<>();
        Semaphore slots = new Semaphore(settings.parallelDownloads());
        boolean ok = false;
        try (ExecutorService pool = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("pull-" + repo.path() + "-", 0).factory())) {
            ExecutorCompletionService<Integer> done = new ExecutorCompletionService<>(pool);
            List<Future<Integer>> futures = new ArrayList<>();
            int submitted = 0;
            for (int i = 0; i < n; i++) {
                if (existed[i]) {
                    continue;
                }
                int index = i;
                futures.add(done.submit(() -> {
                    slots.acquire();
                    try {
                        if (blobOnly[index]) {
                            fetchBlob(registry, repo, layers.get(index), diffIds.get(index), out);
                            return index;
                        }
                        Unpacker.Scratch s = fetchLayer(registry, repo, layers.get(index), diffIds.get(index), out);
                        created.add(s);
                        scratches[index] = s;
                        return index;
                    } finally {
                        slots.release();
                    }
                }));
                submitted++;
            }
            try {
                for (int k = 0; k < submitted; k++) {
                    done.take().get();
                }
            } catch (ExecutionException e) {
                futures.forEach(f -> f.cancel(true));
                throw unwrap(e.getCause());
            } catch (InterruptedException e) {
                futures.forEach(f -> f.cancel(true));
                throw e;
            }
            // every layer is unpacked and verified: stack them in chain order
            Digest parent = null;
            for (int i = 0; i < n; i++) {
                if (scratches[i] != null) {
                    parent = unpacker.commit(parent, scratches[i]);
                    out.onProgress(new Progress(layers.get(i).digest().shortId(), Phase.PULL_COMPLETE, 0, 0, "Pull complete"));
                } else {
                    if (blobOnly[i]) {
                        out.onProgress(new Progress(layers.get(i).digest().shortId(), Phase.PULL_COMPLETE, 0, 0,
                                "Pull complete"));
                    }
                    parent = chains.get(i);
                }
            }
            ok = true;
            return submitted > 0;
        } finally {
            if (!ok) {
                // the executor's close waited for every task: nothing creates a scratch any more
                created.forEach(Unpacker.Scratch::close);
            }
        }
    }

    private Unpacker.Scratch fetchLayer(RegistryClient registry, RegistryRepository repo, Descriptor layer, Digest diffId,
                                        ProgressListener out)
            throws InterruptedException {
        Digest blob = layer.digest();
        String id = blob.shortId();
        try {
            if (content.exists(blob)) {
                out.onProgress(new Progress(id, Phase.EXTRACTING, 0, layer.size(), "Extracting"));
                return unpacker.extractScratch(new Unpacker.Layer(diffId, "layer " + blob, () -> content.open(blob)));
            }
            Writer writer = openIngest(blob, layer.size());
            if (writer == null) {
                // another pull committed it while we waited
                out.onProgress(new Progress(id, Phase.EXTRACTING, 0, layer.size(), "Extracting"));
                return unpacker.extractScratch(new Unpacker.Layer(diffId, "layer " + blob, () -> content.open(blob)));
            }
            boolean keep = true;
            try {
                long[] last = {-PROGRESS_STEP};
                BlobProgress progress = (soFar, total) -> {
                    if (soFar - last[0] >= PROGRESS_STEP || soFar == total) {
                        last[0] = soFar;
                        out.onProgress(new Progress(id, Phase.DOWNLOADING, soFar, total, "Downloading"));
                    }
                };
                LayerDownload download = new LayerDownload(writer, registry, repo, blob, layer.size(), progress);
                if (download.resumedAt() > 0) {
                    LOG.log(System.Logger.Level.INFO, "resuming blob {0} at byte {1}", blob, download.resumedAt());
                }
                Unpacker.Scratch scratch;
                try {
                    scratch = unpacker.extractScratch(new Unpacker.Layer(diffId, "layer " + blob, () -> download));
                } catch (EngineException e) {
                    if (download.verificationFailure() != null) {
                        keep = false;
                        throw download.verificationFailure().engineException();
                    }
                    if (e instanceof EngineException.InvalidArgument && download.finished()) {
                        keep = false; // the blob is what the registry has, and it is not a valid layer
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException("pull cancelled");
                    }
                    throw e;
                }
                try {
                    out.onProgress(new Progress(id, Phase.VERIFYING, layer.size(), layer.size(), "Verifying Checksum"));
                    writer.commit(layer.size(), blob);
                    out.onProgress(new Progress(id, Phase.EXTRACTING, layer.size(), layer.size(), "Extracting"));
                    return scratch;
                } catch (RuntimeException e) {
                    keep = false;
                    scratch.close();
                    throw e;
                }
            } finally {
                writer.close();
                if (!keep) {
                    try {
                        content.abort(writer.ref());
                    } catch (EngineException ignored) {
                        // committed or already discarded
                    }
                }
            }
        } catch (EngineException e) {
            out.onProgress(new Progress(id, Phase.FAILED, 0, 0, e.getMessage()));
            throw e;
        }
    }

    /**
     * Downloads the blob of a layer that is already unpacked into the content store, without unpacking
     * it again: the compressed bytes are verified against the blob's digest (by the ingest's writer) and,
     * decompressed, against the layer's DiffID, so the stored blob is the one the unpacked layer came from.
     */
    private void fetchBlob(RegistryClient registry, RegistryRepository repo, Descriptor layer, Digest diffId,
                           ProgressListener out) throws InterruptedException {
        Digest blob = layer.digest();
        String id = blob.shortId();
        try {
            Writer writer = content.exists(blob) ? null : openIngest(blob, layer.size());
            if (writer == null) {
                return; // another pull committed it
            }
            boolean keep = true;
            try {
                long[] last = {-PROGRESS_STEP};
                BlobProgress progress = (soFar, total) -> {
                    if (soFar - last[0] >= PROGRESS_STEP || soFar == total) {
                        last[0] = soFar;
                        out.onProgress(new Progress(id, Phase.DOWNLOADING, soFar, total, "Downloading"));
                    }
                };
                LayerDownload download = new LayerDownload(writer, registry, repo, blob, layer.size(), progress);
                Digest actual;
                try (download) {
                    java.io.BufferedInputStream in = new java.io.BufferedInputStream(download, 64 * 1024);
                    java.security.MessageDigest md = diffId.newMessageDigest();
                    byte[] buf = new byte[64 * 1024];
                    InputStream raw = Compression.detect(in, "layer " + blob).decompress(in);
                    for (int n; (n = raw.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                    actual = Digest.of(md);
                } catch (IOException e) {
                    if (download.verificationFailure() != null) {
                        keep = false;
                        throw download.verificationFailure().engineException();
                    }
                    if (e instanceof java.io.InterruptedIOException || Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException("pull cancelled");
                    }
                    if (download.finished()) {
                        keep = false; // the registry's blob is whole, and it is not a valid compressed layer
                    }
                    throw new EngineException.Unavailable("cannot download layer blob " + blob + ": " + e.getMessage(), e);
                } catch (EngineException e) {
                    if (download.verificationFailure() != null) {
                        keep = false;
                        throw download.verificationFailure().engineException();
                    }
                    if (download.finished()) {
                        keep = false; // bzip2 or xz: the registry's blob is whole, and not a layer Berth can read
                    }
                    throw e;
                }
                if (!actual.equals(diffId)) {
                    keep = false;
                    throw new EngineException.InvalidArgument("layer blob " + blob + " decompresses to " + actual
                            + " but the image config says " + diffId + "; the download was discarded");
                }
                out.onProgress(new Progress(id, Phase.VERIFYING, layer.size(), layer.size(), "Verifying Checksum"));
                try {
                    writer.commit(layer.size(), blob);
                } catch (RuntimeException e) {
                    keep = false;
                    throw e;
                }
            } finally {
                writer.close();
                if (!keep) {
                    try {
                        content.abort(writer.ref());
                    } catch (EngineException ignored) {
                        // committed or already discarded
                    }
                }
            }
        } catch (EngineException e) {
            out.onProgress(new Progress(id, Phase.FAILED, 0, 0, e.getMessage()));
            throw e;
        }
    }

    /** The ingest for {@code blob}, waiting while another pull writes it; null when it got committed meanwhile. */
    private Writer openIngest(Digest blob, long size) throws InterruptedException {
        String ref = "layer-" + blob;
        while (true) {
            try {
                return content.writer(ref, size, blob);
            } catch (EngineException.Conflict busy) {
                Thread.sleep(100);
                if (content.exists(blob)) {
                    return null;
                }
            }
        }
    }

    /** Waits until {@code task} is done, whatever it ends with; an interrupt meanwhile is kept for the caller. */
    private static void awaitQuietly(Future<?> task) {
        boolean interrupted = false;
        while (true) {
            try {
                task.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | CancellationException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static RuntimeException unwrap(Throwable t) throws InterruptedException {
        if (t instanceof InterruptedException ie) {
            throw ie;
        }
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new EngineException.Unavailable(String.valueOf(t.getMessage()), t);
    }

    private void storeBlob(Digest digest, byte[] bytes) throws InterruptedException {
        while (!content.exists(digest)) {
            Writer w;
            try {
                w = content.writer("blob-" + digest, bytes.length, digest);
            } catch (EngineException.Conflict busy) {
                Thread.sleep(50); // a concurrent pull of the same image is storing it
                continue;
            }
            try (w) {
                if (w.offset() > 0) {
                    w.truncate(0);
                }
                w.write(bytes);
                w.commit(bytes.length, digest);
            }
        }
    }

    private byte[] readStored(Digest digest) {
        try (InputStream in = content.open(digest)) {
            byte[] b = in.readNBytes(CONFIG_LIMIT + 1);
            if (b.length > CONFIG_LIMIT) {
                throw new EngineException.InvalidArgument("blob " + digest + " is larger than " + CONFIG_LIMIT + " bytes");
            }
            return b;
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read blob " + digest + ": " + e.getMessage(), e);
        }
    }

    private static ImageConfig parseConfig(Digest digest, byte[] bytes) {
        try {
            return Json.mapper().readValue(bytes, ImageConfig.class);
        } catch (IOException e) {
            throw new EngineException.InvalidArgument("image config " + digest + " is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private ImageConfig config(ImageRecord r) {
        return parseConfig(r.id(), readStored(r.id()));
    }

    private static Instant parseTime(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private void pin(Collection<Digest> ds) {
        ds.forEach(d -> pins.computeIfAbsent(d, k -> new AtomicInteger()).incrementAndGet());
    }

    private void unpin(Collection<Digest> ds) {
        ds.forEach(d -> pins.computeIfPresent(d, (k, v) -> v.decrementAndGet() <= 0 ? null : v));
    }

    private static Progress status(String id, String message) {
        return new Progress(id, Phase.STATUS, 0, 0, message);
    }

    private static ProgressListener synchronizedListener(ProgressListener l) {
        ProgressListener target = l == null ? ProgressListener.NONE : l;
        Object lock = new Object();
        return p -> {
            synchronized (lock) {
                target.onProgress(p);
            }
        };
    }

    private static void checkInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("pull cancelled");
        }
    }

    // ================================================================== push

    @Override
    public PushResult push(Reference ref, Optional<Credentials> credentials, ProgressListener listener)
            throws InterruptedException {
        ProgressListener out = synchronizedListener(listener);
        if (ref.digest() != null) {
            throw new EngineException.InvalidArgument("cannot push a digest reference (" + ref.familiar()
                    + "): push a tag");
        }
        List<Reference> targets;
        if (ref.tag() != null) {
            targets = List.of(ref);
        } else {
            targets = store.allTags().keySet().stream().filter(t -> t.name().equals(ref.name())).toList();
        }
        if (targets.isEmpty() || targets.stream().noneMatch(t -> store.allTags().containsKey(t))) {
            throw new EngineException.NotFound("An image does not exist locally with the tag: " + ref.familiarName()
                    + (ref.tag() != null ? ":" + ref.tag() : ""));
        }
        PushResult last = null;
        for (Reference t : targets) {
            RegistryClient client = credentials == null || credentials.isEmpty() ? registry
                    : registry.withCredentials(t.domain(), credentials.get());
            last = pushOne(client, t, out);
        }
        return last;
    }

    private PushResult pushOne(RegistryClient registry, Reference ref, ProgressListener out) throws InterruptedException {
        Digest id = store.allTags().get(ref);
        if (id == null) {
            throw new EngineException.NotFound("An image does not exist locally with the tag: " + ref.familiar());
        }
        ImageRecord image = store.get(id).orElseThrow(() -> new EngineException.NotFound("No such image: " + id));
        RegistryRepository repo = RegistryRepository.of(ref.domain(), ref.path());
        out.onProgress(status("", "The push refers to repository [" + ref.name() + "]"));
        Set<Digest> pinned = new LinkedHashSet<>();
        try {
            image = withEveryLayerBlob(image, ref, pinned);
            Manifest.Image manifest = manifestFor(image, ref);
            byte[] manifestBytes = manifest.bytes();
            List<Descriptor> blobs = new ArrayList<>(manifest.manifest().layers());
            for (Descriptor d : blobs) {
                if (!content.exists(d.digest())) {
                    throw new EngineException.FailedPrecondition("layer blob " + d.digest() + " of " + ref.familiar()
                            + " is not in the content store; pull the image again before pushing it");
                }
            }
            blobs.forEach(d -> out.onProgress(new Progress(d.digest().shortId(), Phase.PREPARING, 0, d.size(), "Preparing")));
            for (Descriptor d : blobs) {
                checkInterrupted();
                pushBlob(registry, repo, d, out, true);
            }
            pushBlob(registry, repo, manifest.manifest().config(), out, false);
            checkInterrupted();
            Digest pushed = registry.putManifest(repo, ref.tag(), manifest.mediaType(), manifestBytes);
            List<Digest> all = new ArrayList<>(blobs.stream().map(Descriptor::digest).toList());
            all.add(manifest.manifest().config().digest());
            all.add(pushed);
            sources.record(all, repo.toString());
            store.tag(new Reference(ref.domain(), ref.path(), null, pushed), id);
            out.onProgress(status(ref.tag(), ref.tag() + ": digest: " + pushed + " size: " + manifestBytes.length));
            events.publish(Event.of("image", "push", ref.familiar(), Map.of("name", ref.familiarName())));
            return new PushResult(ref, pushed, manifestBytes.length);
        } finally {
            unpin(pinned);
        }
    }

    /**
     * The image with a stored blob for every layer. A layer whose blob the content store lacks (the
     * image was pulled before pulls fetched such blobs, or its blob was collected while its chain
     * stayed) gets a new one, as Docker pushes regenerated layers: its uncompressed tar ({@link
     * LayerTars}: stored under the DiffID, or diffed out of its snapshot and checked against the
     * DiffID), gzip-compressed. The new blob has a new digest, so the image's manifest is rewritten
     * to name it (same media type, config and other layers), stored, and recorded with the new layer
     * list in one atomic write of the image record; the image id (its config) does not change. The
     * new blobs are pinned into {@code pinned} so no collection takes them before the record names
     * them; a crash before that write leaves them unreferenced for the next collection.
     *
     * @throws EngineException.FailedPrecondition naming the image and the layer when neither the blob,
     *         the uncompressed tar nor a snapshot that reproduces the DiffID is there
     */
    private ImageRecord withEveryLayerBlob(ImageRecord image, Reference ref, Set<Digest> pinned)
            throws InterruptedException {
        gcLock.lock(); // a collection running now could take the old blob after we looked, or the new one
        try {
            ImageRecord current = store.get(image.id()).orElse(image);
            List<Digest> layers = new ArrayList<>(current.layers());
            Map<Integer, Descriptor> replaced = new HashMap<>();
            for (int i = 0; i < layers.size() && i < current.diffIds().size(); i++) {
                Digest blob = layers.get(i);
                if (content.exists(blob)) {
                    continue;
                }
                checkInterrupted();
                Digest diffId = current.diffIds().get(i);
                String missing = "layer " + diffId + " of " + ref.familiar() + " (image " + current.id().shortId()
                        + ") has no blob " + blob + " in the content store, is not stored uncompressed";
                Digest regenerated;
                try {
                    regenerated = new LayerTars(content, unpacker).compressed(current, i, missing,
                            "pull or load the image again before pushing it");
                } catch (IOException e) {
                    throw new EngineException.Unavailable("cannot regenerate layer " + diffId + " of " + ref.familiar()
                            + ": " + e.getMessage(), e);
                }
                pin(List.of(regenerated));
                pinned.add(regenerated);
                LOG.log(System.Logger.Level.INFO, "layer {0} of {1}: blob {2} is gone, pushing it regenerated as {3}",
                        diffId, ref.familiar(), blob, regenerated);
                layers.set(i, regenerated);
                replaced.put(i, Descriptor.of(MediaTypes.DOCKER_MANIFEST.equals(current.manifestMediaType())
                        ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.OCI_LAYER_GZIP,
                        regenerated, content.info(regenerated).size()));
            }
            if (replaced.isEmpty()) {
                return current;
            }
            Digest manifestDigest = null;
            String manifestType = null;
            if (current.manifestDigest() != null && content.exists(current.manifestDigest())) {
                Manifest.Image old = (Manifest.Image) Manifest.parse(current.manifestMediaType(),
                        readManifest(current.manifestDigest()));
                ImageManifest m = old.manifest();
                List<Descriptor> descriptors = new ArrayList<>(m.layers());
                replaced.forEach(descriptors::set);
                byte[] bytes = Json.toBytes(new ImageManifest(m.schemaVersion(), m.mediaType(), m.artifactType(),
                        m.config(), descriptors, m.subject(), m.annotations()));
                manifestType = old.mediaType();
                manifestDigest = Manifest.parse(manifestType, bytes).digest();
                storeBlob(manifestDigest, bytes);
            }
            // no manifest: manifestFor makes one from the new layer list
            ImageRecord repaired = new ImageRecord(current.id(), manifestDigest, manifestType, layers, current.diffIds(),
                    current.size(), current.created(), current.added());
            store.put(repaired);
            return repaired;
        } finally {
            gcLock.unlock();
        }
    }

    /**
     * The manifest to push: the one the image was pulled as, or, for an image that never had one
     * (loaded from a docker-save archive), an OCI manifest made from its config and layer blobs,
     * stored and recorded so the next push sends the same bytes.
     */
    private Manifest.Image manifestFor(ImageRecord image, Reference ref) throws InterruptedException {
        if (image.manifestDigest() != null && content.exists(image.manifestDigest())) {
            return (Manifest.Image) Manifest.parse(image.manifestMediaType(), readManifest(image.manifestDigest()));
        }
        List<Descriptor> layers = new ArrayList<>();
        for (Digest d : image.layers()) {
            if (!content.exists(d)) {
                throw new EngineException.FailedPrecondition("layer blob " + d + " of " + ref.familiar()
                        + " is not in the content store, and the image has no manifest to push");
            }
            Compression c;
            try (InputStream in = new java.io.BufferedInputStream(content.open(d))) {
                c = Compression.detect(in, "layer " + d);
            } catch (IOException e) {
                throw new EngineException.Unavailable("cannot read layer blob " + d + ": " + e.getMessage(), e);
            }
            String type = switch (c) {
                case GZIP -> MediaTypes.OCI_LAYER_GZIP;
                case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
                case NONE -> MediaTypes.OCI_LAYER_TAR;
            };
            layers.add(Descriptor.of(type, d, content.info(d).size()));
        }
        byte[] bytes = Json.toBytes(dev.berth.engine.oci.ImageManifest.of(MediaTypes.OCI_MANIFEST,
                Descriptor.of(MediaTypes.OCI_CONFIG, image.id(), content.info(image.id()).size()), layers));
        Manifest.Image m = (Manifest.Image) Manifest.parse(MediaTypes.OCI_MANIFEST, bytes);
        storeBlob(m.digest(), bytes);
        store.put(new ImageRecord(image.id(), m.digest(), MediaTypes.OCI_MANIFEST, image.layers(), image.diffIds(),
                image.size(), image.created(), image.added()));
        return m;
    }

    private void pushBlob(RegistryClient registry, RegistryRepository repo, Descriptor d, ProgressListener out,
                          boolean report) {
        String id = d.digest().shortId();
        RegistryRepository mountFrom = sources.repositories(d.digest()).stream()
                .map(s -> {
                    int slash = s.indexOf('/');
                    return RegistryRepository.of(s.substring(0, slash), s.substring(slash + 1));
                })
                .filter(r -> r.registry().equals(repo.registry()) && !r.equals(repo))
                .findFirst().orElse(null);
        long[] last = {-PROGRESS_STEP};
        BlobProgress progress = report ? (soFar, total) -> {
            if (soFar - last[0] >= PROGRESS_STEP || soFar == total) {
                last[0] = soFar;
                out.onProgress(new Progress(id, Phase.PUSHING, soFar, total, "Pushing"));
            }
        } : BlobProgress.NONE;
        Path file = content.path(d.digest());
        PushOutcome outcome = registry.pushBlob(repo, d.digest(), d.size(), BlobContent.of(file), mountFrom, progress);
        if (report) {
            out.onProgress(switch (outcome) {
                case ALREADY_EXISTS -> new Progress(id, Phase.ALREADY_EXISTS, d.size(), d.size(), "Layer already exists");
                case MOUNTED -> new Progress(id, Phase.MOUNTED, d.size(), d.size(), "Mounted from " + mountFrom.path());
                case UPLOADED -> new Progress(id, Phase.PUSHED, d.size(), d.size(), "Pushed");
            });
        }
    }

    private byte[] readManifest(Digest d) {
        try (InputStream in = content.open(d)) {
            return in.readNBytes(4 << 20);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read manifest " + d + ": " + e.getMessage(), e);
        }
    }

    // ================================================================== tag, remove, gc

    @Override
    public void tag(String source, Reference target) {
        if (target.digest() != null) {
            throw new EngineException.InvalidArgument("refusing to create a tag with a digest reference: "
                    + target.familiar());
        }
        ImageRecord image = store.resolve(source);
        Reference t = target.tag() == null ? target.withTag(Reference.DEFAULT_TAG) : target;
        store.tag(t, image.id());
        events.publish(Event.of("image", "tag", image.id().toString(), Map.of("name", t.familiar())));
    }

    @Override
    public List<RemovedImage> remove(String name, boolean force, boolean noPrune) {
        gcLock.lock();
        try {
            ImageRecord image = store.resolve(name);
            List<RemovedImage> out = new ArrayList<>();
            Optional<Reference> byRef = namedByReference(name, image);
            List<Reference> refs = references(image.id());
            int using = containers.containersUsing(image.id());
            if (byRef.isPresent()) {
                Reference r = byRef.get();
                boolean singleReference = refs.stream().map(Reference::name).distinct().count() <= 1
                        && refs.stream().filter(x -> x.digest() == null).count() <= 1;
                if (!force && singleReference && using > 0) {
                    // untagging would leave the container's image dangling: Docker wants that forced
                    throw new EngineException.Conflict("conflict: unable to remove repository reference \"" + name
                            + "\" (must force) - " + using + " container" + (using == 1 ? " is" : "s are")
                            + " using its referenced image " + image.id().shortId());
                }
                untag(r, image.id(), out);
                List<Reference> rest = references(image.id());
                // the repository's last tag went: its digest references go too (as in Docker)
                if (r.digest() == null && rest.stream().noneMatch(x -> x.digest() == null && x.name().equals(r.name()))) {
                    for (Reference x : List.copyOf(rest)) {
                        if (x.digest() != null && x.name().equals(r.name())) {
                            untag(x, image.id(), out);
                        }
                    }
                    rest = references(image.id());
                }
                if (!rest.isEmpty()) {
                    return out;
                }
            } else if (refs.size() > 1 && !force
                    && refs.stream().map(Reference::name).distinct().count() > 1) {
                throw new EngineException.Conflict("conflict: unable to delete " + image.id().shortId()
                        + " (must be forced) - image is referenced in multiple repositories");
            }
            if (using > 0) {
                if (!force) {
                    throw new EngineException.Conflict("conflict: unable to delete " + (byRef.isPresent() ? name
                            : image.id().shortId()) + " (must be forced) - image is being used by " + using
                            + " container" + (using == 1 ? "" : "s"));
                }
                // forced: the references go, the image stays for the containers built on it (as in Docker)
                for (Reference r : references(image.id())) {
                    untag(r, image.id(), out);
                }
                return out;
            }
            for (Reference r : references(image.id())) {
                untag(r, image.id(), out);
            }
            Optional<Digest> parent = store.parent(image.id());
            store.delete(image.id());
            out.add(new RemovedImage(null, image.id().toString()));
            events.publish(Event.of("image", "delete", image.id().toString(), Map.of("name", image.id().toString())));
            // a built image's untagged parents (the build's intermediate images) go with it, as in Docker
            while (!noPrune && parent.isPresent() && store.get(parent.get()).isPresent()
                    && references(parent.get()).isEmpty() && !store.hasChildren(parent.get())
                    && containers.containersUsing(parent.get()) == 0) {
                Digest p = parent.get();
                parent = store.parent(p);
                store.delete(p);
                out.add(new RemovedImage(null, p.toString()));
                events.publish(Event.of("image", "delete", p.toString(), Map.of("name", p.toString())));
            }
            collect(out);
            return out;
        } finally {
            gcLock.unlock();
        }
    }

    private Optional<Reference> namedByReference(String name, ImageRecord image) {
        String s = name.startsWith("sha256:") ? name.substring(7) : name;
        if (s.matches("[a-f0-9]{1,64}") && image.id().encoded().startsWith(s)) {
            return Optional.empty();
        }
        Reference r = Reference.parse(name);
        if (r.tag() == null && r.digest() == null) {
            r = r.withTag(Reference.DEFAULT_TAG);
        }
        if (r.digest() != null && !store.repoDigests(image.id()).contains(r)) {
            return Optional.empty(); // matched through the manifest digest: treat as naming the image
        }
        return Optional.of(r);
    }

    private List<Reference> references(Digest id) {
        List<Reference> all = new ArrayList<>(store.tags(id));
        all.addAll(store.repoDigests(id));
        return all;
    }

    private void untag(Reference r, Digest id, List<RemovedImage> out) {
        store.untag(r);
        out.add(new RemovedImage(r.familiar(), null));
        events.publish(Event.of("image", "untag", id.toString(), Map.of("name", r.familiar())));
    }

    /** Deletes blobs and snapshots no image references; returns bytes freed. Caller holds gcLock. */
    private long collect(List<RemovedImage> out) {
        Set<Digest> keep = new HashSet<>(pins.keySet());
        Set<String> keepChains = new HashSet<>();
        pins.keySet().forEach(d -> keepChains.add(d.toString()));
        for (ImageRecord r : store.list()) {
            keep.add(r.id());
            if (r.manifestDigest() != null) {
                keep.add(r.manifestDigest());
            }
            keep.addAll(r.layers());
            store.repoDigests(r.id()).forEach(d -> keep.add(d.digest()));
            ChainIds.of(r.diffIds()).forEach(c -> keepChains.add(c.toString()));
        }
        long freed = 0;
        // snapshots: committed layers keyed by chain ID that no image needs, top layers first
        boolean removedOne = true;
        while (removedOne) {
            removedOne = false;
            List<Snapshotter.Info> all = new ArrayList<>();
            snapshots.walk(all::add);
            Set<String> parents = new HashSet<>();
            all.forEach(i -> {
                if (i.parent() != null) {
                    parents.add(i.parent());
                }
            });
            for (Snapshotter.Info i : all) {
                if (i.kind() != Snapshotter.Kind.COMMITTED || keepChains.contains(i.key()) || parents.contains(i.key())
                        || !i.key().startsWith("sha256:")) {
                    continue;
                }
                long size = snapshots.usage(i.key()).size();
                try {
                    snapshots.remove(i.key());
                    freed += size;
                    out.add(new RemovedImage(null, i.key()));
                    removedOne = true;
                } catch (EngineException.FailedPrecondition inUse) {
                    LOG.log(System.Logger.Level.INFO, "snapshot {0} kept: {1}", i.key(), inUse.getMessage());
                }
            }
        }
        freed += content.gc(keep, d -> Set.of()).bytesFreed();
        sources.retain(keep);
        return freed;
    }

    // ================================================================== inspect, history, list

    @Override
    public ImageDetails inspect(String name) {
        ImageRecord r = store.resolve(name);
        return new ImageDetails(r, config(r), store.tags(r.id()), store.repoDigests(r.id()),
                ChainIds.of(r.diffIds()).stream().map(Digest::toString).toList(), store.parent(r.id()).orElse(null));
    }

    @Override
    public List<HistoryEntry> history(String name) {
        ImageRecord r = store.resolve(name);
        ImageConfig c = config(r);
        List<Digest> chains = ChainIds.of(r.diffIds());
        List<HistoryEntry> rows = new ArrayList<>();
        List<ImageConfig.History> history = c.history() == null ? List.of() : c.history();
        int layer = 0;
        if (history.isEmpty()) {
            for (Digest chain : chains) {
                rows.add(new HistoryEntry("<missing>", r.created(), "", layerSize(chain), "", List.of()));
            }
        }
        for (ImageConfig.History h : history) {
            long size = 0;
            if (!h.isEmptyLayer()) {
                if (layer < chains.size()) {
                    size = layerSize(chains.get(layer));
                }
                layer++;
            }
            rows.add(new HistoryEntry("<missing>", parseTime(h.created()), h.createdBy() == null ? "" : h.createdBy(),
                    size, h.comment() == null ? "" : h.comment(), List.of()));
        }
        java.util.Collections.reverse(rows);
        // as Docker: the rows from the top take the ids (and tags) of the image and then of its parents, one
        // row each (a build step adds one history entry and one image); rows below the last known image (a
        // pulled base's own layers) stay <missing>
        Digest id = r.id();
        for (int i = 0; i < rows.size() && id != null && store.get(id).isPresent(); i++) {
            HistoryEntry row = rows.get(i);
            rows.set(i, new HistoryEntry(id.toString(), row.created(), row.createdBy(), row.size(), row.comment(),
                    store.tags(id).stream().map(Reference::familiar).toList()));
            id = store.parent(id).orElse(null);
        }
        return rows;
    }

    private long layerSize(Digest chain) {
        try {
            return snapshots.usage(chain.toString()).size();
        } catch (EngineException.NotFound e) {
            return 0;
        }
    }

    @Override
    public List<ImageSummary> list(boolean all, Map<String, List<String>> filters) {
        Map<String, List<String>> f = filters == null ? Map.of() : filters;
        for (String key : f.keySet()) {
            if (!Set.of("dangling", "reference", "label", "before", "since", "until").contains(key)) {
                throw new EngineException.InvalidArgument("invalid filter '" + key + "'");
            }
        }
        Boolean dangling = null;
        for (String v : f.getOrDefault("dangling", List.of())) {
            dangling = switch (v.toLowerCase()) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw new EngineException.InvalidArgument("invalid filter 'dangling=" + v + "'");
            };
        }
        List<ImageGlob> patterns = f.getOrDefault("reference", List.of()).stream().map(ImageGlob::compile).toList();
        Instant before = f.getOrDefault("before", List.of()).stream().map(n -> created(store.resolve(n)))
                .min(Instant::compareTo).orElse(null);
        Instant since = f.getOrDefault("since", List.of()).stream().map(n -> created(store.resolve(n)))
                .max(Instant::compareTo).orElse(null);
        Map<Digest, Integer> chainUse = chainUse();
        List<ImageSummary> out = new ArrayList<>();
        for (ImageRecord r : store.list()) {
            List<Reference> tags = store.tags(r.id());
            if (!all && tags.isEmpty() && store.hasChildren(r.id())) {
                continue; // an intermediate image of a build: shown with -a only, as in Docker
            }
            if (dangling != null && dangling != tags.isEmpty()) {
                continue;
            }
            if (before != null && !created(r).isBefore(before)) {
                continue;
            }
            if (since != null && !created(r).isAfter(since)) {
                continue;
            }
            if (!patterns.isEmpty()) {
                tags = tags.stream().filter(t -> patterns.stream().anyMatch(p -> p.matches(t.familiar())
                        || p.matches(t.familiarName()))).toList();
                if (tags.isEmpty()) {
                    continue;
                }
            }
            Map<String, String> labels = labels(r);
            if (!labelsMatch(labels, f.getOrDefault("label", List.of()))) {
                continue;
            }
            out.add(new ImageSummary(r, tags, store.repoDigests(r.id()), labels, containers.containersUsing(r.id()),
                    sharedSize(r, chainUse), store.parent(r.id()).orElse(null)));
        }
        return out;
    }

    private static Instant created(ImageRecord r) {
        return r.created() != null ? r.created() : r.added();
    }

    private Map<String, String> labels(ImageRecord r) {
        try {
            ImageConfig c = config(r);
            return c.config() == null || c.config().labels() == null ? Map.of() : c.config().labels();
        } catch (EngineException.NotFound e) {
            return Map.of();
        }
    }

    private static boolean labelsMatch(Map<String, String> labels, List<String> wanted) {
        for (String w : wanted) {
            int eq = w.indexOf('=');
            if (eq < 0 ? !labels.containsKey(w) : !w.substring(eq + 1).equals(labels.get(w.substring(0, eq)))) {
                return false;
            }
        }
        return true;
    }

    /** How many images use each chain. */
    private Map<Digest, Integer> chainUse() {
        Map<Digest, Integer> use = new HashMap<>();
        for (ImageRecord r : store.list()) {
            for (Digest c : new LinkedHashSet<>(ChainIds.of(r.diffIds()))) {
                use.merge(c, 1, Integer::sum);
            }
        }
        return use;
    }

    private long sharedSize(ImageRecord r, Map<Digest, Integer> chainUse) {
        long shared = 0;
        for (Digest c : new LinkedHashSet<>(ChainIds.of(r.diffIds()))) {
            if (chainUse.getOrDefault(c, 0) > 1) {
                shared += layerSize(c);
            }
        }
        return shared;
    }

    // ================================================================== prune, df

    @Override
    public PruneReport prune(boolean all, Map<String, List<String>> filters) {
        Map<String, List<String>> f = filters == null ? Map.of() : filters;
        for (String key : f.keySet()) {
            if (!Set.of("dangling", "label", "until").contains(key)) {
                throw new EngineException.InvalidArgument("invalid filter '" + key + "'");
            }
        }
        boolean onlyDangling = !all;
        for (String v : f.getOrDefault("dangling", List.of())) {
            onlyDangling = !v.equalsIgnoreCase("false") && !v.equals("0");
        }
        Instant until = f.getOrDefault("until", List.of()).stream().map(LocalImageService::parseUntil)
                .min(Instant::compareTo).orElse(null);
        gcLock.lock();
        try {
            List<RemovedImage> removed = new ArrayList<>();
            for (ImageRecord r : store.list()) {
                List<Reference> tags = store.tags(r.id());
                if (onlyDangling && (!tags.isEmpty() || store.hasChildren(r.id()))) {
                    continue; // an intermediate image goes with its last child
                }
                if (containers.containersUsing(r.id()) > 0) {
                    continue;
                }
                if (until != null && !created(r).isBefore(until)) {
                    continue;
                }
                if (!labelsMatch(labels(r), f.getOrDefault("label", List.of()))) {
                    continue;
                }
                for (Reference ref : references(r.id())) {
                    untag(ref, r.id(), removed);
                }
                store.delete(r.id());
                removed.add(new RemovedImage(null, r.id().toString()));
                events.publish(Event.of("image", "delete", r.id().toString(), Map.of("name", r.id().toString())));
            }
            long freed = removed.isEmpty() ? 0 : collect(removed);
            if (!removed.isEmpty()) {
                events.publish(Event.of("image", "prune", "", Map.of("reclaimed", Long.toString(freed))));
            }
            return new PruneReport(removed, freed);
        } finally {
            gcLock.unlock();
        }
    }

    private static Instant parseUntil(String v) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(v));
            } catch (NumberFormatException e2) {
                try {
                    return Instant.now().minus(Duration.parse("PT" + v.toUpperCase()));
                } catch (DateTimeParseException e3) {
                    throw new EngineException.InvalidArgument("invalid until filter \"" + v + "\": use a timestamp or a"
                            + " duration like 24h");
                }
            }
        }
    }

    @Override
    public DiskUsage diskUsage() {
        Map<Digest, Integer> use = chainUse();
        List<DiskUsage.ImageUsage> images = new ArrayList<>();
        for (ImageRecord r : store.list()) {
            long size = 0;
            for (Digest c : new LinkedHashSet<>(ChainIds.of(r.diffIds()))) {
                size += layerSize(c);
            }
            long shared = sharedSize(r, use);
            images.add(new DiskUsage.ImageUsage(r, store.tags(r.id()), size, shared, size - shared,
                    containers.containersUsing(r.id())));
        }
        long layers = 0;
        for (Digest c : use.keySet()) {
            layers += layerSize(c);
        }
        return new DiskUsage(images, layers);
    }

    // ================================================================== archives (image.archive)

    @Override
    public void save(List<String> names, OutputStream out) throws InterruptedException {
        if (names == null || names.isEmpty()) {
            throw new EngineException.InvalidArgument("docker save needs at least one image name");
        }
        archives.save(names.stream().map(store::resolve).toList(), out);
    }

    @Override
    public List<String> load(InputStream archive, ProgressListener listener) throws InterruptedException {
        return archives.load(archive, synchronizedListener(listener));
    }

    @Override
    public ImageRecord importImage(InputStream rootfsTar, Optional<Reference> tag, List<String> changes, String message,
                                   Optional<Platform> platform) throws InterruptedException {
        return archives.importRootfs(rootfsTar, tag, changes == null ? List.of() : changes, message, platform);
    }

    // ================================================================== search, login

    @Override
    public List<SearchResult> search(String term, int limit) {
        if (term == null || term.isBlank()) {
            throw new EngineException.InvalidArgument("search needs a term");
        }
        int max = limit <= 0 ? 25 : Math.min(limit, 100);
        String t = term.strip();
        int slash = t.indexOf('/');
        String first = slash < 0 ? "" : t.substring(0, slash);
        boolean privateRegistry = !first.isEmpty() && (first.contains(".") || first.contains(":")
                || first.equals("localhost")) && !RegistryRepository.canonicalRegistry(first).equals(Reference.DOCKER_HUB);
        if (privateRegistry) {
            String q = t.substring(slash + 1).toLowerCase();
            return registry.catalog(first, 1000).stream().filter(r -> r.contains(q)).limit(max)
                    .map(r -> new SearchResult(first + "/" + r, "", 0, false)).toList();
        }
        String q = first.isEmpty() || !RegistryRepository.canonicalRegistry(first).equals(Reference.DOCKER_HUB)
                ? t : t.substring(slash + 1);
        List<URI> bases = new ArrayList<>(settings.mirrors());
        bases.add(settings.hubSearch());
        String last = "";
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            for (URI base : bases) {
                URI u = base.resolve("/v1/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&n=" + max);
                try {
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(10)).GET().build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200) {
                        last = u.getHost() + " answered " + r.statusCode();
                        continue;
                    }
                    var tree = Json.mapper().readTree(r.body());
                    List<SearchResult> out = new ArrayList<>();
                    for (var n : tree.path("results")) {
                        out.add(new SearchResult(n.path("name").asText(), n.path("description").asText(""),
                                n.path("star_count").asInt(0), n.path("is_official").asBoolean(false)));
                    }
                    return out.stream().limit(max).toList();
                } catch (IOException e) {
                    last = u.getHost() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EngineException.Unavailable("search cancelled");
                }
            }
        }
        throw new EngineException.Unavailable("Docker Hub's search is not reachable (" + last + ")");
    }

    @Override
    public void login(String registryName, Credentials credentials) {
        String r = registryName == null || registryName.isBlank() ? Reference.DOCKER_HUB : registryName;
        registry.login(r, credentials.username(), credentials.password());
    }

    @Override
    public boolean logout(String registryName) {
        return registry.logout(registryName == null || registryName.isBlank() ? Reference.DOCKER_HUB : registryName);
    }
}
