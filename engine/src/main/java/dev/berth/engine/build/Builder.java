package dev.berth.engine.build;

import dev.berth.engine.build.context.BuildContext;
import dev.berth.engine.build.context.ContextEntry;
import dev.berth.engine.build.context.ContextSource;
import dev.berth.engine.build.dockerfile.BuildScope;
import dev.berth.engine.build.dockerfile.Dockerfile;
import dev.berth.engine.build.dockerfile.DockerfileParser;
import dev.berth.engine.build.dockerfile.Heredoc;
import dev.berth.engine.build.dockerfile.Instruction;
import dev.berth.engine.build.dockerfile.KeyValue;
import dev.berth.engine.build.dockerfile.Position;
import dev.berth.engine.build.dockerfile.Stage;
import dev.berth.engine.build.dockerfile.StageScope;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.CreateRequest;
import dev.berth.engine.container.inspect.ContainerDiff;
import dev.berth.engine.container.inspect.ImageCommitter;
import dev.berth.engine.content.ContentStore;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.image.ConfigChanges;
import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.image.Reference;
import dev.berth.engine.layer.Compression;
import dev.berth.engine.oci.Descriptor;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.ImageConfig;
import dev.berth.engine.oci.ImageManifest;
import dev.berth.engine.oci.MediaTypes;
import dev.berth.engine.oci.Platform;
import dev.berth.engine.runtime.LogReader;
import dev.berth.engine.runtime.spec.RootfsPath;
import dev.berth.engine.runtime.spec.UserResolver;
import dev.berth.engine.snapshot.ChainIds;
import dev.berth.engine.snapshot.Mounter;
import dev.berth.engine.snapshot.Mounts;
import dev.berth.engine.snapshot.Snapshotter;
import dev.berth.engine.snapshot.Unpacker;
import dev.berth.engine.state.Json;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code docker build} with the classic builder's semantics: every step yields an image (config-only
 * steps an image whose history entry reads {@code /bin/sh -c #(nop) ...} with {@code empty_layer}), RUN
 * runs in a container of the previous step's image through the same runtime as {@code docker run} and
 * its writable layer is committed (a RUN that changes no file adds no layer), WORKDIR makes its directory
 * in a layer when it is missing, COPY and ADD write into a snapshot of the previous image with every
 * destination resolved inside its root, and the layer cache reuses a step's image when its parent, its
 * expanded instruction and (for COPY/ADD) its sources' content are the same. What the image config and
 * history hold was compared, Dockerfile by Dockerfile, with dockerd 20.10's classic builder.
 *
 * <p>Step images are stored untagged in the image store, each with its parent recorded
 * ({@link ImageStore#setParent}), as Docker keeps its intermediate images: {@code docker images} hides
 * them and removing the final image removes them. Only the target stage's final image receives the tags.
 */
public final class Builder {

    private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
    private static final Duration RUN_WAIT = Duration.ofDays(1);

    private final ImageStore images;
    private final ContentStore content;
    private final Unpacker unpacker;
    private final Snapshotter snapshots;
    private final ContainerService containers;
    private final ImageService imageService;
    private final ImageCommitter committer;
    private final BuildCache cache;
    private final Path scratch;
    private final Clock clock;
    private RemoteSource remote;
    /** The builds under way: a prune leaves the images they made alone. */
    private final java.util.Set<Run> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param dir the builder's directory under the state root ({@code <root>/build}): its cache index and
     *            the mount points of the snapshots COPY writes into
     */
    public Builder(ImageStore images, ContentStore content, Unpacker unpacker, ContainerService containers,
                   ImageService imageService, Path dir, Clock clock) {
        this.images = images;
        this.content = content;
        this.unpacker = unpacker;
        this.snapshots = unpacker.snapshotter();
        this.containers = containers;
        this.imageService = imageService;
        this.committer = new ImageCommitter(content, images, unpacker, clock);
        this.cache = new BuildCache(dir.resolve("cache"));
        this.scratch = dir.resolve("mnt");
        this.clock = clock;
        clearScratch();
    }

    /**
     * Unmounts and deletes what an engine that stopped in the middle of a COPY left under
     * {@code <root>/build/mnt} (its transient snapshots are removed by the snapshotter's own cleanup).
     */
    private void clearScratch() {
        if (!Files.isDirectory(scratch, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> left = Files.list(scratch)) {
            for (Path p : left.toList()) {
                if (Mounter.isMountPoint(p)) {
                    try {
                        Mounter.unmount(p);
                    } catch (EngineException e) {
                        continue; // still busy: left alone, never deleted through the mount
                    }
                }
                dev.berth.engine.state.FileTrees.deleteTree(p);
            }
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot clear the build scratch directory " + scratch + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Builds the target stage of the request's Dockerfile, reporting each step to {@code progress}
     * (called on this thread).
     *
     * @throws EngineException.InvalidArgument for a malformed Dockerfile (naming file:line:column), a bad tag,
     *         a source that leads out of the context
     * @throws EngineException.NotFound for a COPY source the context does not have, an unknown base image
     * @throws EngineException.FailedPrecondition when a RUN exits with a non-zero code (the message names the
     *         step, its line and the code; its cause is a {@link StepFailure}) or a step cannot be done
     * @throws InterruptedException when the thread is interrupted (a running RUN container is removed)
     */
    public BuildResult build(BuildRequest request, Consumer<BuildProgress> progress) throws InterruptedException {
        Thread thread = Thread.currentThread();
        try {
            return buildHere(request, progress);
        } finally {
            running.removeIf(r -> r.thread == thread);
        }
    }

    private BuildResult buildHere(BuildRequest request, Consumer<BuildProgress> progress) throws InterruptedException {
        String file = request.dockerfile() == null || request.dockerfile().isEmpty() ? "Dockerfile" : request.dockerfile();
        Dockerfile df = DockerfileParser.parse(request.context().dockerfile(request.dockerfile()), file);
        List<Reference> tags = request.tags().stream().map(Builder::tag).toList();
        Stage target = df.target(request.target());
        BuildScope scope = new BuildScope(df, request.buildArgs());
        List<Stage> stages = df.stages().subList(0, target.index() + 1);
        int total = df.globalArgs().size() + stages.stream().mapToInt(s -> 1 + s.instructions().size()).sum()
                + request.labels().size(); // a step per --label
        Run run = new Run(request, progress, total, df);
        for (Instruction.Arg a : df.globalArgs()) {
            run.globalArg(a);
        }
        Map<Integer, State> built = new HashMap<>();
        for (Stage stage : stages) {
            State state = run.from(scope, stage, built);
            StageScope ss = scope.enter(stage, state.env());
            state = run.onBuild(state, ss, stage, built);
            for (Instruction ins : stage.instructions()) {
                state = run.step(state, ss, stage, ins, built);
            }
            if (stage == target && !request.labels().isEmpty()) {
                state = run.labels(state);
            }
            built.put(stage.index(), state);
        }
        State last = built.get(target.index());
        if (last.id() == null) {
            throw new EngineException.InvalidArgument("no image was generated: stage " + target.index()
                    + " of " + file + " is an empty scratch stage");
        }
        cache.markResult(last.id());
        for (Reference tag : tags) {
            imageService.tag(last.id().toString(), tag); // publishes the image tag event, as docker build does
        }
        for (String unused : scope.unusedBuildArgs()) {
            progress.accept(new BuildProgress.Warning("[Warning] One or more build-args [" + unused + "] were not consumed"));
        }
        return new BuildResult(last.id(), tags, run.steps);
    }

    /**
     * {@code docker builder prune}: forgets layer cache records and removes the step images only they hold.
     *
     * <p>A record goes when its image was removed, or its image is a left-over step: untagged, with no child, used by
     * no container and not the result of a finished build (the last good step of a failed or cancelled build, whose
     * record would only serve a retry). With {@code all} every record goes (the next build runs every step again);
     * the images that tagged images are built on stay either way. {@code until} keeps records made more recently;
     * {@code keepStorage} (bytes, 0 for no limit) stops once what is left takes no more than that, oldest first.
     *
     * @return the ids of the records that went and the bytes freed: their files and the layers of the removed images
     */
    public CachePruneReport pruneCache(CachePruneOptions options) {
        Instant now = clock.instant();
        List<BuildCache.Stored> entries = cache.list();
        Map<Digest, Long> unique = new HashMap<>();
        ImageService.DiskUsage usage = imageService.diskUsage();
        for (ImageService.DiskUsage.ImageUsage u : usage.images()) {
            unique.put(u.image().id(), u.uniqueSize());
        }
        Map<String, Boolean> leftOver = new HashMap<>();
        java.util.function.Predicate<BuildCache.Stored> isLeftOver = e -> e.image().map(id -> leftOver.computeIfAbsent(
                id.toString(), k -> unique.containsKey(id) && leftOverStep(id))).orElse(false);
        java.util.function.Predicate<BuildCache.Stored> imageGone = e -> e.image().map(id -> !unique.containsKey(id))
                .orElse(true);
        java.util.function.ToLongFunction<BuildCache.Stored> size = e -> e.bytes()
                + (isLeftOver.test(e) ? unique.getOrDefault(e.image().orElseThrow(), 0L) : 0L);
        List<BuildCache.Stored> candidates = entries.stream()
                .filter(e -> options.all() || imageGone.test(e) || isLeftOver.test(e))
                .filter(e -> options.until() == null || e.created().isBefore(now.minus(options.until())))
                .sorted(java.util.Comparator.comparing(BuildCache.Stored::created))
                .toList();
        if (options.keepStorage() > 0) {
            long total = entries.stream().mapToLong(size).sum();
            List<BuildCache.Stored> chosen = new ArrayList<>();
            for (BuildCache.Stored e : candidates) {
                if (total <= options.keepStorage()) {
                    break;
                }
                chosen.add(e);
                total -= size.applyAsLong(e);
            }
            candidates = chosen;
        }
        long layersBefore = usage.layersSize();
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        List<Digest> toRemove = new ArrayList<>();
        for (BuildCache.Stored e : candidates) {
            if (isLeftOver.test(e)) {
                toRemove.add(e.image().orElseThrow());
            }
            if (cache.delete(e)) {
                deleted.add(e.id());
                reclaimed += e.bytes();
            }
        }
        java.util.Set<Digest> recorded = new java.util.HashSet<>();
        entries.forEach(e -> e.image().ifPresent(recorded::add));
        boolean removedAny = false;
        for (Digest id : toRemove.stream().distinct().toList()) {
            // the left-over step, then each parent the builder made that is left over once its child went
            for (Digest at = id; at != null; ) {
                Optional<Digest> parent = images.parent(at);
                try {
                    imageService.remove(at.toString(), false, true);
                    removedAny = true;
                } catch (EngineException.NotFound | EngineException.Conflict e) {
                    break; // gone meanwhile, or a container or a tag took it since the check: it stays
                }
                at = parent.filter(p -> recorded.contains(p) && images.get(p).isPresent() && leftOverStep(p)).orElse(null);
            }
        }
        if (removedAny) {
            // records of the parents that went with the removed images hold nothing any more: they go too
            for (BuildCache.Stored e : cache.list()) {
                if (e.image().map(id -> images.get(id).isEmpty()).orElse(false) && cache.delete(e)) {
                    deleted.add(e.id());
                    reclaimed += e.bytes();
                }
            }
            reclaimed += Math.max(0, layersBefore - imageService.diskUsage().layersSize());
        }
        cache.forgetResultsUnless(id -> images.get(id).isPresent());
        return new CachePruneReport(deleted, reclaimed);
    }

    /**
     * Whether {@code id} is a step image nothing but the cache holds: untagged, without children, used by no
     * container, not the result of a finished build and not made by a build under way.
     */
    private boolean leftOverStep(Digest id) {
        return images.tags(id).isEmpty() && !images.hasChildren(id) && containers.containersUsing(id) == 0
                && !cache.isResult(id) && running.stream().noneMatch(r -> r.madeImages.contains(id));
    }

    /**
     * What {@code docker builder prune} asks for.
     *
     * @param all         every record, not only those of removed images and left-over steps
     * @param until       only records older than this (null: any age)
     * @param keepStorage stop once the cache left takes at most this many bytes (0: no limit)
     */
    public record CachePruneOptions(boolean all, Duration until, long keepStorage) {
        public static final CachePruneOptions DANGLING = new CachePruneOptions(false, null, 0);
        public static final CachePruneOptions ALL = new CachePruneOptions(true, null, 0);
    }

    /** Docker's {@code BuildCachePruneReport}: the records that went and the bytes freed. */
    public record CachePruneReport(List<String> cachesDeleted, long spaceReclaimed) {
        public CachePruneReport {
            cachesDeleted = List.copyOf(cachesDeleted);
        }
    }

    /**
     * The image as a build step leaves it: {@code id} null (and no layers) for {@code scratch} before
     * its first step.
     */
    record State(Digest id, ImageConfig config, List<Descriptor> layers, long size) {
        List<String> env() {
            return config.config() == null || config.config().env() == null ? List.of() : config.config().env();
        }

        List<Digest> diffIds() {
            return config.rootfs() == null ? List.of() : config.rootfs().diffIds();
        }

        List<String> shell() {
            ImageConfig.Config c = config.config();
            return c == null || c.shell() == null || c.shell().isEmpty() ? DEFAULT_SHELL : c.shell();
        }

        Digest chain() {
            return diffIds().isEmpty() ? null : ChainIds.top(diffIds());
        }
    }

    /**
     * Why a build stopped at a step: its number, the instruction, and a RUN's exit code (null for other
     * failures). Carried as the cause of the {@link EngineException} a failed step throws.
     */
    public static final class StepFailure extends RuntimeException {
        private final int step;
        private final String instruction;
        private final String position;
        private final Integer exitCode;

        StepFailure(int step, String instruction, String position, Integer exitCode, String message) {
            super(message, null, false, false);
            this.step = step;
            this.instruction = instruction;
            this.position = position;
            this.exitCode = exitCode;
        }

        public int step() {
            return step;
        }

        public String instruction() {
            return instruction;
        }

        /** {@code file:line:column} of the instruction. */
        public String position() {
            return position;
        }

        public Integer exitCode() {
            return exitCode;
        }
    }

    /** One build in progress. */
    private final class Run {
        final BuildRequest request;
        final Consumer<BuildProgress> progress;
        final int total;
        final Dockerfile df;
        final List<BuildStep> steps = new ArrayList<>();
        final Thread thread = Thread.currentThread();
        /** The images of this build's steps so far (read by a prune on another thread). */
        final java.util.Set<Digest> madeImages = java.util.concurrent.ConcurrentHashMap.newKeySet();
        int number;
        /** Whether the stage being built has set CMD: a later ENTRYPOINT then keeps it (Docker's rule). */
        boolean cmdSetInStage;
        long started;
        List<String> output = new ArrayList<>();

        Run(BuildRequest request, Consumer<BuildProgress> progress, int total, Dockerfile df) {
            running.add(this); // until build() returns on this thread
            this.request = request;
            this.progress = progress;
            this.total = total;
            this.df = df;
        }

        private void start(String text) {
            number++;
            started = System.nanoTime();
            output = new ArrayList<>();
            progress.accept(new BuildProgress.StepStarted(number, total, text));
        }

        private void print(String line, boolean stderr) {
            output.add(line);
            progress.accept(new BuildProgress.Output(number, line, stderr));
        }

        private void done(String text, boolean cached, String reason, Digest image) {
            if (image != null) {
                madeImages.add(image);
            }
            BuildStep s = new BuildStep(number, text, cached, reason, image, Duration.ofNanos(System.nanoTime() - started), output);
            steps.add(s);
            progress.accept(new BuildProgress.StepDone(s));
        }

        void globalArg(Instruction.Arg a) {
            start(a.text());
            done(a.text(), false, BuildStep.NO_IMAGE, null);
        }

        State from(BuildScope scope, Stage stage, Map<Integer, State> built) throws InterruptedException {
            Instruction.From from = scope.from(stage);
            cmdSetInStage = false;
            start(stage.from().text());
            State state;
            Optional<Stage> earlier = df.earlierStage(stage, from.image());
            if (earlier.isPresent()) {
                state = built.get(earlier.get().index());
            } else if (from.scratch()) {
                Platform p = Platform.host();
                state = new State(null, new ImageConfig(null, null, p.architecture(), p.os(), null, null, p.variant(),
                        null, ImageConfig.RootFs.layers(List.of()), List.of()), List.of(), 0);
            } else {
                state = load(baseImage(from.image(), from.platform()));
            }
            done(stage.from().text(), false, BuildStep.BASE_IMAGE, state.id());
            return withDefaultPath(state);
        }

        /**
         * A stage whose base sets no PATH (scratch, for one) gets Docker's default in its config, which the images
         * of its steps keep, as dockerd 20.10 does when a stage begins (observed: {@code FROM scratch}, {@code COPY},
         * {@code CMD} gives an image whose Env is that PATH).
         */
        private static State withDefaultPath(State state) {
            ImageConfig p = state.config();
            ImageConfig.Config c = p.config();
            if (c != null && c.env() != null && c.env().stream().anyMatch(e -> e.startsWith("PATH="))) {
                return state;
            }
            List<String> env = new ArrayList<>(c == null || c.env() == null ? List.of() : c.env());
            env.add(DEFAULT_PATH);
            ImageConfig.Config withPath = c == null
                    ? new ImageConfig.Config(null, null, List.copyOf(env), null, null, null, null, null, null, null, null, null, null)
                    : new ImageConfig.Config(c.user(), c.exposedPorts(), List.copyOf(env), c.entrypoint(), c.cmd(), c.volumes(),
                            c.workingDir(), c.labels(), c.stopSignal(), c.argsEscaped(), c.healthcheck(), c.onBuild(), c.shell());
            return new State(state.id(), new ImageConfig(p.created(), p.author(), p.architecture(), p.os(), p.osVersion(),
                    p.osFeatures(), p.variant(), withPath, p.rootfs(), p.history()), state.layers(), state.size());
        }

        private ImageRecord baseImage(String name, String platform) throws InterruptedException {
            if (!request.pull()) {
                try {
                    return images.resolve(name);
                } catch (EngineException.NotFound e) {
                    // pulled below
                }
            }
            Reference ref = Reference.parse(name);
            ImageService.PullOptions options = new ImageService.PullOptions(
                    Optional.ofNullable(platform).map(Platform::parse), Optional.empty());
            // "<tag>: Pulling from <repo>" is shown once the pull goes on past it: a registry that cannot be reached
            // or has no such image leaves only the error, as with Docker (observed against dockerd 20.10)
            String[] held = {null};
            boolean[] going = {false};
            return imageService.pull(ref, options, p -> {
                if (p.phase() == ImageService.Phase.STATUS || p.phase() == ImageService.Phase.PULL_COMPLETE) {
                    String line = (p.id() == null || p.id().isEmpty() ? "" : p.id() + ": ") + (p.message() == null ? p.phase() : p.message());
                    if (!going[0] && held[0] == null && line.contains("Pulling from ")) {
                        held[0] = line;
                        return;
                    }
                    if (held[0] != null) {
                        print(held[0], false);
                        held[0] = null;
                    }
                    going[0] = true;
                    print(line, false);
                }
            });
        }

        /**
         * The build's {@code --label}s, after the target stage's last instruction: one {@code LABEL key=value} step
         * per label, sorted by key, each counted in the steps' total, as Docker's classic builder adds them
         * (observed against dockerd 20.10).
         */
        State labels(State state) throws InterruptedException {
            State out = state;
            for (Map.Entry<String, String> e : new TreeMap<>(request.labels()).entrySet()) {
                String text = "LABEL " + e.getKey() + "=" + e.getValue();
                Instruction.Label label = new Instruction.Label(new Position("--label", 0, 0), text,
                        List.of(new KeyValue(e.getKey(), e.getValue())));
                start(text);
                State parent = out;
                out = cachedOrMake(parent, text, label.toString().replace(label.position().toString(), ""), "",
                        () -> configStep(parent, label));
            }
            return out;
        }

        /**
         * The base image's ONBUILD triggers, run right after FROM as Docker does: each is reported as a step
         * of the FROM's number ({@code ONBUILD RUN ...}), and the stage's images no longer carry the triggers.
         */
        State onBuild(State state, StageScope ss, Stage stage, Map<Integer, State> built) throws InterruptedException {
            ImageConfig.Config c = state.config().config();
            if (c == null || c.onBuild() == null || c.onBuild().isEmpty()) {
                return state;
            }
            print("# Executing " + c.onBuild().size() + " build trigger" + (c.onBuild().size() == 1 ? "" : "s"), false);
            ImageConfig.Config cleared = new ImageConfig.Config(c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(),
                    c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.argsEscaped(), c.healthcheck(), null, c.shell());
            ImageConfig p = state.config();
            State out = new State(state.id(), new ImageConfig(p.created(), p.author(), p.architecture(), p.os(),
                    p.osVersion(), p.osFeatures(), p.variant(), cleared, p.rootfs(), p.history()), state.layers(), state.size());
            int from = number;
            for (String trigger : c.onBuild()) {
                Instruction t = DockerfileParser.parseInstruction(trigger, "ONBUILD trigger of " + state.id().shortId());
                number = from - 1; // a trigger is part of the FROM step
                out = step(out, ss, stage, t, built, "ONBUILD " + trigger);
            }
            number = from;
            return out;
        }

        State step(State state, StageScope ss, Stage stage, Instruction ins, Map<Integer, State> built)
                throws InterruptedException {
            return step(state, ss, stage, ins, built, ins.text());
        }

        private State step(State state, StageScope ss, Stage stage, Instruction ins, Map<Integer, State> built,
                           String shown) throws InterruptedException {
            start(shown);
            Instruction x = ss.apply(ins);
            String key = x.toString().replace(x.position().toString(), "");
            return switch (x) {
                case Instruction.Run r -> {
                    Map<String, String> args = ss.runArgs();
                    String extra = "run-args " + new TreeMap<>(args);
                    List<String> env = ss.runEnv();
                    yield cachedOrMake(state, shown, key, extra, () -> runStep(state, r, args, env));
                }
                case Instruction.Copy c -> {
                    Sources src = sources(c.from(), c.sources(), c.heredocs(), stage, built, c);
                    yield withSources(src, () -> cachedOrMake(state, shown, key, src.cacheKey(),
                            () -> copyStep(state, c.text(), src, c.destination(), c.chown(), c.chmod(), false)));
                }
                case Instruction.Add a -> {
                    Sources src = a.sources().stream().anyMatch(Builder::isUrl) ? downloads(a, stage, built)
                            : sources(null, a.sources(), a.heredocs(), stage, built, a);
                    yield withSources(src, () -> cachedOrMake(state, shown, key, src.cacheKey(),
                            () -> copyStep(state, a.text(), src, a.destination(), a.chown(), a.chmod(), true)));
                }
                case Instruction.Workdir w -> cachedOrMake(state, shown, key, "", () -> workdirStep(state, w));
                case Instruction.Cmd c -> {
                    State made = cachedOrMake(state, shown, key, "", () -> configStep(state, x));
                    cmdSetInStage = true;
                    yield made;
                }
                default -> cachedOrMake(state, shown, key, "", () -> configStep(state, x));
            };
        }

        /** Runs {@code body} and then releases the sources (a mounted stage or image), cache hit or not. */
        private State withSources(Sources src, StepBody body) throws InterruptedException {
            try {
                return body.make();
            } finally {
                src.close();
            }
        }

        private State cachedOrMake(State parent, String text, String instruction, String extra, StepBody body)
                throws InterruptedException {
            String key = BuildCache.key(parent.id(), instruction, extra);
            String reason = BuildStep.NO_CACHE_ASKED;
            if (!request.noCache()) {
                Optional<Digest> hit = cache.get(key);
                reason = BuildStep.NO_CACHE_ENTRY;
                if (hit.isPresent()) {
                    Optional<ImageRecord> rec = images.get(hit.get());
                    if (rec.isPresent() && content.exists(hit.get())) {
                        State s = load(rec.get());
                        done(text, true, null, s.id());
                        return s;
                    }
                    reason = BuildStep.CACHED_IMAGE_GONE;
                }
            }
            State made = body.make();
            cache.put(key, made.id(), clock.instant());
            done(text, false, reason, made.id());
            return made;
        }

        private State configStep(State state, Instruction x) {
            ImageConfig.Config base = state.config().config();
            ConfigChanges.Editor editor = new ConfigChanges.Editor(base);
            editor.apply(x);
            ImageConfig.Config config = editor.config();
            if (x instanceof Instruction.Entrypoint && cmdSetInStage && base != null) {
                // ENTRYPOINT clears the inherited CMD, never one this stage set (observed against dockerd 20.10)
                config = withCmd(config, base.cmd());
            }
            String author = x instanceof Instruction.Maintainer m ? m.name() : state.config().author();
            // the SHELL step is recorded under the new shell already, as dockerd 20.10 does
            List<String> shown = x instanceof Instruction.Shell sh ? sh.shell() : state.shell();
            String createdBy = String.join(" ", shown) + " #(nop)  " + HistoryText.of(x, state.shell());
            return commitImage(state, config, author, createdBy, null);
        }

        /**
         * WORKDIR as Docker's classic builder does it (observed against dockerd 20.10): the config's working
         * directory, and the directory itself made in the image (root-owned, 0755) as a layer when it is missing;
         * the history reads {@code #(nop) WORKDIR /the/absolute/path}.
         */
        private State workdirStep(State state, Instruction.Workdir w) {
            ConfigChanges.Editor editor = new ConfigChanges.Editor(state.config().config());
            editor.apply(w);
            ImageConfig.Config config = editor.config();
            String dir = config.workingDir();
            String createdBy = String.join(" ", state.shell()) + " #(nop) WORKDIR " + dir;
            ImageCommitter.LayerBlob layer = writeLayer(state, "make the directory of " + w.text(), root -> {
                try {
                    new RootfsWriter(root, 0, 0, null).directory(dir);
                } catch (EngineException.InvalidArgument notADirectory) {
                    throw failure(w, null, "cannot make the working directory " + dir + ": it or a parent of it is a file"
                            + " in the image, not a directory");
                }
            });
            return commitLayer(state, config, layer, createdBy);
        }

        /** What a step does to the image's files (mounted at {@code root}) to make its layer. */
        private interface FilesChange {
            void apply(Path root) throws IOException;
        }

        /**
         * Mounts a scratch snapshot on {@code state}'s layers, lets {@code change} write into it, and returns what
         * changed as a layer blob; the snapshot and its mount point go whatever happens.
         *
         * @param doing what the step does, for the error when the disk fails ("write the files of COPY ...")
         */
        private ImageCommitter.LayerBlob writeLayer(State state, String doing, FilesChange change) {
            String key = "build-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            Path mnt = scratch.resolve(key);
            Digest parentChain = state.chain();
            Mounts m = snapshots.prepare(key, parentChain == null ? null : parentChain.toString(),
                    Map.of(Snapshotter.TRANSIENT_LABEL, "build"));
            try {
                Files.createDirectories(mnt);
                Mounter.mount(m, mnt);
                try {
                    change.apply(mnt.toAbsolutePath().normalize());
                } finally {
                    Mounter.unmount(mnt);
                }
                return committer.writeLayer(m.lowerDirs(), m.upperDir().orElseThrow(), java.util.Set.of());
            } catch (IOException e) {
                throw new EngineException.Unavailable("step " + number + ": cannot " + doing + ": " + e.getMessage(), e);
            } finally {
                try {
                    Files.deleteIfExists(mnt);
                } catch (IOException ignored) {
                    // an empty directory under <root>/build/mnt; the next build reuses the parent
                }
                snapshots.remove(key);
            }
        }

        private static ImageConfig.Config withCmd(ImageConfig.Config c, List<String> cmd) {
            return new ImageConfig.Config(c.user(), c.exposedPorts(), c.env(), c.entrypoint(), cmd, c.volumes(),
                    c.workingDir(), c.labels(), c.stopSignal(), c.argsEscaped(), c.healthcheck(), c.onBuild(), c.shell());
        }

        private State runStep(State state, Instruction.Run r, Map<String, String> args, List<String> env)
                throws InterruptedException {
            if (state.id() == null) {
                throw failure(r, null, "RUN needs a base image with a shell; this stage starts FROM scratch and has no layer yet");
            }
            List<String> argv = r.heredocs().isEmpty() ? r.command().argv(state.shell()) : heredocArgv(r, state.shell());
            Container c = containers.create(CreateRequest.builder(state.id().toString()).cmd(argv).entrypoint(List.of())
                    .env(env.toArray(String[]::new)).networkMode(request.networkMode()).label("dev.berth.build.step", Integer.toString(number))
                    .build());
            boolean succeeded = false;
            boolean cancelled = false;
            try {
                progress.accept(new BuildProgress.ContainerCreated(number, c.id()));
                checkCancelled();
                containers.start(c.id());
                checkCancelled();
                StringBuilder[] partial = {new StringBuilder(), new StringBuilder()};
                containers.followLogs(c.id(), ContainerService.LogOptions.ALL, e -> {
                    int i = e.stream() == LogReader.Stream.STDERR ? 1 : 0;
                    String text = e.text();
                    if (e.partial()) {
                        partial[i].append(text);
                        return;
                    }
                    String line = partial[i] + (text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
                    partial[i].setLength(0);
                    print(line, i == 1);
                });
                for (int i = 0; i < 2; i++) {
                    if (!partial[i].isEmpty()) {
                        print(partial[i].toString(), i == 1);
                    }
                }
                int code = containers.wait(c.id(), ContainerService.WaitCondition.NOT_RUNNING, RUN_WAIT);
                if (code != 0) {
                    throw failure(r, code, "The command '" + String.join(" ", argv) + "' returned a non-zero code: " + code);
                }
                Mounts m = snapshots.mounts(c.snapshotKey());
                ImageCommitter.LayerBlob layer = committer.writeLayer(m.lowerDirs(), m.upperDir().orElseThrow(),
                        ContainerDiff.RUNTIME_MOUNT_TARGETS);
                String createdBy = (args.isEmpty() ? "" : "|" + args.size() + " " + args.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")) + " ")
                        + String.join(" ", argv);
                State made = commitLayer(state, layer, createdBy);
                succeeded = true;
                return made;
            } catch (InterruptedException e) {
                cancelled = true;
                throw e;
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted() || causedByInterrupt(e)) {
                    // the start or a wait saw the cancel and said so its own way: a cancel all the same
                    cancelled = true;
                    InterruptedException ie = new InterruptedException("build cancelled in step " + number);
                    ie.initCause(e);
                    throw ie;
                }
                throw e;
            } finally {
                if (cancelled || request.forceRm() || (succeeded && request.rm())) {
                    removeStepContainer(c);
                }
            }
        }

        /** Throws when the build was cancelled (the thread interrupted), clearing the interrupt. */
        private static void checkCancelled() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException("build cancelled");
            }
        }

        private static boolean causedByInterrupt(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InterruptedException) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Removes a step's container (force, with its anonymous volumes) and reports it. A pending cancel is set
         * aside meanwhile, so that the removal itself (which waits on the runtime) is not cut short and leaves no
         * created container behind; a removal failure is reported as output, never hiding the step's own outcome.
         */
        private void removeStepContainer(Container c) {
            boolean interrupted = Thread.interrupted();
            try {
                containers.remove(c.id(), true, true);
                progress.accept(new BuildProgress.ContainerRemoved(number, c.id()));
            } catch (RuntimeException e) {
                print("Error removing intermediate container " + c.shortId() + ": " + e.getMessage(), true);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /**
         * A RUN with heredocs, as BuildKit runs it: a command that is only {@code <<EOF} runs the document as
         * the script; otherwise the shell gets the command line followed by the documents and their
         * terminators, and handles the redirections (and, for unquoted markers, the expansion) itself.
         */
        private List<String> heredocArgv(Instruction.Run r, List<String> shell) {
            if (!r.command().shellForm()) {
                throw failure(r, null, "a heredoc needs the shell form of RUN");
            }
            String command = r.command().args().getFirst().strip();
            List<String> argv = new ArrayList<>(shell);
            if (r.heredocs().size() == 1 && command.matches("<<-?([\"']?)" + java.util.regex.Pattern.quote(
                    r.heredocs().getFirst().name()) + "\\1")) {
                argv.add(r.heredocs().getFirst().content());
                return argv;
            }
            StringBuilder script = new StringBuilder(command).append('\n');
            for (Heredoc h : r.heredocs()) {
                script.append(h.content()).append(h.name()).append('\n');
            }
            argv.add(script.toString());
            return argv;
        }

        private State copyStep(State state, String text, Sources src, String destination, String chown, String chmod,
                               boolean extract) {
            ImageCommitter.LayerBlob layer = writeLayer(state, "write the files of " + text,
                    root -> writeSources(state, root, src, destination, chown, chmod, extract));
            String what = text.strip().split("\\s+", 2)[0].toUpperCase(java.util.Locale.ROOT);
            String described;
            try {
                described = src.describe() != null ? src.describe() : contentDescription(src.entries());
            } catch (IOException e) {
                throw new EngineException.Unavailable("step " + number + ": cannot write the files of " + text + ": "
                        + e.getMessage(), e);
            }
            // Docker writes --chown right against the hash, with no space between (dockerd 20.10 and later)
            String owner = chown == null || chown.isEmpty() ? "" : "--chown=" + chown;
            String createdBy = String.join(" ", state.shell()) + " #(nop) " + what + " " + owner + described + " in "
                    + destination + " ";
            return commitLayer(state, layer, createdBy);
        }

        private void writeSources(State state, Path mnt, Sources src, String destination, String chown, String chmod,
                                  boolean extract) throws IOException {
            long uid = 0;
            long gid = 0;
            if (chown != null && !chown.isEmpty()) {
                UserResolver.ExecUser u = UserResolver.resolve(mnt, chown);
                uid = u.uid();
                gid = u.gid();
            }
            Integer mode = chmod == null ? null : Integer.parseInt(chmod, 8);
            RootfsWriter w = new RootfsWriter(mnt.toAbsolutePath().normalize(), uid, gid, mode);
            String workdir = state.config().config() == null || state.config().config().workingDir() == null
                    ? "/" : state.config().config().workingDir();
            String dest = destination.startsWith("/") ? destination : workdir + "/" + destination;
            boolean destIsDir = destination.endsWith("/") || destination.endsWith("/.") || destination.equals(".")
                    || destination.equals("..") || src.entries().size() > 1 || src.wildcard();
            for (SourceTree s : src.entries()) {
                if (s.directory()) {
                    for (ContextEntry e : s.walk()) {
                        if (e.relative().isEmpty()) {
                            w.directory(dest); // the contents are copied: an existing destination keeps its owner and mode
                        } else {
                            w.write(e, dest + "/" + e.relative());
                        }
                    }
                    continue;
                }
                ContextEntry file = s.walk().getFirst();
                if (extract && !s.remote() && file.type() == ContextEntry.Type.FILE && extractTar(file, w, dest)) {
                    continue;
                }
                String name = RootfsWriter.name(RootfsWriter.normalize(s.path()));
                String target = destIsDir || w.isDirectory(dest) ? dest + "/" + name : dest;
                if (destIsDir) {
                    w.directory(dest);
                }
                for (ContextEntry e : s.walk()) {
                    w.write(e, target);
                }
            }
            w.restoreDirectoryTimes();
        }

        /** ADD's local archive: a tar (plain, gzip, zstd) is unpacked into {@code dest}; false when the file is no tar. */
        private boolean extractTar(ContextEntry file, RootfsWriter w, String dest) throws IOException {
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(file.file(), LinkOption.NOFOLLOW_LINKS))) {
                Compression c;
                try {
                    c = Compression.detect(raw, file.path());
                } catch (EngineException.InvalidArgument e) {
                    return false; // bzip2 or xz: copied as a file
                }
                InputStream in = c.decompress(raw);
                TarArchiveInputStream probe = new TarArchiveInputStream(in);
                TarArchiveEntry first;
                try {
                    first = probe.getNextEntry();
                } catch (IOException | IllegalArgumentException e) {
                    return false;
                }
                if (first == null) {
                    return false;
                }
                w.directory(dest);
                for (TarArchiveEntry e = first; e != null; e = probe.getNextEntry()) {
                    String path = dest + "/" + RootfsWriter.normalize(e.getName());
                    FileTime mtime = FileTime.from(e.getModTime().toInstant());
                    if (e.isDirectory() && RootfsWriter.normalize(e.getName()).equals("/")) {
                        // the archive's root ("./"): the destination exists and keeps its own mode and time, as with
                        // Docker's untar (observed against dockerd 20.10)
                        continue;
                    } else if (e.isDirectory()) {
                        w.writeDirectory(path, e.getMode(), mtime);
                    } else if (e.isSymbolicLink()) {
                        w.writeLink(path, e.getLinkName(), mtime);
                    } else if (e.isLink()) {
                        if (climbs(e.getLinkName())) {
                            throw new EngineException.InvalidArgument("step " + number + ": " + file.path()
                                    + " holds the hard link " + e.getName() + " -> " + e.getLinkName()
                                    + ", which leads outside the archive");
                        }
                        try {
                            w.writeHardLink(path, dest + "/" + RootfsWriter.normalize(e.getLinkName()), dest);
                        } catch (EngineException.InvalidArgument bad) {
                            throw new EngineException.InvalidArgument("step " + number + ": " + file.path() + ": "
                                    + bad.getMessage(), bad);
                        }
                    } else if (e.isFile()) {
                        w.writeFile(path, probe, e.getMode(), mtime);
                    } else {
                        throw new EngineException.InvalidArgument("step " + number + ": " + file.path() + " holds "
                                + e.getName() + ", which ADD does not extract (only files, directories, symbolic and"
                                + " hard links)");
                    }
                }
                return true;
            }
        }

        /**
         * ADD with URL sources (and perhaps context files beside them): each URL is downloaded into a scratch
         * directory (see {@link RemoteSource}), checked against {@code --checksum}, and becomes a file source that
         * is never extracted; the cache key holds each download's content digest, so a changed file at the same
         * URL builds the step again and an unchanged one is a cache hit.
         */
        private Sources downloads(Instruction.Add a, Stage stage, Map<Integer, State> built) throws InterruptedException {
            Path dir = scratch.resolve("download-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
            List<String> locals = a.sources().stream().filter(n -> !isUrl(n)).toList();
            Sources local = locals.isEmpty() ? null : sources(null, locals, List.of(), stage, built, a);
            Runnable close = () -> {
                try {
                    dev.berth.engine.state.FileTrees.deleteTree(dir);
                } catch (IOException ignored) {
                    // a scratch directory under <root>/build/mnt is left; the next builder clears it
                } finally {
                    if (local != null) {
                        local.close();
                    }
                }
            };
            try {
                List<SourceTree> trees = new ArrayList<>(local == null ? List.of() : local.entries());
                StringBuilder key = new StringBuilder(local == null ? "" : local.cacheKey());
                List<String> described = new ArrayList<>();
                if (local != null) {
                    described.add(local.describe());
                }
                int i = 0;
                for (String url : a.sources()) {
                    if (!isUrl(url)) {
                        continue;
                    }
                    if (!url.startsWith("http://") && !url.startsWith("https://")) {
                        throw failure(a, null, "ADD from a git repository is not supported: " + url);
                    }
                    Path into = Files.createDirectories(dir.resolve(Integer.toString(i++)));
                    RemoteSource.Download d;
                    try {
                        d = remote().fetch(url, a.checksum(), into, clock.instant());
                    } catch (EngineException e) {
                        throw failure(a, null, e.getMessage());
                    }
                    String name = d.name();
                    if (name.isEmpty()) {
                        if (a.destination().endsWith("/") || a.sources().size() > 1) {
                            throw failure(a, null, "cannot determine a file name for " + url
                                    + ": name the destination file instead of a directory");
                        }
                        name = RootfsWriter.name(RootfsWriter.normalize(a.destination()));
                    }
                    ContextEntry e = new ContextEntry(name, "", ContextEntry.Type.FILE, 0600, 0, 0, d.size(), "",
                            d.mtime(), d.file());
                    trees.add(new SourceTree(name, false, () -> List.of(e), true)); // a download is never extracted
                    key.append("\nurl ").append(url).append(" name ").append(name).append(" content ").append(d.digest())
                            .append(d.lastModified() == null ? "" : " last-modified " + d.lastModified());
                    described.add(d.digest().encoded()); // a download is named by its hash alone (dockerd 20.10)
                }
                return new Sources(trees, false, key.toString(), String.join(" ", described), close);
            } catch (IOException e) {
                close.run();
                throw new EngineException.Unavailable("step " + number + ": cannot download the sources of " + a.text()
                        + ": " + e.getMessage(), e);
            } catch (RuntimeException | InterruptedException e) {
                close.run();
                throw e;
            }
        }

        /** The sources of a COPY/ADD: the context's, or an earlier stage's or an image's files. */
        private Sources sources(String from, List<String> names, List<Heredoc> heredocs, Stage stage,
                                Map<Integer, State> built, Instruction ins) throws InterruptedException {
            if (!heredocs.isEmpty()) {
                if (from != null) {
                    throw failure(ins, null, "COPY --from cannot take a heredoc");
                }
                return inline(names, heredocs, ins);
            }
            if (from == null) {
                BuildContext ctx = request.context();
                List<SourceTree> trees = new ArrayList<>();
                List<ContextSource> all = new ArrayList<>();
                boolean wildcard = false;
                for (String n : names) {
                    List<ContextSource> found;
                    try {
                        found = ctx.sources(n);
                    } catch (EngineException.NotFound e) {
                        // Docker's words (observed against dockerd 20.10): "COPY failed: file not found in build context..."
                        throw new EngineException.NotFound(ins.keyword() + " failed: " + e.getMessage());
                    }
                    wildcard |= n.chars().anyMatch(ch -> ch == '*' || ch == '?' || ch == '[');
                    all.addAll(found);
                    for (ContextSource s : found) {
                        trees.add(new SourceTree(s.path(), s.directory(), () -> {
                            List<ContextEntry> out = new ArrayList<>();
                            ctx.walk(s, out::add);
                            return out;
                        }));
                    }
                }
                String sum = ctx.checksum(all).toString();
                // Docker's words (observed against dockerd 20.10): file: for one file, dir: for one directory,
                // multi: for several sources (a list or a wildcard matching more than one)
                String kind = all.size() > 1 ? "multi:" : all.size() == 1 && !all.getFirst().directory() ? "file:" : "dir:";
                return new Sources(trees, wildcard, "context " + sum, kind + sum.substring("sha256:".length()), () -> { });
            }
            State image = df.earlierStage(stage, from).map(s -> built.get(s.index()))
                    .orElse(null);
            if (image == null) {
                if (df.findStage(from).isPresent()) {
                    throw failure(ins, null, "COPY --from=" + from + " names stage " + from
                            + ", which is not before this one");
                }
                try {
                    image = load(baseImage(from, null));
                } catch (EngineException e) {
                    // Docker's words (observed against dockerd 20.10): "invalid from flag value <name>: <why>"
                    throw failure(ins, null, "invalid from flag value " + from + ": " + e.getMessage());
                }
            }
            String key = "from-view-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            Path mnt = scratch.resolve(key);
            Digest chain = image.chain();
            Mounts m = snapshots.view(key, chain == null ? null : chain.toString(), Map.of(Snapshotter.TRANSIENT_LABEL, "build"));
            try {
                Files.createDirectories(mnt);
                Mounter.mount(m, mnt);
            } catch (IOException | RuntimeException e) {
                snapshots.remove(key);
                throw e instanceof IOException io ? new EngineException.Unavailable("cannot mount " + from + ": " + io.getMessage(), io)
                        : (RuntimeException) e;
            }
            Runnable close = () -> {
                try {
                    Mounter.unmount(mnt);
                    Files.deleteIfExists(mnt);
                } catch (IOException ignored) {
                    // an empty directory is left under <root>/build/mnt
                } finally {
                    snapshots.remove(key);
                }
            };
            try {
                Path root = mnt.toAbsolutePath().normalize();
                List<SourceTree> trees = new ArrayList<>();
                boolean wildcard = false;
                List<String> matched = new ArrayList<>();
                for (String n : names) {
                    List<String> paths = List.of(n);
                    if (BuildContext.hasWildcard(n)) {
                        wildcard = true;
                        try {
                            paths = globImage(root, n);
                        } catch (IOException e) {
                            throw new EngineException.Unavailable("step " + number + ": cannot read " + from + " to match "
                                    + n + ": " + e.getMessage(), e);
                        }
                        if (paths.isEmpty()) {
                            throw failure(ins, null, "COPY --from=" + from + ": no source files were specified: nothing in "
                                    + from + " matches " + n);
                        }
                    }
                    for (String path : paths) {
                        Path p = RootfsPath.resolve(root, path);
                        BasicFileAttributes a;
                        try {
                            a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        } catch (IOException e) {
                            throw failure(ins, null, "COPY --from=" + from + ": " + path + " does not exist in " + from);
                        }
                        trees.add(new SourceTree(path, a.isDirectory(), () -> walkImage(p)));
                        matched.add(path);
                    }
                }
                // the history text is worked out from the content only when the step runs (a cache hit needs none)
                return new Sources(trees, wildcard, "from " + image.id() + " " + names + (wildcard ? " matched " + matched : ""),
                        null, close);
            } catch (RuntimeException e) {
                close.run();
                throw e;
            }
        }

        /**
         * COPY/ADD {@code <<NAME}: each document becomes a file called NAME (0644), written to a scratch
         * directory that is deleted with the sources; context sources named beside them are refused.
         */
        private Sources inline(List<String> names, List<Heredoc> heredocs, Instruction ins) {
            if (!names.isEmpty()) {
                throw failure(ins, null, ins.keyword() + " mixes heredocs and context files; use one "
                        + ins.keyword() + " for each");
            }
            Path dir = scratch.resolve("heredoc-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
            Runnable close = () -> {
                try {
                    dev.berth.engine.state.FileTrees.deleteTree(dir);
                } catch (IOException ignored) {
                    // a small scratch directory under <root>/build/mnt is left
                }
            };
            try {
                Files.createDirectories(dir);
                List<SourceTree> trees = new ArrayList<>();
                for (Heredoc h : heredocs) {
                    if (h.name().contains("/") || h.name().equals("..") || h.name().equals(".")) {
                        throw failure(ins, null, "heredoc name " + h.name() + " cannot be a file name");
                    }
                    Path f = dir.resolve(h.name());
                    Files.writeString(f, h.content(), java.nio.charset.StandardCharsets.UTF_8);
                    FileTime now = FileTime.from(clock.instant());
                    ContextEntry e = new ContextEntry(h.name(), "", ContextEntry.Type.FILE, 0644, 0, 0,
                            Files.size(f), "", now, f);
                    trees.add(new SourceTree(h.name(), false, () -> List.of(e)));
                }
                return new Sources(trees, heredocs.size() > 1, "heredocs", "heredoc", close);
            } catch (IOException e) {
                close.run();
                throw new EngineException.Unavailable("step " + number + ": cannot write the heredocs of "
                        + ins.text() + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                close.run();
                throw e;
            }
        }

        private EngineException failure(Instruction ins, Integer code, String message) {
            String text = "step " + number + "/" + total + " (" + ins.position() + ": " + ins.text() + "): " + message;
            return new EngineException.FailedPrecondition(text,
                    new StepFailure(number, ins.text(), ins.position().toString(), code, message));
        }
    }

    /** The HTTP client of ADD's downloads, made on first use. */
    private synchronized RemoteSource remote() {
        if (remote == null) {
            remote = new RemoteSource();
        }
        return remote;
    }

    /**
     * The paths in a mounted image that match {@code pattern} (Go's {@code filepath.Match} per path component:
     * {@code *}, {@code ?}, {@code [...]}), in order; every directory is reached with links resolved inside
     * {@code root}.
     */
    private static List<String> globImage(Path root, String pattern) throws IOException {
        List<String> found = List.of("");
        for (String part : RootfsWriter.normalize(pattern).substring(1).split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            List<String> next = new ArrayList<>();
            if (!BuildContext.hasWildcard(part)) {
                for (String f : found) {
                    next.add(f + "/" + part);
                }
            } else {
                java.util.regex.Pattern re;
                try {
                    re = BuildContext.componentPattern(part);
                } catch (IllegalArgumentException malformed) {
                    throw new EngineException.InvalidArgument("syntax error in pattern " + part);
                }
                for (String f : found) {
                    Path dir = RootfsPath.resolve(root, f.isEmpty() ? "/" : f);
                    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    try (Stream<Path> children = Files.list(dir)) {
                        for (String name : children.map(c -> c.getFileName().toString()).sorted().toList()) {
                            if (re.matcher(name).matches()) {
                                next.add(f + "/" + name);
                            }
                        }
                    }
                }
            }
            found = next;
        }
        return found.stream().filter(f -> Files.exists(RootfsPath.resolve(root, f), LinkOption.NOFOLLOW_LINKS)).toList();
    }

    /** Files of a mounted image under {@code top}, as context entries (links never followed). */
    /**
     * How the history names what a COPY --from copied, in Docker's words (observed against dockerd 20.10):
     * {@code file:<sha256>} for one file, {@code dir:<sha256>} for one directory, {@code multi:<sha256>} for several,
     * the hash over the copied entries' names, types, modes, link targets and contents.
     */
    private static String contentDescription(List<SourceTree> trees) throws IOException {
        java.security.MessageDigest md = Digest.newSha256();
        byte[] buf = new byte[64 * 1024];
        for (SourceTree t : trees) {
            for (ContextEntry e : t.walk()) {
                String head = t.path() + "\0" + e.relative() + "\0" + e.type() + "\0" + Integer.toOctalString(e.mode())
                        + "\0" + e.linkTarget() + "\0";
                md.update(head.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (e.type() == ContextEntry.Type.FILE) {
                    try (InputStream in = Files.newInputStream(e.file(), LinkOption.NOFOLLOW_LINKS)) {
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            md.update(buf, 0, n);
                        }
                    }
                }
            }
        }
        String kind = trees.size() > 1 ? "multi:" : trees.size() == 1 && trees.getFirst().directory() ? "dir:" : "file:";
        return kind + Digest.of(md).encoded();
    }

    private static List<ContextEntry> walkImage(Path top) throws IOException {
        List<ContextEntry> out = new ArrayList<>();
        try (Stream<Path> all = Files.walk(top)) {
            for (Path p : (Iterable<Path>) all.sorted()::iterator) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String rel = top.relativize(p).toString();
                ContextEntry.Type type = a.isDirectory() ? ContextEntry.Type.DIRECTORY
                        : a.isSymbolicLink() ? ContextEntry.Type.SYMLINK
                        : a.isRegularFile() ? ContextEntry.Type.FILE : null;
                if (type == null) {
                    continue; // devices and FIFOs of an image are not copied
                }
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
                out.add(new ContextEntry(rel, rel, type, mode, 0, 0, a.isRegularFile() ? a.size() : 0,
                        a.isSymbolicLink() ? Files.readSymbolicLink(p).toString() : "", a.lastModifiedTime(), p));
            }
        }
        return out;
    }

    @FunctionalInterface
    private interface StepBody {
        State make() throws InterruptedException;
    }

    @FunctionalInterface
    private interface EntryLister {
        List<ContextEntry> list() throws IOException;
    }

    /** One source of a COPY: a file or directory and how to list its entries. */
    private record SourceTree(String path, boolean directory, EntryLister lister, boolean remote) {
        SourceTree(String path, boolean directory, EntryLister lister) {
            this(path, directory, lister, false);
        }

        List<ContextEntry> walk() throws IOException {
            return lister.list();
        }
    }

    /** The sources of one COPY/ADD, their cache key, the text the history shows, and what to release after. */
    private record Sources(List<SourceTree> entries, boolean wildcard, String cacheKey, String describe, Runnable closer,
                           java.util.concurrent.atomic.AtomicBoolean closed) {
        Sources(List<SourceTree> entries, boolean wildcard, String cacheKey, String describe, Runnable closer) {
            this(entries, wildcard, cacheKey, describe, closer, new java.util.concurrent.atomic.AtomicBoolean());
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                closer.run();
            }
        }
    }

    /** {@code -t name[:tag]}: checked before the build starts; no tag means {@code latest}. */
    private static Reference tag(String t) {
        Reference r = Reference.parse(t);
        if (r.digest() != null) {
            throw new EngineException.InvalidArgument("invalid tag \"" + t + "\": a build is tagged with name[:tag], not a digest");
        }
        return r.tag() == null ? r.withTag(Reference.DEFAULT_TAG) : r;
    }

    /** Whether an archive path climbs above the archive's root ({@code a/../../b}); a leading {@code /} is the root. */
    private static boolean climbs(String archivePath) {
        int depth = 0;
        for (String part : archivePath.split("/")) {
            if (part.equals("..")) {
                if (--depth < 0) {
                    return true;
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                depth++;
            }
        }
        return false;
    }

    private static boolean isUrl(String s) {
        return s.startsWith("http://") || s.startsWith("https://") || s.startsWith("git@");
    }

    /** The state of a stored image: its config, layer descriptors and size. */
    private State load(ImageRecord r) {
        ImageConfig config;
        try (InputStream in = content.open(r.id())) {
            config = Json.mapper().readValue(in, ImageConfig.class);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read the config of image " + r.id() + ": " + e.getMessage(), e);
        }
        List<Descriptor> layers;
        if (r.manifestDigest() != null && content.exists(r.manifestDigest())) {
            try (InputStream in = content.open(r.manifestDigest())) {
                layers = Json.mapper().readValue(in, ImageManifest.class).layers();
            } catch (IOException e) {
                throw new EngineException.Unavailable("cannot read the manifest of image " + r.id() + ": " + e.getMessage(), e);
            }
        } else {
            layers = r.layers().stream().map(d -> Descriptor.of(MediaTypes.OCI_LAYER_GZIP, d,
                    content.exists(d) ? content.info(d).size() : 0)).toList();
        }
        return new State(r.id(), config, layers, r.size());
    }

    /** The PATH Docker gives a stage whose base sets none. */
    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** The diff ID of a layer that changes nothing: an empty tar (two zero blocks). */
    static final Digest EMPTY_LAYER = Digest.sha256(new byte[1024]);

    /**
     * A step that adds a layer: its blob is unpacked on the parent's snapshot, then stored as an image. A layer
     * that changes nothing is left out, its history entry marked {@code empty_layer}, as Docker does (a RUN that
     * writes no file adds no layer; observed against dockerd 20.10).
     */
    private State commitLayer(State parent, ImageCommitter.LayerBlob layer, String createdBy) {
        return commitLayer(parent, parent.config().config(), layer, createdBy);
    }

    /** {@link #commitLayer(State, ImageCommitter.LayerBlob, String)} with the image's config set to {@code runConfig}. */
    private State commitLayer(State parent, ImageConfig.Config runConfig, ImageCommitter.LayerBlob layer, String createdBy) {
        if (layer.diffId().equals(EMPTY_LAYER)) {
            return commitImage(parent, runConfig, parent.config().author(), createdBy, null);
        }
        Digest parentChain = parent.chain();
        unpacker.unpack(parentChain, new Unpacker.Layer(layer.diffId(), layer.digest().toString(),
                () -> content.open(layer.digest())));
        List<Descriptor> layers = new ArrayList<>(parent.layers());
        layers.add(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, layer.digest(), layer.compressedSize()));
        List<Digest> diffIds = new ArrayList<>(parent.diffIds());
        diffIds.add(layer.diffId());
        State withLayer = new State(parent.id(), parent.config(), layers, parent.size() + layer.size());
        return commitImage(withLayer, runConfig, parent.config().author(), createdBy, diffIds);
    }

    /**
     * Stores the image after a step: config (parent's with {@code runConfig}, a history entry, the diff
     * IDs: {@code newDiffIds} for a layer step, the parent's for an empty-layer step), manifest, record.
     */
    private State commitImage(State parent, ImageConfig.Config runConfig, String author, String createdBy,
                              List<Digest> newDiffIds) {
        Instant now = clock.instant();
        String created = DateTimeFormatter.ISO_INSTANT.format(now);
        ImageConfig p = parent.config();
        List<ImageConfig.History> history = new ArrayList<>(p.history() == null ? List.of() : p.history());
        history.add(new ImageConfig.History(created, createdBy, null, null, newDiffIds == null ? Boolean.TRUE : null));
        List<Digest> diffIds = newDiffIds == null ? parent.diffIds() : newDiffIds;
        ImageConfig config = new ImageConfig(created, author, p.architecture(), p.os(), p.osVersion(), p.osFeatures(),
                p.variant(), runConfig, ImageConfig.RootFs.layers(diffIds), List.copyOf(history));
        byte[] configBytes = Json.toBytes(config);
        Digest configDigest = put(configBytes, "build-config");
        ImageManifest manifest = ImageManifest.of(MediaTypes.OCI_MANIFEST,
                Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length), parent.layers());
        Digest manifestDigest = put(Json.toBytes(manifest), "build-manifest");
        ImageRecord record = new ImageRecord(configDigest, manifestDigest, MediaTypes.OCI_MANIFEST,
                parent.layers().stream().map(Descriptor::digest).toList(), diffIds, parent.size(), now, now);
        images.put(record);
        if (parent.id() != null) {
            images.setParent(configDigest, parent.id());
        }
        return new State(configDigest, config, parent.layers(), parent.size());
    }

    private Digest put(byte[] bytes, String what) {
        Digest d = Digest.sha256(bytes);
        return content.put(what + "-" + d.encoded(), bytes, d);
    }
}
