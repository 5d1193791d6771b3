package dev.berth.engine.build;

import dev.berth.engine.build.context.BuildContext;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code docker build} asks for.
 *
 * @param context     the files COPY and ADD may read (its owner closes it)
 * @param dockerfile  the Dockerfile's path in the context; null or empty for {@code Dockerfile}
 * @param tags        references to tag the result with ({@code name[:tag]}), applied when every step succeeded
 * @param buildArgs   {@code --build-arg NAME=VALUE}
 * @param target      the stage to stop at ({@code --target}); null or empty for the last stage
 * @param noCache     build every step again ({@code --no-cache})
 * @param pull        pull every base image even when it is present ({@code --pull})
 * @param labels      {@code --label}: added to the final image's config
 * @param rm          remove a RUN step's container after the step succeeded ({@code --rm}, Docker's default)
 * @param forceRm     remove a RUN step's container whatever happened ({@code --force-rm}); a cancelled build
 *                    always removes its container
 * @param networkMode the network of RUN containers ({@code --network}): null, empty or {@code default} for the
 *                    default bridge, {@code none}, {@code host}, or a network's name or id
 */
public record BuildRequest(BuildContext context, String dockerfile, List<String> tags, Map<String, String> buildArgs,
                           String target, boolean noCache, boolean pull, Map<String, String> labels,
                           boolean rm, boolean forceRm, String networkMode) {

    public BuildRequest {
        Objects.requireNonNull(context, "context");
        tags = tags == null ? List.of() : List.copyOf(tags);
        buildArgs = buildArgs == null ? Map.of() : Map.copyOf(buildArgs);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        networkMode = networkMode == null || networkMode.isBlank() ? "default" : networkMode.strip();
    }

    /**
     * A request that leaves no step container behind, succeeded or not ({@code rm} and {@code forceRm}), with RUN
     * on the default bridge.
     */
    public BuildRequest(BuildContext context, String dockerfile, List<String> tags, Map<String, String> buildArgs,
                        String target, boolean noCache, boolean pull, Map<String, String> labels) {
        this(context, dockerfile, tags, buildArgs, target, noCache, pull, labels, true, true, null);
    }

    /** The context's {@code Dockerfile}, no tags, no args, cache on, no step container left behind. */
    public static BuildRequest of(BuildContext context) {
        return new BuildRequest(context, null, List.of(), Map.of(), null, false, false, Map.of());
    }

    public BuildRequest withTags(String... t) {
        return new BuildRequest(context, dockerfile, List.of(t), buildArgs, target, noCache, pull, labels, rm, forceRm, networkMode);
    }

    public BuildRequest withDockerfile(String name) {
        return new BuildRequest(context, name, tags, buildArgs, target, noCache, pull, labels, rm, forceRm, networkMode);
    }

    public BuildRequest withBuildArgs(Map<String, String> args) {
        return new BuildRequest(context, dockerfile, tags, args, target, noCache, pull, labels, rm, forceRm, networkMode);
    }

    public BuildRequest withTarget(String stage) {
        return new BuildRequest(context, dockerfile, tags, buildArgs, stage, noCache, pull, labels, rm, forceRm, networkMode);
    }

    public BuildRequest withNoCache(boolean v) {
        return new BuildRequest(context, dockerfile, tags, buildArgs, target, v, pull, labels, rm, forceRm, networkMode);
    }

    public BuildRequest withPull(boolean v) {
        return new BuildRequest(context, dockerfile, tags, buildArgs, target, noCache, v, labels, rm, forceRm, networkMode);
    }

    public BuildRequest withLabels(Map<String, String> l) {
        return new BuildRequest(context, dockerfile, tags, buildArgs, target, noCache, pull, l, rm, forceRm, networkMode);
    }

    /** {@code --rm} and {@code --force-rm}. */
    public BuildRequest withRemoval(boolean remove, boolean forceRemove) {
        return new BuildRequest(context, dockerfile, tags, buildArgs, target, noCache, pull, labels, remove, forceRemove,
                networkMode);
    }

    /** {@code --network}. */
    public BuildRequest withNetworkMode(String mode) {
        return new BuildRequest(context, dockerfile, tags, buildArgs, target, noCache, pull, labels, rm, forceRm, mode);
    }
}
