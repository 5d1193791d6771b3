package dev.berth.app.images;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One image in the engine's cache, as {@code docker images} lists it.
 *
 * @param id          the full image id ({@code sha256:...})
 * @param repoTags    its tags in Docker's short form ({@code busybox:latest}); empty for a dangling image
 * @param repoDigests {@code repo@sha256:...} references it was pulled or pushed as
 * @param created     when the image was built, or null when its config does not say
 * @param size        bytes of all its layers unpacked
 * @param containers  containers using it, or -1 when the engine does not count them
 */
public record ImageSummary(String id, List<String> repoTags, List<String> repoDigests, Instant created, long size,
                           int containers) {

    public ImageSummary {
        Objects.requireNonNull(id, "id");
        repoTags = repoTags == null ? List.of() : repoTags.stream().filter(t -> !t.equals("<none>:<none>")).toList();
        repoDigests = repoDigests == null ? List.of() : repoDigests.stream().filter(t -> !t.equals("<none>@<none>")).toList();
    }

    /** An image no tag points at. */
    public boolean dangling() {
        return repoTags.isEmpty();
    }

    /** The id as Docker shows it: 12 hex characters without the algorithm. */
    public String shortId() {
        return shortId(id);
    }

    public static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring("sha256:".length()) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
