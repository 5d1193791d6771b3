package dev.berth.engine.build;

import dev.berth.engine.build.context.BuildContext;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code docker build} asks for.
 *
 * @param context    the files COPY and ADD may read (its owner closes it)
 * @param dockerfile the Dockerfile's path in the context; null or empty for {@code Dockerfile}
 * @param tags       references to tag the result with ({@code name[:tag]}), applied when every step succeeded
 * @param buildArgs  {@code --build-arg NAME=VALUE}
 * @param target     the stage to stop at ({@code --target}); null or empty for the last stage
 * @param noCache    build every step again ({@code --no-cache})
 * @param pull       pull every base image even when it is present ({@code --pull})
 * @param labels     {@code --label}: added to the final image's config
 */
public record BuildRequest(BuildContext context, String dockerfile, List<String> tags, Map<String, String> buildArgs,
                           String target, boolean noCache, boolean pull, Map<String, String> labels) {

    public BuildRequest {
        Objects.requireNonNull(context, "context");
        tags = tags == null ? List.of() : List.copyOf(tags);
        buildArgs = buildArgs == null ? Map.of() : Map.copyOf(buildArgs);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** The context's {@code Dockerfile}, no tags, no args, cache on. */
    public static BuildRequest of(BuildContext context) {
        return new BuildRequest(context, null, List.of(), Map.of(), null, false, false, Map.of());
    }

    public BuildRequest withTags(String... t) {
        return new BuildRequest(context, dockerfile, List.of(t), buildArgs, target, noCache, pull, labels);
    }

    public BuildRequest withDockerfile(String name) {
        return new BuildRequest(context, name, tags, buildArgs, target, noCache, pull, labels);
    }

    public BuildRequest withBuildArgs(Map<String, String> args) {
        return new BuildRequest(context, dockerfile, tags, args, target, noCache, pull, labels);
    }

    public BuildRequest withTarget(String stage) {
        return new BuildRequest(context, dockerfile, tags, buildArgs, stage, noCache, pull, labels);
    }

    public BuildRequest withNoCache(boolean v) {
        return new BuildRequest(context, dockerfile, tags, buildArgs, target, v, pull, labels);
    }

    public BuildRequest withPull(boolean v) {
        return new BuildRequest(context, dockerfile, tags, buildArgs, target, noCache, v, labels);
    }

    public BuildRequest withLabels(Map<String, String> l) {
        return new BuildRequest(context, dockerfile, tags, buildArgs, target, noCache, pull, l);
    }
}
