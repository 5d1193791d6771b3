package dev.berth.engine.api.build;

import dev.berth.engine.build.BuildProgress;
import dev.berth.engine.build.BuildRequest;
import dev.berth.engine.build.BuildResult;
import dev.berth.engine.build.Builder;
import dev.berth.engine.build.context.BuildContext;
import dev.berth.engine.errors.EngineException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** What the build routes need of the engine. */
public interface BuildBackend {

    /** Extracts an uploaded context tar (plain or compressed) into a fresh directory the context owns. */
    BuildContext context(InputStream tar);

    /** Runs the build, reporting on the calling thread. */
    BuildResult build(BuildRequest request, Consumer<BuildProgress> progress) throws InterruptedException;

    /** {@code docker builder prune}: see {@link Builder#pruneCache}. */
    Builder.CachePruneReport pruneCache(Builder.CachePruneOptions options);

    /**
     * {@code builder}, with each uploaded context extracted into a new directory under {@code tmp} (the
     * engine's {@code <root>/tmp}, which only the engine writes).
     */
    static BuildBackend of(Builder builder, Path tmp) {
        return new BuildBackend() {
            @Override
            public BuildContext context(InputStream tar) {
                Path dir;
                try {
                    Files.createDirectories(tmp);
                    dir = Files.createTempDirectory(tmp, "build-context-");
                } catch (IOException e) {
                    throw new EngineException.Unavailable("cannot make a directory for the build context under " + tmp
                            + ": " + e.getMessage(), e);
                }
                try {
                    return BuildContext.fromTar(tar, dir);
                } catch (RuntimeException e) {
                    try {
                        dev.berth.engine.state.FileTrees.deleteTree(dir);
                    } catch (IOException | RuntimeException cleanup) {
                        e.addSuppressed(cleanup);
                    }
                    throw e;
                }
            }

            @Override
            public BuildResult build(BuildRequest request, Consumer<BuildProgress> progress) throws InterruptedException {
                return builder.build(request, progress);
            }

            @Override
            public Builder.CachePruneReport pruneCache(Builder.CachePruneOptions options) {
                return builder.pruneCache(options);
            }
        };
    }
}
