package dev.berth.engine.image.archive;

import dev.berth.engine.image.ConfigChanges;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.content.ContentStore;
import dev.berth.engine.content.Writer;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.image.LayerTars;
import dev.berth.engine.image.Reference;
import dev.berth.engine.layer.Compression;
import dev.berth.engine.oci.Descriptor;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.ImageConfig;
import dev.berth.engine.oci.ImageIndex;
import dev.berth.engine.oci.ImageManifest;
import dev.berth.engine.oci.MediaTypes;
import dev.berth.engine.oci.Platform;
import dev.berth.engine.snapshot.Unpacker;
import dev.berth.engine.state.Json;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;

/**
 * {@code docker save}, {@code docker load} and {@code docker import} on the local image cache.
 *
 * <p><b>Save</b> writes the archive Docker 25 and later writes: {@code manifest.json} (Config,
 * RepoTags, Layers), the legacy {@code repositories} file, and an OCI image layout
 * ({@code oci-layout}, {@code index.json} with {@code io.containerd.image.name} and
 * {@code org.opencontainers.image.ref.name} annotations, {@code blobs/sha256/...}). Layers are
 * always written <em>uncompressed</em>, named by their DiffID ({@code application/vnd.oci.image.layer.v1.tar}),
 * exactly as Docker's own save does: any reader (docker, podman, skopeo, Berth) accepts them and
 * the image id (the config digest) is unchanged. An uncompressed layer comes from the content
 * store when it holds one under the DiffID, otherwise from the compressed blob, decompressed twice
 * (once to learn its size for the tar header and check it against the DiffID, once to stream it),
 * so no layer is ever held in memory. A layer whose blob is gone but which is still unpacked is
 * diffed back out of its snapshot into the content store's ingest area and kept only if it
 * reproduces the DiffID (see {@link LayerTars}).
 *
 * <p><b>Load</b> is in {@link ArchiveLoader}; <b>import</b> stores the rootfs tar gzip-compressed as
 * the layer blob, its DiffID taken from the uncompressed bytes.
 */
public final class ImageArchives {

    static final String MANIFEST_JSON = "manifest.json";
    static final String INDEX_JSON = "index.json";
    static final String OCI_LAYOUT = "oci-layout";
    static final String REPOSITORIES = "repositories";
    static final String OCI_LAYOUT_CONTENT = "{\"imageLayoutVersion\":\"1.0.0\"}";
    /** containerd's annotation with the full image name, which Docker's save writes too. */
    static final String ANNOTATION_IMAGE_NAME = "io.containerd.image.name";
    static final String ANNOTATION_REF_NAME = "org.opencontainers.image.ref.name";
    /** Configs and manifests larger than this are refused rather than read into memory. */
    static final int MAX_JSON = 16 * 1024 * 1024;

    private static final int BUFFER = 64 * 1024;

    /** One entry of {@code manifest.json}, with Docker's capitalised names. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ManifestItem(@JsonProperty("Config") String config,
                        @JsonProperty("RepoTags") @JsonInclude(JsonInclude.Include.ALWAYS) List<String> repoTags,
                        @JsonProperty("Layers") List<String> layers,
                        @JsonProperty("Parent") String parent,
                        @JsonProperty("LayerSources") Map<String, Descriptor> layerSources) {}

    private final ContentStore content;
    private final ImageStore images;
    private final Unpacker unpacker;
    private final EventBus events;
    private final LayerTars layerTars;

    public ImageArchives(ContentStore content, ImageStore images, Unpacker unpacker, EventBus events) {
        this.content = content;
        this.images = images;
        this.unpacker = unpacker;
        this.events = events;
        this.layerTars = new LayerTars(content, unpacker);
    }

    // ---- save

    /**
     * Writes {@code images} as one {@code docker save} archive to {@code out} (not closed), each with
     * every tag the image store has for it. Publishes an {@code image save} event per image.
     *
     * @throws EngineException.FailedPrecondition when an image's config or a layer is no longer stored
     */
    public void save(List<ImageRecord> images, OutputStream out) throws InterruptedException {
        Map<Digest, ImageRecord> unique = new LinkedHashMap<>();
        images.forEach(r -> unique.putIfAbsent(r.id(), r));
        List<ManifestItem> items = new ArrayList<>();
        List<Descriptor> indexEntries = new ArrayList<>();
        Map<String, Map<String, String>> repositories = new TreeMap<>();
        Set<Digest> written = new LinkedHashSet<>();
        Map<Digest, Long> layerSizes = new LinkedHashMap<>();
        try {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    out.flush();
                }
            }, StandardCharsets.UTF_8.name());
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            directory(tar, "blobs/");
            directory(tar, "blobs/sha256/");
            for (ImageRecord image : unique.values()) {
                byte[] configBytes = readJsonBlob(image.id(), "config of image " + image.id().shortId());
                ImageConfig config = parse(configBytes, ImageConfig.class, "config of image " + image.id());
                List<Digest> diffIds = config.rootfs() == null ? image.diffIds() : config.rootfs().diffIds();
                if (diffIds.isEmpty()) {
                    throw new EngineException.FailedPrecondition("image " + image.id().shortId()
                            + " has no layers; an empty image cannot be saved");
                }
                List<Descriptor> layerDescriptors = new ArrayList<>();
                for (int i = 0; i < diffIds.size(); i++) {
                    checkInterrupted();
                    Digest diffId = diffIds.get(i);
                    if (!layerSizes.containsKey(diffId)) {
                        Digest blob = i < image.layers().size() ? image.layers().get(i) : null;
                        layerSizes.put(diffId, writeLayer(tar, image, diffId, blob));
                        written.add(diffId);
                    }
                    layerDescriptors.add(Descriptor.of(MediaTypes.OCI_LAYER_TAR, diffId, layerSizes.get(diffId)));
                }
                if (written.add(image.id())) {
                    blob(tar, image.id(), configBytes);
                }
                Platform platform = config.platform();
                ImageManifest manifest = ImageManifest.of(MediaTypes.OCI_MANIFEST,
                        Descriptor.of(MediaTypes.OCI_CONFIG, image.id(), configBytes.length), layerDescriptors);
                byte[] manifestBytes = Json.toBytes(manifest);
                Digest manifestDigest = Digest.sha256(manifestBytes);
                if (written.add(manifestDigest)) {
                    blob(tar, manifestDigest, manifestBytes);
                }
                Descriptor manifestDescriptor = Descriptor.of(MediaTypes.OCI_MANIFEST, manifestDigest, manifestBytes.length)
                        .withPlatform(platform.os() == null || platform.architecture() == null ? null : platform);
                List<String> repoTags = new ArrayList<>();
                List<Reference> tags = this.images.tags(image.id());
                for (Reference tag : tags) {
                    repoTags.add(tag.familiar());
                    repositories.computeIfAbsent(tag.familiarName(), k -> new TreeMap<>())
                            .put(tag.tag(), diffIds.getLast().encoded());
                    indexEntries.add(manifestDescriptor.withAnnotations(Map.of(ANNOTATION_IMAGE_NAME, tag.toString(),
                            ANNOTATION_REF_NAME, tag.tag())));
                }
                if (tags.isEmpty()) {
                    indexEntries.add(manifestDescriptor);
                }
                items.add(new ManifestItem(blobPath(image.id()), repoTags,
                        diffIds.stream().map(ImageArchives::blobPath).toList(), null, null));
            }
            file(tar, INDEX_JSON, Json.toBytes(ImageIndex.of(MediaTypes.OCI_INDEX, indexEntries)));
            file(tar, MANIFEST_JSON, Json.toBytes(items));
            file(tar, OCI_LAYOUT, OCI_LAYOUT_CONTENT.getBytes(StandardCharsets.UTF_8));
            if (!repositories.isEmpty()) {
                file(tar, REPOSITORIES, Json.toBytes(repositories));
            }
            tar.finish();
            tar.flush();
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot write the image archive: " + e.getMessage(), e);
        }
        for (ImageRecord image : unique.values()) {
            List<Reference> tags = this.images.tags(image.id());
            events.publish(Event.of("image", "save", image.id().toString(),
                    Map.of("name", tags.isEmpty() ? image.id().toString() : tags.getFirst().familiar())));
        }
    }

    /** Writes one layer as an uncompressed tar named by its DiffID; returns its size. */
    private long writeLayer(TarArchiveOutputStream tar, ImageRecord image, Digest diffId, Digest blob) throws IOException {
        if (content.exists(diffId)) {
            long size = content.info(diffId).size();
            try (InputStream in = content.open(diffId)) {
                entry(tar, blobPath(diffId), size, in);
            }
            return size;
        }
        if (blob == null || !content.exists(blob)) {
            return writeRegeneratedLayer(tar, image, diffId, blob);
        }
        MessageDigest md = diffId.newMessageDigest();
        long size = 0;
        byte[] buf = new byte[BUFFER];
        try (InputStream in = decompressed(blob)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                size += n;
            }
        }
        Digest actual = Digest.of(md);
        if (!actual.equals(diffId)) {
            throw new EngineException.FailedPrecondition("layer blob " + blob + " of image " + image.id().shortId()
                    + " decompresses to " + actual + " but the image config says " + diffId);
        }
        try (InputStream in = decompressed(blob)) {
            entry(tar, blobPath(diffId), size, in);
        }
        return size;
    }

    /**
     * A layer whose blob is gone but which is still unpacked: its committed snapshot is diffed back
     * into a tar and checked against the DiffID ({@link LayerTars}). That reproduces the bytes exactly
     * for layers Berth wrote itself (commit, build, which make their tars the same way); for a layer
     * someone else's tool wrote it does not, and the save is refused rather than writing an archive
     * whose layers contradict the image config.
     */
    private long writeRegeneratedLayer(TarArchiveOutputStream tar, ImageRecord image, Digest diffId, Digest blob)
            throws IOException {
        int index = image.diffIds().indexOf(diffId);
        String missing = "layer " + diffId + " of image " + image.id().shortId() + " is no longer in the content store"
                + (blob == null ? "" : " (blob " + blob + ")");
        if (index < 0) {
            throw new EngineException.FailedPrecondition(missing + "; pull or load the image again to save it");
        }
        return layerTars.withTar(image, index, missing, "pull or load the image again to save it", (in, size) -> {
            entry(tar, blobPath(diffId), size, in);
            return size;
        });
    }

    /** The stored blob's bytes, decompressed if it is gzip or zstd. */
    InputStream decompressed(Digest blob) throws IOException {
        InputStream in = new BufferedInputStream(content.open(blob), BUFFER);
        try {
            return Compression.detect(in, "layer " + blob).decompress(in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    static String blobPath(Digest d) {
        return "blobs/" + d.algorithm() + "/" + d.encoded();
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        e.setModTime(FileTime.from(Instant.EPOCH));
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void blob(TarArchiveOutputStream tar, Digest d, byte[] bytes) throws IOException {
        file(tar, blobPath(d), bytes);
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        entry(tar, name, bytes.length, new java.io.ByteArrayInputStream(bytes));
    }

    private static void entry(TarArchiveOutputStream tar, String name, long size, InputStream content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100644);
        e.setSize(size);
        e.setModTime(FileTime.from(Instant.EPOCH));
        tar.putArchiveEntry(e);
        long copied = content.transferTo(tar);
        if (copied != size) {
            throw new IOException(name + " changed while it was written: expected " + size + " bytes, got " + copied);
        }
        tar.closeArchiveEntry();
    }

    // ---- load

    /**
     * Reads a {@code docker save} archive (Docker 25+ blobs layout, or the older {@code <id>/layer.tar}
     * layout) or an OCI image layout tar, plain or gzip/zstd-compressed; stores and verifies its blobs,
     * unpacks its layers, records the images and their tags, publishes {@code image load} per image.
     *
     * @return Docker's lines: {@code Loaded image: busybox:latest} per tag, {@code Loaded image ID: sha256:...}
     *         per untagged image
     * @throws EngineException.InvalidArgument for a malformed or hostile archive or a corrupt blob (naming its digest)
     */
    public List<String> load(InputStream archive, ImageService.ProgressListener listener) throws InterruptedException {
        return new ArchiveLoader(this, content, images, unpacker, events, listener).load(archive);
    }

    // ---- import

    /**
     * {@code docker import}: {@code tar} (plain, gzip or zstd) becomes a one-layer image. The layer is
     * stored gzip-compressed; the config gets {@code created}, the platform (the host's unless given),
     * {@code changes} applied to its run configuration, and one history entry whose comment is
     * {@code message} (or "Imported from -"). Publishes {@code image import}.
     *
     * @throws EngineException.InvalidArgument for a change that is not one of the allowed instructions,
     *         or a tar that cannot be applied
     */
    public ImageRecord importRootfs(InputStream tar, Optional<Reference> tag, List<String> changes, String message,
                                   Optional<Platform> platform) throws InterruptedException {
        if (tag.isPresent() && tag.get().digest() != null) {
            throw new EngineException.InvalidArgument("cannot import as " + tag.get().familiar()
                    + ": an imported image can be tagged, not given a digest");
        }
        ImageConfig.Config runConfig = ConfigChanges.apply(null, changes);
        Platform p = platform.orElseGet(Platform::host);
        String ref = "import-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        Digest layerBlob;
        Digest diffId;
        long size = 0;
        boolean layerWasStored;
        Writer w = content.writer(ref, -1, null);
        try {
            BufferedInputStream in = new BufferedInputStream(tar, BUFFER);
            Compression compression = Compression.detect(in, "the imported archive");
            MessageDigest md = Digest.newSha256();
            byte[] buf = new byte[BUFFER];
            try (InputStream raw = compression.decompress(in);
                 GZIPOutputStream gz = new GZIPOutputStream(w.asOutputStream(), BUFFER)) {
                for (int n; (n = raw.read(buf)) > 0; ) {
                    checkInterrupted();
                    md.update(buf, 0, n);
                    gz.write(buf, 0, n);
                    size += n;
                }
                gz.finish();
            }
            if (size == 0) {
                throw new EngineException.InvalidArgument("the imported archive is empty");
            }
            diffId = Digest.of(md);
            layerWasStored = content.exists(w.digest());
            layerBlob = w.commit(-1, null);
        } catch (IOException e) {
            throw new EngineException.InvalidArgument("cannot read the imported archive: " + e.getMessage(), e);
        } finally {
            w.close();
            abortQuietly(ref);
        }
        long compressedSize = content.info(layerBlob).size();
        try {
            unpacker.unpack(List.of(new Unpacker.Layer(diffId, "the imported archive", () -> content.open(layerBlob))));
        } catch (RuntimeException e) {
            if (!layerWasStored) {
                deleteQuietly(layerBlob);
            }
            throw e;
        }
        Instant now = Instant.now();
        String created = now.toString();
        String comment = message == null || message.isBlank() ? "Imported from -" : message;
        ImageConfig config = new ImageConfig(created, null, p.architecture(), p.os(), null, null, p.variant(), runConfig,
                ImageConfig.RootFs.layers(List.of(diffId)),
                List.of(new ImageConfig.History(created, null, null, comment, null)));
        byte[] configBytes = Json.toBytes(config);
        Digest id = storeBytes(configBytes);
        ImageManifest manifest = ImageManifest.of(MediaTypes.OCI_MANIFEST,
                Descriptor.of(MediaTypes.OCI_CONFIG, id, configBytes.length),
                List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, layerBlob, compressedSize)));
        byte[] manifestBytes = Json.toBytes(manifest);
        Digest manifestDigest = storeBytes(manifestBytes);
        ImageRecord record = new ImageRecord(id, manifestDigest, MediaTypes.OCI_MANIFEST, List.of(layerBlob),
                List.of(diffId), size, now, now);
        images.put(record);
        tag.ifPresent(t -> images.tag(t, id));
        events.publish(Event.of("image", "import", id.toString(),
                Map.of("name", tag.map(Reference::familiar).orElse(id.toString()))));
        return record;
    }

    // ---- shared helpers

    /** Stores small bytes (a config, a manifest) as a blob; returns their digest. */
    Digest storeBytes(byte[] bytes) {
        Digest d = Digest.sha256(bytes);
        if (content.exists(d)) {
            return d;
        }
        String ref = "store-" + d.encoded() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Writer w = content.writer(ref, bytes.length, d)) {
            w.write(bytes);
            return w.commit(bytes.length, d);
        } finally {
            abortQuietly(ref);
        }
    }

    byte[] readJsonBlob(Digest d, String what) {
        if (!content.exists(d)) {
            throw new EngineException.FailedPrecondition(what + " (" + d + ") is no longer in the content store");
        }
        if (content.info(d).size() > MAX_JSON) {
            throw new EngineException.InvalidArgument(what + " (" + d + ") is larger than " + MAX_JSON + " bytes");
        }
        try (InputStream in = content.open(d)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    static <T> T parse(byte[] bytes, Class<T> type, String what) {
        try {
            return Json.mapper().readValue(bytes, type);
        } catch (IOException e) {
            throw new EngineException.InvalidArgument(what + " is not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    static Instant createdTime(ImageConfig config) {
        if (config.created() == null) {
            return null;
        }
        try {
            return Instant.parse(config.created());
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(config.created()).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    void abortQuietly(String ref) {
        try {
            content.abort(ref);
        } catch (EngineException ignored) {
            // committed, never started, or already gone: nothing left to drop
        }
    }

    void deleteQuietly(Digest d) {
        try {
            content.delete(d);
        } catch (EngineException ignored) {
            // gone already
        }
    }

    static void checkInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("cancelled");
        }
    }
}
