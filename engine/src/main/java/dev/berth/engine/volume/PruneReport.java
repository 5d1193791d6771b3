package dev.berth.engine.volume;

import java.util.List;

/** What {@code POST /volumes/prune} reports: the names removed and the bytes they held. */
public record PruneReport(List<String> volumesDeleted, long spaceReclaimed) {
    public PruneReport {
        volumesDeleted = List.copyOf(volumesDeleted);
    }
}
