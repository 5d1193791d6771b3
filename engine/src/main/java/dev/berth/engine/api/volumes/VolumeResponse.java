package dev.berth.engine.api.volumes;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.berth.engine.volume.Volume;

import java.util.Map;

/**
 * Docker's {@code Volume} object. {@code UsageData} is present only where Docker gives it
 * ({@code /system/df}); elsewhere it is left out.
 */
@JsonPropertyOrder({"CreatedAt", "Driver", "Labels", "Mountpoint", "Name", "Options", "Scope", "UsageData"})
public record VolumeResponse(@JsonProperty("CreatedAt") String createdAt,
                             @JsonProperty("Driver") String driver,
                             @JsonProperty("Labels") Map<String, String> labels,
                             @JsonProperty("Mountpoint") String mountpoint,
                             @JsonProperty("Name") String name,
                             @JsonProperty("Options") Map<String, String> options,
                             @JsonProperty("Scope") String scope,
                             @JsonInclude(JsonInclude.Include.NON_NULL)
                             @JsonProperty("UsageData") Usage usageData) {

    /** Size in bytes and how many containers use the volume. */
    public record Usage(@JsonProperty("Size") long size, @JsonProperty("RefCount") long refCount) {}

    public static VolumeResponse of(Volume v) {
        return new VolumeResponse(v.createdAt(), v.driver(), v.labels(), v.mountpoint().toString(), v.name(),
                v.options(), v.scope(), v.usageData() == null ? null
                : new Usage(v.usageData().size(), v.usageData().refCount()));
    }
}
