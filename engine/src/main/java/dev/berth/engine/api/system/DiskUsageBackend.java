package dev.berth.engine.api.system;

import dev.berth.engine.image.ImageService;

import java.util.List;

/** What {@code GET /system/df} needs from the engine. */
public interface DiskUsageBackend {

    /** Bytes used by images, each image's share of them, and the containers using each. */
    ImageService.DiskUsage imageDiskUsage();

    /** Every image's summary (for its digests and labels). */
    List<ImageService.ImageSummary> images();
}
