package dev.berth.engine.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * An image manifest: OCI ({@code application/vnd.oci.image.manifest.v1+json}) or Docker v2
 * schema 2 ({@code application/vnd.docker.distribution.manifest.v2+json}); both share this shape.
 * Its digest is the digest of the exact bytes it was read from (see {@link Manifest}), never of
 * a re-serialization.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ImageManifest(
        @JsonProperty("schemaVersion") @JsonInclude(JsonInclude.Include.ALWAYS) int schemaVersion,
        @JsonProperty("mediaType") String mediaType,
        @JsonProperty("artifactType") String artifactType,
        @JsonProperty("config") Descriptor config,
        @JsonProperty("layers") @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> layers,
        @JsonProperty("subject") Descriptor subject,
        @JsonProperty("annotations") Map<String, String> annotations) {

    public ImageManifest {
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    public static ImageManifest of(String mediaType, Descriptor config, List<Descriptor> layers) {
        return new ImageManifest(2, mediaType, null, config, layers, null, null);
    }
}
