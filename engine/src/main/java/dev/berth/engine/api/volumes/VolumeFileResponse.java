package dev.berth.engine.api.volumes;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.volume.VolumeFile;

/**
 * One entry of {@code GET /volumes/{name}/files} (a Berth extension).
 *
 * @param type     {@code directory}, {@code file}, {@code symlink} or {@code other}
 * @param mode     permission bits as a number (420 is 0644)
 * @param modified RFC 3339
 */
public record VolumeFileResponse(@JsonProperty("Name") String name,
                                 @JsonProperty("Type") String type,
                                 @JsonProperty("Size") long size,
                                 @JsonProperty("Mode") int mode,
                                 @JsonProperty("Modified") String modified) {

    public static VolumeFileResponse of(VolumeFile f) {
        return new VolumeFileResponse(f.name(), f.type(), f.size(), f.mode(), f.modified().toString());
    }
}
