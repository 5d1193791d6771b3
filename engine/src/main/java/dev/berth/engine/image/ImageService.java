package dev.berth.engine.image;

import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.Platform;
import dev.berth.engine.registry.Credentials;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's image operations: what {@code docker pull / push / images / tag / rmi / inspect /
 * history / save / load / import / image prune / system df / search / login} do. The desktop app
 * calls this in-process; the API's images router calls it for the docker CLI. Every name argument
 * is resolved as {@link ImageStore#resolve} does (reference, full or short id).
 *
 * <p>Long operations report progress through listeners on the calling thread and stop when the
 * calling thread is interrupted (that is how a cancel button or a closed API connection cancels).
 * Every change is published once on the event bus (Docker's image events: pull, push, tag,
 * untag, delete, save, load, import).
 */
public interface ImageService {

    /** Pulls {@code ref} (platform: the host's by default) and tags it; returns the stored image. */
    ImageRecord pull(Reference ref, PullOptions options, ProgressListener listener) throws InterruptedException;

    /** Pushes the image tagged {@code ref} to its registry; returns the pushed manifest digest. */
    PushResult push(Reference ref, Optional<Credentials> credentials, ProgressListener listener) throws InterruptedException;

    /** Points {@code target} at the image named {@code source}. */
    void tag(String source, Reference target);

    /**
     * {@code docker rmi}: untags {@code name} if it is a reference and the image has other
     * references; otherwise deletes the image (refused while a container uses it unless forced,
     * refused for an image with several tags when named by id unless forced).
     */
    List<RemovedImage> remove(String name, boolean force, boolean noPrune);

    ImageDetails inspect(String name);

    /** Layer history, newest first, as {@code docker history} shows it. */
    List<HistoryEntry> history(String name);

    /** {@code docker images}: filters dangling=true|false, reference=pattern, label=k[=v], before, since. */
    List<ImageSummary> list(boolean all, Map<String, List<String>> filters);

    /** {@code docker image prune}: dangling images, or every image no container uses when {@code all}. */
    PruneReport prune(boolean all, Map<String, List<String>> filters);

    /** Bytes used by images: each image's size, and how much of it is shared with others. */
    DiskUsage diskUsage();

    /** Writes the named images as a {@code docker save} archive (with an OCI layout inside). */
    void save(List<String> names, OutputStream out) throws InterruptedException;

    /** Reads a {@code docker save} archive or an OCI layout tar; returns the loaded references/ids. */
    List<String> load(InputStream archive, ProgressListener listener) throws InterruptedException;

    /** {@code docker import}: a rootfs tar as a one-layer image, with Dockerfile-style {@code changes}. */
    ImageRecord importImage(InputStream rootfsTar, Optional<Reference> tag, List<String> changes, String message,
                            Optional<Platform> platform) throws InterruptedException;

    /** {@code docker search}: a registry's catalog and tags for private registries. */
    List<SearchResult> search(String term, int limit);

    /** Verifies the credentials against the registry and stores them (0600, never logged). */
    void login(String registry, Credentials credentials);

    boolean logout(String registry);

    /** Options of a pull. */
    record PullOptions(Optional<Platform> platform, Optional<Credentials> credentials) {
        public static PullOptions defaults() {
            return new PullOptions(Optional.empty(), Optional.empty());
        }
    }

    /** One step of a pull, push or load: either about one layer or about the whole image. */
    record Progress(String id, Phase phase, long current, long total, String message) {}

    /** Phases Docker's progress shows per layer. */
    enum Phase { RESOLVING, WAITING, DOWNLOADING, VERIFYING, EXTRACTING, ALREADY_EXISTS, PULL_COMPLETE,
        PREPARING, PUSHING, PUSHED, MOUNTED, LOADING, DONE, FAILED, STATUS }

    @FunctionalInterface
    interface ProgressListener {
        void onProgress(Progress progress);

        ProgressListener NONE = p -> {};
    }

    record PushResult(Reference ref, dev.berth.engine.oci.Digest digest, long size) {}

    /** One line of {@code docker rmi} output: an untagged reference or a deleted id. */
    record RemovedImage(String untagged, String deleted) {}

    record HistoryEntry(String id, java.time.Instant created, String createdBy, long size, String comment,
                        List<String> tags) {}

    /** A row of {@code docker images}. */
    /** A row of {@code docker images}; {@code parent} is the image a local build made it on, or null. */
    record ImageSummary(ImageRecord image, List<Reference> tags, List<Reference> digests, Map<String, String> labels,
                        int containers, long sharedSize, Digest parent) {
        public ImageSummary(ImageRecord image, List<Reference> tags, List<Reference> digests, Map<String, String> labels,
                            int containers, long sharedSize) {
            this(image, tags, digests, labels, containers, sharedSize, null);
        }
    }

    /**
     * {@code docker image inspect}: the record, its config as stored, its references, and the image a local
     * build made it on ({@code parent}, null for pulled, loaded and committed images).
     */
    record ImageDetails(ImageRecord image, dev.berth.engine.oci.ImageConfig config, List<Reference> tags,
                        List<Reference> digests, List<String> layerChainIds, Digest parent) {
        public ImageDetails(ImageRecord image, dev.berth.engine.oci.ImageConfig config, List<Reference> tags,
                            List<Reference> digests, List<String> layerChainIds) {
            this(image, config, tags, digests, layerChainIds, null);
        }
    }

    record PruneReport(List<RemovedImage> removed, long spaceReclaimed) {}

    record DiskUsage(List<ImageUsage> images, long layersSize) {
        public record ImageUsage(ImageRecord image, List<Reference> tags, long size, long sharedSize, long uniqueSize,
                                 int containers) {}
    }

    record SearchResult(String name, String description, int starCount, boolean official) {}
}
