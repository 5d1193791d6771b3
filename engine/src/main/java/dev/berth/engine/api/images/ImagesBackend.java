package dev.berth.engine.api.images;

import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.image.Reference;
import dev.berth.engine.oci.Platform;
import dev.berth.engine.registry.Credentials;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the images router needs from the engine: the image operations of
 * {@link ImageService}, with the same contracts (long operations stop when the calling thread is
 * interrupted). Wired in {@code EngineBackends}.
 */
public interface ImagesBackend {

    ImageRecord pull(Reference ref, ImageService.PullOptions options, ImageService.ProgressListener listener)
            throws InterruptedException;

    ImageService.PushResult push(Reference ref, Optional<Credentials> credentials, ImageService.ProgressListener listener)
            throws InterruptedException;

    void tag(String source, Reference target);

    List<ImageService.RemovedImage> remove(String name, boolean force, boolean noPrune);

    ImageService.ImageDetails inspect(String name);

    List<ImageService.HistoryEntry> history(String name);

    List<ImageService.ImageSummary> list(boolean all, Map<String, List<String>> filters);

    ImageService.PruneReport prune(boolean all, Map<String, List<String>> filters);

    void save(List<String> names, OutputStream out) throws InterruptedException;

    List<String> load(InputStream archive, ImageService.ProgressListener listener) throws InterruptedException;

    ImageRecord importImage(InputStream rootfsTar, Optional<Reference> tag, List<String> changes, String message,
                            Optional<Platform> platform) throws InterruptedException;

    List<ImageService.SearchResult> search(String term, int limit);

    void login(String registry, Credentials credentials);

    /** Every method delegating to {@code service}. */
    static ImagesBackend of(ImageService service) {
        return new ImagesBackend() {
            @Override
            public ImageRecord pull(Reference ref, ImageService.PullOptions options, ImageService.ProgressListener l)
                    throws InterruptedException {
                return service.pull(ref, options, l);
            }

            @Override
            public ImageService.PushResult push(Reference ref, Optional<Credentials> credentials,
                                                ImageService.ProgressListener l) throws InterruptedException {
                return service.push(ref, credentials, l);
            }

            @Override
            public void tag(String source, Reference target) {
                service.tag(source, target);
            }

            @Override
            public List<ImageService.RemovedImage> remove(String name, boolean force, boolean noPrune) {
                return service.remove(name, force, noPrune);
            }

            @Override
            public ImageService.ImageDetails inspect(String name) {
                return service.inspect(name);
            }

            @Override
            public List<ImageService.HistoryEntry> history(String name) {
                return service.history(name);
            }

            @Override
            public List<ImageService.ImageSummary> list(boolean all, Map<String, List<String>> filters) {
                return service.list(all, filters);
            }

            @Override
            public ImageService.PruneReport prune(boolean all, Map<String, List<String>> filters) {
                return service.prune(all, filters);
            }

            @Override
            public void save(List<String> names, OutputStream out) throws InterruptedException {
                service.save(names, out);
            }

            @Override
            public List<String> load(InputStream archive, ImageService.ProgressListener l) throws InterruptedException {
                return service.load(archive, l);
            }

            @Override
            public ImageRecord importImage(InputStream rootfsTar, Optional<Reference> tag, List<String> changes,
                                           String message, Optional<Platform> platform) throws InterruptedException {
                return service.importImage(rootfsTar, tag, changes, message, platform);
            }

            @Override
            public List<ImageService.SearchResult> search(String term, int limit) {
                return service.search(term, limit);
            }

            @Override
            public void login(String registry, Credentials credentials) {
                service.login(registry, credentials);
            }
        };
    }
}
