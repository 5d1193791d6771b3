package dev.berth.engine.api.system;

import dev.berth.engine.image.ImageService;
import dev.berth.engine.volume.Volume;

import java.util.List;

/** What {@code GET /system/df} needs from the engine. */
public interface DiskUsageBackend {

    /** Bytes used by images, each image's share of them, and the containers using each. */
    ImageService.DiskUsage imageDiskUsage();

    /** Every image's summary (for its digests and labels). */
    List<ImageService.ImageSummary> images();

    /** Every volume with its size and the number of containers using it. */
    List<Volume> volumes();
}
