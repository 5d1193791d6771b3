package dev.berth.engine.image.archive;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.engine.content.ContentStore;
import dev.berth.engine.content.Writer;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.image.Reference;
import dev.berth.engine.layer.Compression;
import dev.berth.engine.oci.Descriptor;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.ImageConfig;
import dev.berth.engine.oci.ImageIndex;
import dev.berth.engine.oci.ImageManifest;
import dev.berth.engine.oci.MediaTypes;
import dev.berth.engine.oci.Platform;
import dev.berth.engine.oci.PlatformMatcher;
import dev.berth.engine.snapshot.ChainIds;
import dev.berth.engine.snapshot.Unpacker;
import dev.berth.engine.state.Json;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code docker load}. The tar is read once, in order; since {@code manifest.json} or
 * {@code index.json} may come last, every entry is kept as it comes: {@code blobs/ALG/HEX} entries
 * go straight into the content store (verified against their name, so a corrupt blob is refused
 * naming its digest), other entries stay in memory when small (JSON files) or go into the content
 * store under their own digest (legacy {@code <id>/layer.tar}). Nothing is ever written under a
 * name taken from the archive. Entry names, link targets and the paths {@code manifest.json}
 * names are resolved inside the archive's own name space; one that would leave it is refused.
 *
 * <p>An image Berth already has keeps its record, and so its blobs and manifest (a pulled image's
 * layers are compressed, a saved archive's are not: the same layers, other blobs), unless a blob the
 * record names is gone from the content store; then the archive's layers and manifest replace them,
 * so the image can be pushed and saved again. The unpacked layers are shared either way (they are
 * keyed by chain ID). Blobs the load added that no image record uses afterwards (the archive's copies
 * of layers Berth had, or everything after a failed load) are deleted again.
 */
final class ArchiveLoader {

    /** Entries up to this size (JSON metadata) are kept in memory; larger ones go to the content store. */
    static final int IN_MEMORY_MAX = 1024 * 1024;
    /** At most this many bytes of small entries are kept in memory in all; the rest go to the content store. */
    static final long IN_MEMORY_TOTAL = 32L * 1024 * 1024;
    private static final int MAX_LINK_HOPS = 16;
    private static final Pattern BLOB = Pattern.compile("blobs/(sha256|sha512)/([a-f0-9]+)");

    /** What an archive path holds. */
    private sealed interface Entry permits Bytes, Blob, Link {}

    private record Bytes(byte[] bytes) implements Entry {}

    private record Blob(Digest digest) implements Entry {}

    private record Link(String target) implements Entry {}

    /** An image found in the archive, before it is stored. */
    private record Found(Digest configDigest, List<Digest> layers, Descriptor manifest, List<Reference> tags) {}

    private final ImageArchives archives;
    private final ContentStore content;
    private final ImageStore images;
    private final Unpacker unpacker;
    private final EventBus events;
    private final ImageService.ProgressListener listener;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Set<Digest> added = new HashSet<>();
    private long inMemory;

    ArchiveLoader(ImageArchives archives, ContentStore content, ImageStore images, Unpacker unpacker, EventBus events,
                  ImageService.ProgressListener listener) {
        this.archives = archives;
        this.content = content;
        this.images = images;
        this.unpacker = unpacker;
        this.events = events;
        this.listener = listener == null ? ImageService.ProgressListener.NONE : listener;
    }

    List<String> load(InputStream archive) throws InterruptedException {
        try {
            read(archive);
            List<Found> found;
            if (entries.containsKey(ImageArchives.MANIFEST_JSON)) {
                found = dockerImages();
            } else if (entries.containsKey(ImageArchives.INDEX_JSON)) {
                found = ociImages();
            } else {
                throw new EngineException.InvalidArgument("the archive has neither manifest.json nor index.json:"
                        + " it is not a docker save archive or an OCI image layout");
            }
            if (found.isEmpty()) {
                throw new EngineException.InvalidArgument("the archive names no images");
            }
            List<String> lines = new ArrayList<>();
            for (Found f : found) {
                ImageArchives.checkInterrupted();
                lines.addAll(store(f));
            }
            return lines;
        } finally {
            // after a failure, and after a load of images Berth had already (their layers stored differently)
            dropUnusedBlobs();
        }
    }

    // ---- reading the tar

    private void read(InputStream archive) throws InterruptedException {
        try {
            BufferedInputStream buffered = new BufferedInputStream(archive, 64 * 1024);
            InputStream raw = Compression.detect(buffered, "the archive").decompress(buffered);
            TarArchiveInputStream tar = new TarArchiveInputStream(raw, "UTF-8");
            int count = 0;
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                ImageArchives.checkInterrupted();
                count++;
                String name = clean(e.getName(), "archive entry " + e.getName());
                if (name.isEmpty() || e.isDirectory()) {
                    continue;
                }
                if (e.isSymbolicLink()) {
                    entries.put(name, new Link(resolveLink(name, e.getLinkName())));
                } else if (e.isLink()) {
                    entries.put(name, new Link(clean(e.getLinkName(), "hard link " + name + " -> " + e.getLinkName())));
                } else if (e.isFile()) {
                    entries.put(name, readFile(name, e.getSize(), new NonClosing(tar)));
                } else {
                    throw new EngineException.InvalidArgument("archive entry " + name + " is a device or fifo;"
                            + " an image archive holds only files, directories and links");
                }
            }
            if (count == 0) {
                throw new EngineException.InvalidArgument("the archive is empty or not a tar archive");
            }
        } catch (IOException e) {
            throw new EngineException.InvalidArgument("cannot read the image archive: " + e.getMessage(), e);
        }
    }

    private Entry readFile(String name, long size, InputStream in) throws IOException {
        Matcher m = BLOB.matcher(name);
        if (m.matches()) {
            Digest d;
            try {
                d = new Digest(m.group(1), m.group(2));
            } catch (EngineException.InvalidArgument notADigest) {
                return readOther(name, size, in);
            }
            if (content.exists(d)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } else {
                storeStream(in, size, d, "blob " + d + " in the archive");
            }
            listener.onProgress(new ImageService.Progress(d.shortId(), ImageService.Phase.LOADING, size, size,
                    "Loading blob"));
            return new Blob(d);
        }
        return readOther(name, size, in);
    }

    private Entry readOther(String name, long size, InputStream in) throws IOException {
        if (size <= IN_MEMORY_MAX && inMemory + size <= IN_MEMORY_TOTAL) {
            inMemory += size;
            return new Bytes(in.readNBytes((int) size));
        }
        return new Blob(storeStream(in, size, null, "archive entry " + name));
    }

    /** Streams {@code size} bytes into the content store, verified against {@code expected} when given. */
    private Digest storeStream(InputStream in, long size, Digest expected, String what) throws IOException {
        String ref = "load-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        Writer w = content.writer(ref, size, expected);
        try {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                w.write(buf, 0, n);
            }
            boolean existed = content.exists(w.digest());
            Digest d;
            try {
                d = w.commit(size, expected);
            } catch (EngineException.InvalidArgument mismatch) {
                throw new EngineException.InvalidArgument(what + " is corrupt: its content does not match its digest ("
                        + mismatch.getMessage() + "); nothing was stored for it", mismatch);
            }
            if (!existed) {
                added.add(d);
            }
            return d;
        } finally {
            w.close();
            archives.abortQuietly(ref);
        }
    }

    /**
     * An archive path in canonical form ({@code a/b/c}): leading {@code ./} and empty or {@code .}
     * components dropped; absolute paths and {@code ..} refused.
     */
    static String clean(String raw, String what) {
        if (raw == null) {
            throw new EngineException.InvalidArgument(what + " has no name");
        }
        if (raw.startsWith("/")) {
            throw new EngineException.InvalidArgument(what + " has an absolute path; refused");
        }
        if (raw.indexOf('\0') >= 0) {
            throw new EngineException.InvalidArgument(what + " has a NUL byte in its name; refused");
        }
        List<String> parts = new ArrayList<>();
        for (String p : raw.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                throw new EngineException.InvalidArgument(what + " leads outside the archive (\"..\"); refused");
            }
            parts.add(p);
        }
        return String.join("/", parts);
    }

    /** A symlink's target as an archive path; relative to the link's directory, never leaving the archive. */
    private static String resolveLink(String name, String target) {
        String what = "symbolic link " + name + " -> " + target;
        if (target == null || target.isEmpty() || target.startsWith("/")) {
            throw new EngineException.InvalidArgument(what + " points outside the archive; refused");
        }
        List<String> parts = new ArrayList<>(List.of(name.split("/")));
        parts.removeLast();
        for (String p : target.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    throw new EngineException.InvalidArgument(what + " points outside the archive; refused");
                }
                parts.removeLast();
            } else {
                parts.add(p);
            }
        }
        return String.join("/", parts);
    }

    /** The entry at an archive path, links followed. */
    private Entry entry(String path, String namedBy) {
        String p = clean(path, namedBy + " names " + path + ", which");
        for (int hop = 0; hop < MAX_LINK_HOPS; hop++) {
            Entry e = entries.get(p);
            if (e == null) {
                throw new EngineException.InvalidArgument("the archive has no file " + p + ", which " + namedBy + " names");
            }
            if (!(e instanceof Link(String target))) {
                return e;
            }
            p = target;
        }
        throw new EngineException.InvalidArgument("too many links from " + path + ", which " + namedBy + " names");
    }

    private byte[] bytes(String path, String namedBy) {
        return switch (entry(path, namedBy)) {
            case Bytes(byte[] b) -> b;
            case Blob(Digest d) -> archives.readJsonBlob(d, path);
            case Link l -> throw new IllegalStateException();
        };
    }

    private Digest blob(String path, String namedBy) {
        return switch (entry(path, namedBy)) {
            case Bytes(byte[] b) -> {
                Digest d = Digest.sha256(b);
                boolean existed = content.exists(d);
                archives.storeBytes(b);
                if (!existed) {
                    added.add(d);
                }
                yield d;
            }
            case Blob(Digest d) -> d;
            case Link l -> throw new IllegalStateException();
        };
    }

    // ---- the two layouts

    /** {@code manifest.json}: Docker's save format, old ({@code <id>/layer.tar}) or new ({@code blobs/...}). */
    private List<Found> dockerImages() {
        List<ImageArchives.ManifestItem> items;
        try {
            items = Json.mapper().readValue(bytes(ImageArchives.MANIFEST_JSON, "the archive"), new TypeReference<>() {});
        } catch (IOException e) {
            throw new EngineException.InvalidArgument("manifest.json in the archive is not valid: " + e.getMessage(), e);
        }
        Map<Digest, Descriptor> manifestsByConfig = entries.containsKey(ImageArchives.INDEX_JSON)
                ? manifestsByConfig() : Map.of();
        List<Found> out = new ArrayList<>();
        for (ImageArchives.ManifestItem item : items) {
            if (item == null || item.config() == null || item.layers() == null) {
                throw new EngineException.InvalidArgument("manifest.json has an entry without Config or Layers");
            }
            Digest config = blob(item.config(), "manifest.json");
            List<Digest> layers = new ArrayList<>();
            for (String layer : item.layers()) {
                layers.add(blob(layer, "manifest.json"));
            }
            List<Reference> tags = new ArrayList<>();
            if (item.repoTags() != null) {
                for (String t : item.repoTags()) {
                    Reference r = reference(t, "manifest.json");
                    if (r != null && !tags.contains(r)) {
                        tags.add(r);
                    }
                }
            }
            out.add(new Found(config, layers, manifestsByConfig.get(config), tags));
        }
        return out;
    }

    /** index.json's image manifests (only those stored in the archive) by their config digest. */
    private Map<Digest, Descriptor> manifestsByConfig() {
        Map<Digest, Descriptor> out = new HashMap<>();
        for (Descriptor d : index(bytes(ImageArchives.INDEX_JSON, "the archive"), "index.json").manifests()) {
            if (d.digest() != null && MediaTypes.isImageManifest(d.mediaType()) && content.exists(d.digest())) {
                ImageManifest m = ImageArchives.parse(archives.readJsonBlob(d.digest(), "manifest " + d.digest()),
                        ImageManifest.class, "manifest " + d.digest());
                if (m.config() != null) {
                    out.putIfAbsent(m.config().digest(), d);
                }
            }
        }
        return out;
    }

    /** {@code index.json} of an OCI image layout: each entry an image, or an index (the host's platform is chosen). */
    private List<Found> ociImages() {
        ImageIndex index = index(bytes(ImageArchives.INDEX_JSON, "the archive"), "index.json");
        Map<Digest, Found> byManifest = new LinkedHashMap<>();
        for (Descriptor d : index.manifests()) {
            Descriptor manifest = platformManifest(d, 0);
            Found f = byManifest.get(manifest.digest());
            if (f == null) {
                ImageManifest m = ImageArchives.parse(bytes(ImageArchives.blobPath(manifest.digest()), "index.json"),
                        ImageManifest.class, "manifest " + manifest.digest());
                if (m.config() == null || m.config().digest() == null) {
                    throw new EngineException.InvalidArgument("manifest " + manifest.digest() + " has no config");
                }
                Digest config = blob(ImageArchives.blobPath(m.config().digest()), "manifest " + manifest.digest());
                List<Digest> layers = new ArrayList<>();
                for (Descriptor l : m.layers()) {
                    layers.add(blob(ImageArchives.blobPath(l.digest()), "manifest " + manifest.digest()));
                }
                f = new Found(config, layers, manifest, new ArrayList<>());
                byManifest.put(manifest.digest(), f);
            }
            Reference tag = tagOf(d);
            if (tag != null && !f.tags().contains(tag)) {
                f.tags().add(tag);
            }
        }
        return List.copyOf(byManifest.values());
    }

    /** The image manifest an index.json entry stands for: itself, or the host platform's entry of a nested index. */
    private Descriptor platformManifest(Descriptor d, int depth) {
        if (d.digest() == null) {
            throw new EngineException.InvalidArgument("index.json has an entry without a digest");
        }
        if (MediaTypes.isImageManifest(d.mediaType())) {
            return d;
        }
        if (MediaTypes.isIndex(d.mediaType()) && depth < 4) {
            ImageIndex nested = index(bytes(ImageArchives.blobPath(d.digest()), "index.json"), "index " + d.digest());
            return platformManifest(new PlatformMatcher(Platform.host()).selectOrThrow(nested, "index " + d.digest()), depth + 1);
        }
        throw new EngineException.InvalidArgument("index.json entry " + d.digest() + " has media type " + d.mediaType()
                + ", which is not an image manifest or index");
    }

    /** The full reference an OCI index entry is tagged with, or null when it names only a tag (or nothing). */
    private static Reference tagOf(Descriptor d) {
        String full = d.annotation(ImageArchives.ANNOTATION_IMAGE_NAME);
        if (full != null && !full.isBlank()) {
            return reference(full, "index.json");
        }
        String name = d.annotation(ImageArchives.ANNOTATION_REF_NAME);
        if (name != null && (name.contains(":") || name.contains("/"))) {
            // skopeo's oci:DIR:busybox:latest writes the whole reference here
            return reference(name, "index.json");
        }
        // a bare tag ("latest") says nothing about the repository: the image is loaded untagged
        return null;
    }

    private static Reference reference(String s, String where) {
        Reference r;
        try {
            r = Reference.parse(s);
        } catch (EngineException.InvalidArgument e) {
            throw new EngineException.InvalidArgument(where + " in the archive names \"" + s + "\": " + e.getMessage(), e);
        }
        if (r.digest() != null && r.tag() == null) {
            return null;
        }
        return r.tag() == null ? r.withTag(Reference.DEFAULT_TAG) : r.withTag(r.tag());
    }

    private static ImageIndex index(byte[] bytes, String what) {
        ImageIndex index = ImageArchives.parse(bytes, ImageIndex.class, what);
        if (index.schemaVersion() != 2) {
            throw new EngineException.InvalidArgument(what + " has schemaVersion " + index.schemaVersion() + "; expected 2");
        }
        return index;
    }

    // ---- storing one image

    private List<String> store(Found f) {
        byte[] configBytes = archives.readJsonBlob(f.configDigest(), "image config " + f.configDigest());
        ImageConfig config = ImageArchives.parse(configBytes, ImageConfig.class, "image config " + f.configDigest());
        Digest id = Digest.sha256(configBytes);
        List<Digest> diffIds = config.rootfs() == null ? List.of() : config.rootfs().diffIds();
        if (diffIds.isEmpty()) {
            throw new EngineException.InvalidArgument("image config " + id + " lists no layers (rootfs.diff_ids)");
        }
        if (diffIds.size() != f.layers().size()) {
            throw new EngineException.InvalidArgument("image " + id.shortId() + " has " + f.layers().size()
                    + " layers in the archive but its config lists " + diffIds.size() + " DiffIDs");
        }
        long size = 0;
        Digest parent = null;
        for (int i = 0; i < diffIds.size(); i++) {
            Digest blob = f.layers().get(i);
            Digest diffId = diffIds.get(i);
            long[] counted = {-1};
            listener.onProgress(new ImageService.Progress(blob.shortId(), ImageService.Phase.EXTRACTING, i, diffIds.size(),
                    "Loading layer"));
            parent = unpacker.unpack(parent, new Unpacker.Layer(diffId, blob.toString(),
                    () -> new CountingInputStream(archives.decompressed(blob), counted)));
            size += counted[0] >= 0 ? counted[0] : uncompressedSize(blob);
            listener.onProgress(new ImageService.Progress(blob.shortId(), ImageService.Phase.DONE, i + 1, diffIds.size(),
                    "Loaded layer"));
        }
        if (!ChainIds.top(diffIds).equals(parent)) {
            throw new IllegalStateException("chain " + parent + " is not the image's top chain");
        }
        ImageRecord record = images.get(id).orElse(null);
        // an image Berth has already keeps its record (its pulled blobs and manifest, often compressed otherwise
        // than the archive's), unless a blob it names is gone: then the archive's layers, all stored, take its place
        if (record == null || !hasEveryBlob(record)) {
            images.put(new ImageRecord(id, f.manifest() == null ? null : f.manifest().digest(),
                    f.manifest() == null ? null : MediaTypes.normalize(f.manifest().mediaType()), f.layers(), diffIds,
                    size, ImageArchives.createdTime(config), record == null ? null : record.added()));
        }
        List<String> lines = new ArrayList<>();
        for (Reference tag : f.tags()) {
            images.tag(tag, id);
            lines.add("Loaded image: " + tag.familiar());
            events.publish(Event.of("image", "load", id.toString(), Map.of("name", tag.familiar())));
        }
        if (f.tags().isEmpty()) {
            lines.add("Loaded image ID: " + id);
            events.publish(Event.of("image", "load", id.toString(), Map.of("name", id.toString())));
        }
        return lines;
    }

    private boolean hasEveryBlob(ImageRecord r) {
        return r.layers().stream().allMatch(content::exists)
                && (r.manifestDigest() == null || content.exists(r.manifestDigest()));
    }

    private long uncompressedSize(Digest blob) {
        try (InputStream in = archives.decompressed(blob)) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read layer " + blob + ": " + e.getMessage(), e);
        }
    }

    private void dropUnusedBlobs() {
        Set<Digest> used = new HashSet<>();
        for (ImageRecord r : images.list()) {
            used.add(r.id());
            used.addAll(r.layers());
            if (r.manifestDigest() != null) {
                used.add(r.manifestDigest());
            }
        }
        for (Digest d : added) {
            if (!used.contains(d)) {
                archives.deleteQuietly(d);
            }
        }
    }

    /** Counts the bytes read through it into {@code count[0]}. */
    private static final class CountingInputStream extends FilterInputStream {
        private final long[] count;

        CountingInputStream(InputStream in, long[] count) {
            super(in);
            this.count = count;
            count[0] = 0;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count[0]++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count[0] += n;
            }
            return n;
        }
    }

    /** Keeps the applier or a reader from closing the tar stream under us. */
    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the tar stream is closed by its owner
        }
    }
}
