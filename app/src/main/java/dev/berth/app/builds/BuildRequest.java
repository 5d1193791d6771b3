package dev.berth.app.builds;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to build: the context folder, the Dockerfile (a path relative to the context, default
 * {@code Dockerfile}), the tags to give the image ({@code name[:tag]}), build args in the order
 * given, the target stage ({@code null} or blank: the last stage), and {@code docker build}'s
 * {@code --no-cache} and {@code --pull}.
 */
public record BuildRequest(Path contextDir, String dockerfile, List<String> tags, Map<String, String> buildArgs,
                           String target, boolean noCache, boolean pull) {

    public static final String DEFAULT_DOCKERFILE = "Dockerfile";

    public BuildRequest {
        Objects.requireNonNull(contextDir, "contextDir");
        dockerfile = dockerfile == null || dockerfile.isBlank() ? DEFAULT_DOCKERFILE : dockerfile.strip();
        tags = tags == null ? List.of() : List.copyOf(tags);
        buildArgs = buildArgs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
        target = target == null ? "" : target.strip();
    }

    /** A plain build of {@code contextDir}/Dockerfile with the given tags. */
    public static BuildRequest of(Path contextDir, String... tags) {
        return new BuildRequest(contextDir, DEFAULT_DOCKERFILE, List.of(tags), Map.of(), "", false, false);
    }

    /** The Dockerfile on disk. */
    public Path dockerfilePath() {
        return contextDir.resolve(dockerfile);
    }

    /** True when a target stage was asked for. */
    public boolean hasTarget() {
        return !target.isEmpty();
    }
}
