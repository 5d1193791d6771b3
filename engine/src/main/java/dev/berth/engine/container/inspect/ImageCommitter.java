package dev.berth.engine.container.inspect;

import dev.berth.engine.image.ConfigChanges;
import dev.berth.engine.content.ContentStore;
import dev.berth.engine.content.Writer;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.image.Reference;
import dev.berth.engine.layer.Changeset;
import dev.berth.engine.oci.Descriptor;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.ImageConfig;
import dev.berth.engine.oci.ImageManifest;
import dev.berth.engine.oci.MediaTypes;
import dev.berth.engine.snapshot.ChainIds;
import dev.berth.engine.snapshot.Unpacker;
import dev.berth.engine.state.Json;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;

/**
 * {@code docker commit} ({@code POST /commit}): turns a container's writable layer into a new
 * image on top of the container's image.
 *
 * <ol>
 *   <li>The upper directory becomes a layer tar ({@link Changeset#diff}), hashed uncompressed for
 *       its DiffID and gzip-compressed into the content store in the same pass.
 *   <li>The new image config is the parent's, with the container's config ({@code Cmd},
 *       {@code Env}, ...) and the {@code --change} instructions on top, the author, a new
 *       {@code created} time, the new DiffID appended to {@code rootfs.diff_ids} and a history
 *       entry (created_by is the container's command, comment the commit message).
 *   <li>Config and an OCI manifest (the parent's layer descriptors plus the new layer) are stored
 *       as blobs; the config digest is the image ID.
 *   <li>The new layer is unpacked into a committed snapshot ({@link Unpacker}: verified against
 *       its DiffID), so containers can start from the image at once.
 *   <li>An {@link ImageRecord} is stored, and the tag if one is given.
 * </ol>
 *
 * <p>Reads the container's directories only; pausing a running container around the commit is
 * the caller's choice, as Docker's {@code pause} flag is.
 */
public final class ImageCommitter {

    /**
     * One commit.
     *
     * @param parent       the container's image
     * @param parentConfig the exact bytes of that image's config blob
     * @param lowerDirs    the image's layer directories, newest first (overlay order)
     * @param upperDir     the container's writable layer
     * @param container    the container's own config (what it was created with), the base of the new config
     * @param changes      {@code --change} instructions, applied after the container's config
     * @param author       the author ({@code -a}), or null
     * @param comment      the commit message ({@code -m}), or null
     * @param tag          where to tag the new image, or empty
     * @param mountTargets paths the runtime mounted over; left out of the layer when they were
     *                     created only for that, as {@link ContainerDiff} leaves them out (Docker
     *                     keeps them in an init layer that is never committed)
     */
    public record Request(ImageRecord parent, byte[] parentConfig, List<Path> lowerDirs, Path upperDir,
                          ImageConfig.Config container, List<String> changes, String author, String comment,
                          Optional<Reference> tag, Set<String> mountTargets) {
        public Request {
            mountTargets = mountTargets == null ? ContainerDiff.RUNTIME_MOUNT_TARGETS : Set.copyOf(mountTargets);
            Objects.requireNonNull(parent, "parent");
            Objects.requireNonNull(parentConfig, "parentConfig");
            Objects.requireNonNull(upperDir, "upperDir");
            lowerDirs = List.copyOf(lowerDirs);
            changes = changes == null ? List.of() : List.copyOf(changes);
            tag = tag == null ? Optional.empty() : tag;
        }
    }

    /** What a commit made: the image ID (config digest), its manifest, the new layer's blob and DiffID. */
    public record Committed(Digest imageId, Digest manifestDigest, Digest layerDigest, Digest diffId, long layerSize,
                            ImageConfig config, ImageRecord record) {}

    private final ContentStore content;
    private final ImageStore images;
    private final Unpacker unpacker;
    private final Clock clock;

    public ImageCommitter(ContentStore content, ImageStore images, Unpacker unpacker, Clock clock) {
        this.content = content;
        this.images = images;
        this.unpacker = unpacker;
        this.clock = clock;
    }

    public Committed commit(Request r) {
        ImageConfig parent;
        try {
            parent = Json.mapper().readValue(r.parentConfig(), ImageConfig.class);
        } catch (IOException e) {
            throw new EngineException.InvalidArgument("the config of image " + r.parent().id() + " cannot be read: " + e.getMessage(), e);
        }
        List<Descriptor> parentLayers = parentLayers(r.parent());

        // 1. the layer
        LayerBlob layer = writeLayer(r);

        // 2. the config
        Instant now = clock.instant();
        String created = DateTimeFormatter.ISO_INSTANT.format(now);
        ImageConfig.Config base = r.container() != null ? r.container() : parent.config();
        ImageConfig.Config runConfig = ConfigChanges.apply(base, r.changes());
        List<Digest> diffIds = new ArrayList<>(r.parent().diffIds());
        diffIds.add(layer.diffId());
        List<ImageConfig.History> history = new ArrayList<>(parent.history() == null ? List.of() : parent.history());
        String createdBy = base == null || base.cmd() == null ? "" : String.join(" ", base.cmd());
        history.add(new ImageConfig.History(created, createdBy, emptyToNull(r.author()), emptyToNull(r.comment()), null));
        ImageConfig config = new ImageConfig(created, emptyToNull(r.author()), parent.architecture(), parent.os(),
                parent.osVersion(), parent.osFeatures(), parent.variant(), runConfig, ImageConfig.RootFs.layers(diffIds),
                List.copyOf(history));
        byte[] configBytes = Json.toBytes(config);
        Digest configDigest = put(configBytes, "commit-config");

        // 3. the manifest
        List<Descriptor> layers = new ArrayList<>(parentLayers);
        layers.add(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, layer.digest(), layer.compressedSize()));
        ImageManifest manifest = ImageManifest.of(MediaTypes.OCI_MANIFEST,
                Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length), layers);
        byte[] manifestBytes = Json.toBytes(manifest);
        Digest manifestDigest = put(manifestBytes, "commit-manifest");

        // 4. the snapshot
        Digest parentChain = r.parent().diffIds().isEmpty() ? null : ChainIds.top(r.parent().diffIds());
        unpacker.unpack(parentChain, new Unpacker.Layer(layer.diffId(), layer.digest().toString(), () -> content.open(layer.digest())));

        // 5. the record and the tag
        List<Digest> layerDigests = layers.stream().map(Descriptor::digest).toList();
        ImageRecord record = new ImageRecord(configDigest, manifestDigest, MediaTypes.OCI_MANIFEST, layerDigests, diffIds,
                r.parent().size() + layer.size(), now, now);
        images.put(record);
        r.tag().ifPresent(ref -> images.tag(ref, configDigest));
        return new Committed(configDigest, manifestDigest, layer.digest(), layer.diffId(), layer.compressedSize(), config, record);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The parent's layer descriptors: from its manifest when stored, else from its layer blobs. */
    private List<Descriptor> parentLayers(ImageRecord parent) {
        if (parent.manifestDigest() != null && content.exists(parent.manifestDigest())) {
            try (InputStream in = content.open(parent.manifestDigest())) {
                ImageManifest m = Json.mapper().readValue(in, ImageManifest.class);
                return m.layers();
            } catch (IOException e) {
                throw new EngineException.Unavailable("cannot read the manifest " + parent.manifestDigest() + " of image "
                        + parent.id() + ": " + e.getMessage(), e);
            }
        }
        List<Descriptor> out = new ArrayList<>();
        for (Digest d : parent.layers()) {
            if (!content.exists(d)) {
                throw new EngineException.FailedPrecondition("cannot commit on image " + parent.id()
                        + ": neither its manifest nor its layer " + d + " is in the content store");
            }
            out.add(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, d, content.info(d).size()));
        }
        return out;
    }

    /**
     * A layer written to the content store: its gzip blob digest and size, its DiffID and uncompressed size.
     */
    public record LayerBlob(Digest digest, long compressedSize, Digest diffId, long size) {}

    private LayerBlob writeLayer(Request r) {
        return writeLayer(r.lowerDirs(), r.upperDir(), r.mountTargets());
    }

    /**
     * Writes the changes of {@code upperDir} over {@code lowerDirs} (deletions as whiteouts, paths in
     * {@code mountTargets} left out when they exist only for the runtime's mounts) as a gzip layer blob
     * into the content store: what a commit and the builder's RUN and COPY steps store.
     */
    public LayerBlob writeLayer(List<Path> lowerDirs, Path upperDir, Set<String> mountTargets) {
        String ref = "commit-layer-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Writer w = content.writer(ref, -1, null)) {
            CountingStream compressed = new CountingStream(w.asOutputStream());
            MessageDigest sha = Digest.newSha256();
            CountingStream uncompressed;
            try (GZIPOutputStream gz = new GZIPOutputStream(compressed, 64 * 1024)) {
                uncompressed = new CountingStream(new DigestOutputStream(gz, sha));
                Set<String> hidden = ContainerDiff.hidden(Changeset.changes(lowerDirs, upperDir), mountTargets);
                TarEntryFilter filter = new TarEntryFilter(uncompressed, name -> !hidden.contains(containerPath(name)));
                Changeset.diff(lowerDirs, upperDir, filter);
                filter.flush();
            }
            Digest digest = w.commit(compressed.count, null);
            return new LayerBlob(digest, compressed.count, Digest.of(sha), uncompressed.count);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot write the layer of " + upperDir + ": " + e.getMessage(), e);
        }
    }

    /** {@code etc/hosts} or {@code etc/} (archive names) to {@code /etc/hosts}, {@code /etc}. */
    private static String containerPath(String archiveName) {
        String n = archiveName.endsWith("/") ? archiveName.substring(0, archiveName.length() - 1) : archiveName;
        return "/" + n;
    }

    private Digest put(byte[] bytes, String what) {
        Digest d = Digest.sha256(bytes);
        return content.put(what + "-" + d.encoded(), bytes, d);
    }

    /** Counts the bytes that pass. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
