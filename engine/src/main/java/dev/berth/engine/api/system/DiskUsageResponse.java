package dev.berth.engine.api.system;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.berth.engine.api.images.ImageSummaryResponse;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.oci.Digest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /system/df}: Docker's {@code DiskUsage}. Images carry their shared size and
 * container count. Berth has no containers, volumes or build cache yet, so those lists are
 * empty; a part not asked for with {@code type} is left out, as Docker does.
 */
@JsonPropertyOrder({"LayersSize", "Images", "Containers", "Volumes", "BuildCache"})
public record DiskUsageResponse(
        @JsonProperty("LayersSize") Long layersSize,
        @JsonProperty("Images") List<ImageSummaryResponse> images,
        @JsonProperty("Containers") List<Object> containers,
        @JsonProperty("Volumes") List<Object> volumes,
        @JsonProperty("BuildCache") List<Object> buildCache) {

    public static DiskUsageResponse of(ImageService.DiskUsage usage, List<ImageService.ImageSummary> summaries,
                                       boolean images, boolean containers, boolean volumes, boolean buildCache) {
        Map<Digest, ImageService.ImageSummary> byId = new HashMap<>();
        for (ImageService.ImageSummary s : summaries) {
            byId.put(s.image().id(), s);
        }
        return new DiskUsageResponse(
                images ? usage.layersSize() : null,
                images ? usage.images().stream().map(u -> ImageSummaryResponse.of(u, byId.get(u.image().id()))).toList() : null,
                containers ? List.of() : null,
                volumes ? List.of() : null,
                buildCache ? List.of() : null);
    }
}
