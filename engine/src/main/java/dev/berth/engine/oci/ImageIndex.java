package dev.berth.engine.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * An image index (OCI) or manifest list (Docker): one manifest per platform, plus possibly
 * attestation entries that are not images.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ImageIndex(
        @JsonProperty("schemaVersion") @JsonInclude(JsonInclude.Include.ALWAYS) int schemaVersion,
        @JsonProperty("mediaType") String mediaType,
        @JsonProperty("artifactType") String artifactType,
        @JsonProperty("manifests") @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> manifests,
        @JsonProperty("subject") Descriptor subject,
        @JsonProperty("annotations") Map<String, String> annotations) {

    public ImageIndex {
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
    }

    public static ImageIndex of(String mediaType, List<Descriptor> manifests) {
        return new ImageIndex(2, mediaType, null, manifests, null, null);
    }
}
