package dev.berth.engine.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Locale;

/**
 * The platform an image runs on, as an index entry names it.
 *
 * @param architecture Go's GOARCH names: {@code amd64}, {@code arm64}, {@code arm}, ...
 * @param os           Go's GOOS names: {@code linux}, {@code windows}
 * @param osVersion    {@code os.version} (Windows builds)
 * @param osFeatures   {@code os.features}
 * @param variant      CPU variant: {@code v7}, {@code v8}, ...
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Platform(
        @JsonProperty("architecture") String architecture,
        @JsonProperty("os") String os,
        @JsonProperty("os.version") String osVersion,
        @JsonProperty("os.features") List<String> osFeatures,
        @JsonProperty("variant") String variant) {

    public static final Platform LINUX_AMD64 = of("linux", "amd64", null);

    public static Platform of(String os, String architecture, String variant) {
        return new Platform(architecture, os, null, null, variant);
    }

    /** Parses {@code os/arch[/variant]}, e.g. {@code linux/arm64/v8}. */
    public static Platform parse(String s) {
        String[] parts = s == null ? new String[0] : s.strip().toLowerCase(Locale.ROOT).split("/");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new dev.berth.engine.errors.EngineException.InvalidArgument(
                    "invalid platform \"" + s + "\": expected os/arch or os/arch/variant, e.g. linux/arm64");
        }
        return of(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** The platform of the JVM's host, in Go's names (what the engine runs natively). */
    public static Platform host() {
        String arch = switch (System.getProperty("os.arch", "amd64")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "arm", "armv7l" -> "arm";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> System.getProperty("os.arch");
        };
        return of("linux", arch, null);
    }

    /** {@code os/arch[/variant]}, as Docker prints platforms. */
    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }
}
