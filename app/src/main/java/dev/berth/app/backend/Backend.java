package dev.berth.app.backend;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * An engine as the app sees it. Calls block (view models run them on background threads)
 * and throw {@code EngineException} subclasses with plain messages. Long operations (pull, push,
 * save, load) stop with {@link InterruptedException} when their thread is interrupted: that is
 * how a Cancel button cancels.
 *
 * <p>Containers, networks, volumes and builds are reached through {@link #api()}: the Docker
 * Engine API, which the embedded engine also serves on its socket, so there is one client for
 * both kinds of backend. Each pane has its own small client on top of it.
 */
public interface Backend extends AutoCloseable {

    /** How the app reaches this engine; shown in the status bar. */
    Connection connection();

    /**
     * The Docker Engine API of this engine.
     *
     * @throws dev.berth.engine.errors.EngineException.Unavailable when the embedded engine could not
     *         serve its socket (the status bar says why)
     */
    ApiClient api();

    /** Checks that the engine answers; throws {@code EngineException.Unavailable} when it does not. */
    void ping();

    /** The engine's version, as {@code docker version} shows it. */
    EngineVersion version();

    /** Facts about the engine and its host, as {@code docker info} shows them. */
    EngineInfo info();

    /**
     * Streams the engine's events to {@code onEvent}, on a background thread, in the order
     * they happened: first those kept since {@code since} (none when null), then live ones.
     * {@code onEnd} is called once when the stream ends for a reason other than
     * {@link EventSubscription#close()}: with the failure, or null when the engine closed it.
     */
    EventSubscription events(Instant since, Consumer<EngineEvent> onEvent, Consumer<Throwable> onEnd);

    // ---- images ------------------------------------------------------------------------------

    /**
     * Checks an image reference the way the engine does and returns its full form
     * ({@code busybox} is {@code docker.io/library/busybox:latest}).
     *
     * @throws dev.berth.engine.errors.EngineException.InvalidArgument naming what is wrong
     */
    String normalizeReference(String reference);

    /** {@code docker images}: every tagged and dangling image (not build intermediates). */
    List<ImageSummary> images();

    /**
     * {@code docker pull}: pulls {@code reference} for {@code platform} ({@code os/arch[/variant]},
     * null or blank for the host's), reporting each step to {@code progress} on this thread.
     *
     * @return the pulled image's id
     */
    String pullImage(String reference, String platform, Consumer<ImageProgress> progress) throws InterruptedException;

    /** {@code docker push}: pushes the image tagged {@code reference}; returns the manifest digest pushed. */
    String pushImage(String reference, Consumer<ImageProgress> progress) throws InterruptedException;

    /** {@code docker tag}: points {@code target} at the image named {@code source} (a reference or id). */
    void tagImage(String source, String target);

    /** {@code docker rmi [--force]}: untags or deletes the named image. */
    List<RemovedImage> removeImage(String name, boolean force);

    /** {@code docker image inspect}: Docker's JSON for the image. */
    JsonNode inspectImage(String name);

    /**
     * {@code docker history}, newest first, with the layer each step added and how many other
     * images share it.
     */
    List<ImageLayer> imageHistory(String name);

    /** {@code docker save -o file}: writes the named images to {@code file} (replaced only when complete). */
    void saveImages(List<String> names, Path file) throws InterruptedException;

    /** {@code docker load -i file}: returns the loaded references (or ids for untagged images). */
    List<String> loadImages(Path file, Consumer<ImageProgress> progress) throws InterruptedException;

    /** {@code docker image prune [-a]}. */
    PruneResult pruneImages(boolean all);

    // ---- registries ----------------------------------------------------------------------------

    /**
     * {@code docker login}: checks the credentials against {@code registry} ({@code host[:port]},
     * or {@code docker.io}) and keeps them for later pulls and pushes. The password is never logged.
     *
     * @throws dev.berth.engine.errors.EngineException.Unauthorized when the registry refuses them
     */
    void login(String registry, String username, String password);

    /** {@code docker logout}; true when there was a login to forget. */
    boolean logout(String registry);

    /** Mirrors and insecure registries as the engine has them now. */
    RegistrySettings registrySettings();

    /**
     * Changes mirrors and insecure registries; both lists are checked first.
     *
     * @return the settings as now stored
     * @throws dev.berth.engine.errors.EngineException.InvalidArgument naming the bad entry
     * @throws dev.berth.engine.errors.EngineException.FailedPrecondition when this engine's settings
     *         cannot be changed from here (an engine the app is a client of)
     */
    RegistrySettings saveRegistrySettings(List<String> mirrors, List<String> insecureRegistries);

    /** Stops event streams and releases the engine (stopping it, when it runs in this process). */
    @Override
    void close();
}
