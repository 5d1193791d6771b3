package dev.berth.engine.api.system;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.berth.engine.api.images.ImageSummaryResponse;
import dev.berth.engine.api.volumes.VolumeResponse;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.volume.Volume;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /system/df}: Docker's {@code DiskUsage}. Images carry their shared size and
 * container count; volumes their size and reference count. Berth has no build cache, and
 * containers are not listed here yet, so those lists are empty; a part not asked for with
 * {@code type} is left out, as Docker does.
 */
@JsonPropertyOrder({"LayersSize", "Images", "Containers", "Volumes", "BuildCache"})
public record DiskUsageResponse(
        @JsonProperty("LayersSize") Long layersSize,
        @JsonProperty("Images") List<ImageSummaryResponse> images,
        @JsonProperty("Containers") List<Object> containers,
        @JsonProperty("Volumes") List<VolumeResponse> volumes,
        @JsonProperty("BuildCache") List<Object> buildCache) {

    /** Without volumes (an empty list where asked for). */
    public static DiskUsageResponse of(ImageService.DiskUsage usage, List<ImageService.ImageSummary> summaries,
                                       boolean images, boolean containers, boolean volumes, boolean buildCache) {
        return of(usage, summaries, List.of(), images, containers, volumes, buildCache);
    }

    public static DiskUsageResponse of(ImageService.DiskUsage usage, List<ImageService.ImageSummary> summaries,
                                       List<Volume> volumeList,
                                       boolean images, boolean containers, boolean volumes, boolean buildCache) {
        Map<Digest, ImageService.ImageSummary> byId = new HashMap<>();
        for (ImageService.ImageSummary s : summaries) {
            byId.put(s.image().id(), s);
        }
        return new DiskUsageResponse(
                images ? usage.layersSize() : null,
                images ? usage.images().stream().map(u -> ImageSummaryResponse.of(u, byId.get(u.image().id()))).toList() : null,
                containers ? List.of() : null,
                volumes ? volumeList.stream().map(VolumeResponse::of).toList() : null,
                buildCache ? List.of() : null);
    }
}
