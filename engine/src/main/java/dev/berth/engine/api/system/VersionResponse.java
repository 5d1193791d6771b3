package dev.berth.engine.api.system;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.berth.engine.api.http.ApiVersion;
import dev.berth.engine.system.VersionInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /version}: Docker's {@code types.Version}. */
@JsonPropertyOrder({"Platform", "Components", "Version", "ApiVersion", "MinAPIVersion", "GitCommit", "GoVersion",
        "Os", "Arch", "KernelVersion", "BuildTime"})
public record VersionResponse(
        @JsonProperty("Platform") Platform platform,
        @JsonProperty("Components") List<Component> components,
        @JsonProperty("Version") String version,
        @JsonProperty("ApiVersion") String apiVersion,
        @JsonProperty("MinAPIVersion") String minApiVersion,
        @JsonProperty("GitCommit") String gitCommit,
        @JsonProperty("GoVersion") String goVersion,
        @JsonProperty("Os") String os,
        @JsonProperty("Arch") String arch,
        @JsonProperty("KernelVersion") String kernelVersion,
        @JsonProperty("BuildTime") String buildTime) {

    public static final String PLATFORM = "Berth Engine";

    public record Platform(@JsonProperty("Name") String name) {}

    @JsonPropertyOrder({"Name", "Version", "Details"})
    public record Component(@JsonProperty("Name") String name, @JsonProperty("Version") String version,
                            @JsonProperty("Details") Map<String, String> details) {}

    public static VersionResponse of(VersionInfo v) {
        String runtime = "java" + v.javaVersion().replaceFirst("[+-].*$", "");
        String arch = goArch(v.arch());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("ApiVersion", ApiVersion.CURRENT.toString());
        details.put("MinAPIVersion", ApiVersion.MINIMUM.toString());
        details.put("Os", v.os());
        details.put("Arch", arch);
        details.put("KernelVersion", v.kernelVersion());
        details.put("GitCommit", v.gitCommit());
        details.put("GoVersion", runtime);
        details.put("BuildTime", v.buildTime());
        details.put("Experimental", "false");
        return new VersionResponse(new Platform(PLATFORM),
                List.of(new Component("Engine", v.engineVersion(), details)),
                v.engineVersion(), ApiVersion.CURRENT.toString(), ApiVersion.MINIMUM.toString(), v.gitCommit(), runtime,
                v.os(), arch, v.kernelVersion(), v.buildTime());
    }

    /** {@code /version} names architectures as Go does ({@code amd64}), {@code /info} as uname does. */
    static String goArch(String unameArch) {
        return switch (unameArch) {
            case "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> unameArch;
        };
    }
}
