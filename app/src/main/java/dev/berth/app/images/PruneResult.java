package dev.berth.app.images;

import java.util.List;

/** What {@code docker image prune} removed and how many bytes that freed. */
public record PruneResult(List<RemovedImage> removed, long spaceReclaimed) {

    public PruneResult {
        removed = removed == null ? List.of() : List.copyOf(removed);
    }

    /** Images deleted (not just untagged). */
    public long deletedCount() {
        return removed.stream().filter(r -> !r.deleted().isEmpty()).count();
    }
}
