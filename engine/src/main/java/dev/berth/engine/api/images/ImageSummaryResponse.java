package dev.berth.engine.api.images;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.image.Reference;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code GET /images/json} and of {@code /system/df}: Docker's {@code ImageSummary}.
 * {@code SharedSize} and {@code Containers} are {@code -1} unless the request asked for them
 * (as Docker computes them only then); {@code VirtualSize} is only sent to clients older than
 * API 1.44, which removed it.
 */
@JsonPropertyOrder({"Id", "ParentId", "RepoTags", "RepoDigests", "Created", "Size", "SharedSize", "VirtualSize",
        "Labels", "Containers"})
public record ImageSummaryResponse(
        @JsonProperty("Id") String id,
        @JsonProperty("ParentId") String parentId,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("RepoDigests") List<String> repoDigests,
        @JsonProperty("Created") long created,
        @JsonProperty("Size") long size,
        @JsonProperty("SharedSize") long sharedSize,
        @JsonProperty("VirtualSize") Long virtualSize,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("Containers") long containers) {

    /** Docker's "not computed" value for {@code SharedSize} and {@code Containers}. */
    public static final long NOT_COMPUTED = -1;

    /**
     * @param withSharedSize  send the shared size ({@code shared-size=1}, or {@code /system/df})
     * @param withContainers  send how many containers use the image ({@code /system/df})
     * @param withVirtualSize send {@code VirtualSize} (clients older than API 1.44)
     */
    public static ImageSummaryResponse of(ImageService.ImageSummary s, boolean withSharedSize, boolean withContainers,
                                          boolean withVirtualSize) {
        ImageRecord image = s.image();
        return new ImageSummaryResponse(
                image.id().toString(), s.parent() == null ? "" : s.parent().toString(),
                familiar(s.tags()), familiar(s.digests()),
                unixSeconds(image.created()), image.size(),
                withSharedSize ? s.sharedSize() : NOT_COMPUTED,
                withVirtualSize ? image.size() : null,
                s.labels() == null ? Map.of() : s.labels(),
                withContainers ? s.containers() : NOT_COMPUTED);
    }

    /**
     * A row of {@code /system/df}: the image's usage (size, shared size, containers), with its
     * digests and labels from its {@code summary} when there is one.
     */
    public static ImageSummaryResponse of(ImageService.DiskUsage.ImageUsage u, ImageService.ImageSummary summary) {
        ImageRecord image = u.image();
        return new ImageSummaryResponse(
                image.id().toString(), "",
                familiar(u.tags()), summary == null ? List.of() : familiar(summary.digests()),
                unixSeconds(image.created()), u.size(), u.sharedSize(), null,
                summary == null || summary.labels() == null ? Map.of() : summary.labels(),
                u.containers());
    }

    /** References as Docker shows them: {@code busybox:latest}, {@code 127.0.0.1:5000/a/b@sha256:...}. */
    static List<String> familiar(List<Reference> refs) {
        return refs == null ? List.of() : refs.stream().map(Reference::familiar).toList();
    }

    static long unixSeconds(Instant t) {
        return t == null ? 0 : t.getEpochSecond();
    }
}
