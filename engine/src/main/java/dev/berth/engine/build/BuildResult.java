package dev.berth.engine.build;

import dev.berth.engine.image.Reference;
import dev.berth.engine.oci.Digest;

import java.util.List;

/** A finished build: the image of the target stage, the tags applied to it, and every step in order. */
public record BuildResult(Digest imageId, List<Reference> tags, List<BuildStep> steps) {

    public BuildResult {
        tags = List.copyOf(tags);
        steps = List.copyOf(steps);
    }

    /** Whether every step that makes an image of its own (not FROM, not a global ARG) was served from the cache. */
    public boolean fullyCached() {
        return steps.stream().allMatch(s -> s.cached() || BuildStep.NO_IMAGE.equals(s.reason())
                || BuildStep.BASE_IMAGE.equals(s.reason()));
    }
}
