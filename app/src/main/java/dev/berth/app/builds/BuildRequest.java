package dev.berth.app.builds;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One {@code docker build}: the context folder, the Dockerfile relative to it (default
 * {@code Dockerfile}), tags, build args, the target stage (null: the last one), no-cache and pull.
 */
public record BuildRequest(Path contextDir, String dockerfile, List<String> tags, Map<String, String> buildArgs,
                           String target, boolean noCache, boolean pull) {}
