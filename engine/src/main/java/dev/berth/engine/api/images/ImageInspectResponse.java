package dev.berth.engine.api.images;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.ImageConfig;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /images/{name}/json}: Docker's {@code ImageInspect} as of API 1.47. {@code Container}
 * and {@code ContainerConfig} (gone since 1.45) and {@code VirtualSize} (gone since 1.44) are not
 * sent. {@code GraphDriver} names Berth's overlayfs snapshotter and the image's layer chain IDs
 * (bottom first, the keys of its snapshots), since an image's layers are shared snapshots
 * rather than directories of its own.
 */
@JsonPropertyOrder({"Id", "RepoTags", "RepoDigests", "Parent", "Comment", "Created", "DockerVersion", "Author",
        "Config", "Architecture", "Variant", "Os", "OsVersion", "Size", "GraphDriver", "RootFS", "Metadata"})
public record ImageInspectResponse(
        @JsonProperty("Id") String id,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("RepoDigests") List<String> repoDigests,
        @JsonProperty("Parent") String parent,
        @JsonProperty("Comment") String comment,
        @JsonProperty("Created") String created,
        @JsonProperty("DockerVersion") String dockerVersion,
        @JsonProperty("Author") String author,
        @JsonProperty("Config") ContainerConfig config,
        @JsonProperty("Architecture") String architecture,
        @JsonProperty("Variant") String variant,
        @JsonProperty("Os") String os,
        @JsonProperty("OsVersion") String osVersion,
        @JsonProperty("Size") long size,
        @JsonProperty("GraphDriver") GraphDriver graphDriver,
        @JsonProperty("RootFS") RootFs rootFs,
        @JsonProperty("Metadata") Metadata metadata) {

    /** The storage driver name, as {@code docker info} also reports it. */
    public static final String DRIVER = "overlayfs";

    public record GraphDriver(@JsonProperty("Name") String name, @JsonProperty("Data") Map<String, String> data) {}

    @JsonPropertyOrder({"Type", "Layers"})
    public record RootFs(@JsonProperty("Type") String type, @JsonProperty("Layers") List<String> layers) {}

    /** {@code LastTagTime} is Docker's; Berth reports when it stored the image. */
    public record Metadata(@JsonProperty("LastTagTime") String lastTagTime) {}

    /**
     * How a container from this image runs: Docker's {@code ContainerConfig} shape filled from
     * the image config's {@code config} object. Fields an image config cannot hold are Docker's
     * zero values.
     */
    @JsonPropertyOrder({"Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr",
            "ExposedPorts", "Tty", "OpenStdin", "StdinOnce", "Env", "Cmd", "Healthcheck", "ArgsEscaped", "Image",
            "Volumes", "WorkingDir", "Entrypoint", "OnBuild", "Labels", "StopSignal", "Shell"})
    public record ContainerConfig(
            @JsonProperty("Hostname") String hostname,
            @JsonProperty("Domainname") String domainname,
            @JsonProperty("User") String user,
            @JsonProperty("AttachStdin") boolean attachStdin,
            @JsonProperty("AttachStdout") boolean attachStdout,
            @JsonProperty("AttachStderr") boolean attachStderr,
            @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
            @JsonProperty("Tty") boolean tty,
            @JsonProperty("OpenStdin") boolean openStdin,
            @JsonProperty("StdinOnce") boolean stdinOnce,
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("Env") List<String> env,
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("Cmd") List<String> cmd,
            @JsonProperty("Healthcheck") ImageConfig.Healthcheck healthcheck,
            @JsonProperty("ArgsEscaped") Boolean argsEscaped,
            @JsonProperty("Image") String image,
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("Volumes") Map<String, Object> volumes,
            @JsonProperty("WorkingDir") String workingDir,
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("Entrypoint") List<String> entrypoint,
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("OnBuild") List<String> onBuild,
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("StopSignal") String stopSignal,
            @JsonProperty("Shell") List<String> shell) {

        static ContainerConfig of(ImageConfig.Config c) {
            if (c == null) {
                return new ContainerConfig("", "", "", false, false, false, null, false, false, false, null, null,
                        null, null, "", null, "", null, null, null, null, null);
            }
            return new ContainerConfig("", "", orEmpty(c.user()), false, false, false, c.exposedPorts(), false, false,
                    false, c.env(), c.cmd(), c.healthcheck(), c.argsEscaped(), "", c.volumes(),
                    orEmpty(c.workingDir()), c.entrypoint(), c.onBuild(), c.labels(), c.stopSignal(), c.shell());
        }
    }

    public static ImageInspectResponse of(ImageService.ImageDetails d) {
        ImageRecord image = d.image();
        ImageConfig config = d.config();
        List<ImageConfig.History> history = config == null || config.history() == null ? List.of() : config.history();
        String comment = history.isEmpty() ? "" : orEmpty(history.getLast().comment());
        String created = config != null && config.created() != null ? config.created()
                : image.created() != null ? DateTimeFormatter.ISO_INSTANT.format(image.created()) : "";
        Map<String, String> driverData = new LinkedHashMap<>();
        if (d.layerChainIds() != null && !d.layerChainIds().isEmpty()) {
            driverData.put("ChainIDs", String.join(",", d.layerChainIds()));
        }
        List<Digest> diffIds = config != null && config.rootfs() != null && !config.rootfs().diffIds().isEmpty()
                ? config.rootfs().diffIds() : image.diffIds();
        return new ImageInspectResponse(
                image.id().toString(),
                ImageSummaryResponse.familiar(d.tags()),
                ImageSummaryResponse.familiar(d.digests()),
                d.parent() == null ? "" : d.parent().toString(), comment, created, "",
                config == null ? "" : orEmpty(config.author()),
                ContainerConfig.of(config == null ? null : config.config()),
                config == null ? "" : orEmpty(config.architecture()),
                config == null ? null : emptyToNull(config.variant()),
                config == null ? "" : orEmpty(config.os()),
                config == null ? null : emptyToNull(config.osVersion()),
                image.size(),
                new GraphDriver(DRIVER, driverData),
                new RootFs("layers", diffIds.stream().map(Digest::toString).toList()),
                new Metadata(DateTimeFormatter.ISO_INSTANT.format(image.added())));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
