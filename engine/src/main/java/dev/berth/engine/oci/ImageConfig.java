package dev.berth.engine.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * The image configuration blob (OCI {@code application/vnd.oci.image.config.v1+json}, Docker
 * {@code application/vnd.docker.container.image.v1+json}), with the exact JSON names both use.
 * Fields Docker writes that the spec does not (container, docker_version, ...) are ignored when
 * read; the blob's own bytes stay the source of truth for its digest.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageConfig(
        @JsonProperty("created") String created,
        @JsonProperty("author") String author,
        @JsonProperty("architecture") String architecture,
        @JsonProperty("os") String os,
        @JsonProperty("os.version") String osVersion,
        @JsonProperty("os.features") List<String> osFeatures,
        @JsonProperty("variant") String variant,
        @JsonProperty("config") Config config,
        @JsonProperty("rootfs") RootFs rootfs,
        @JsonProperty("history") List<History> history) {

    /** The platform this config says the image is for. */
    public Platform platform() {
        return new Platform(architecture, os, osVersion, osFeatures, variant);
    }

    /** How to run a container from the image (Docker's capitalised names). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Config(
            @JsonProperty("User") String user,
            @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
            @JsonProperty("Env") List<String> env,
            @JsonProperty("Entrypoint") List<String> entrypoint,
            @JsonProperty("Cmd") List<String> cmd,
            @JsonProperty("Volumes") Map<String, Object> volumes,
            @JsonProperty("WorkingDir") String workingDir,
            @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("StopSignal") String stopSignal,
            @JsonProperty("ArgsEscaped") Boolean argsEscaped,
            @JsonProperty("Healthcheck") Healthcheck healthcheck,
            @JsonProperty("OnBuild") List<String> onBuild,
            @JsonProperty("Shell") List<String> shell) {
    }

    /** Docker's HEALTHCHECK; durations are in nanoseconds as Docker writes them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Healthcheck(
            @JsonProperty("Test") List<String> test,
            @JsonProperty("Interval") Long interval,
            @JsonProperty("Timeout") Long timeout,
            @JsonProperty("StartPeriod") Long startPeriod,
            @JsonProperty("StartInterval") Long startInterval,
            @JsonProperty("Retries") Integer retries) {
    }

    /** The layers' uncompressed digests (diff IDs), bottom first. */
    public record RootFs(
            @JsonProperty("type") String type,
            @JsonProperty("diff_ids") List<Digest> diffIds) {

        public RootFs {
            diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
        }

        public static RootFs layers(List<Digest> diffIds) {
            return new RootFs("layers", diffIds);
        }
    }

    /** One build step; {@code empty_layer} steps (ENV, CMD, ...) have no layer in rootfs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record History(
            @JsonProperty("created") String created,
            @JsonProperty("created_by") String createdBy,
            @JsonProperty("author") String author,
            @JsonProperty("comment") String comment,
            @JsonProperty("empty_layer") Boolean emptyLayer) {

        public boolean isEmptyLayer() {
            return Boolean.TRUE.equals(emptyLayer);
        }
    }
}
