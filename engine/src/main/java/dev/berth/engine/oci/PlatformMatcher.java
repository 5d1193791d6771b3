package dev.berth.engine.oci;

import dev.berth.engine.errors.EngineException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Picks the manifest for a platform out of an index, the way the OCI image spec and containerd
 * describe it: os and architecture must match; the variant matches exactly, or by the usual
 * fallbacks ({@code arm64} means {@code v8}; an {@code arm/v7} host also runs {@code v6} and
 * {@code v5}; a missing variant in the index matches any). Entries that are not images —
 * buildkit's attestation manifests and {@code unknown/unknown} platforms — are never chosen.
 */
public final class PlatformMatcher {

    private final Platform wanted;

    public PlatformMatcher(Platform wanted) {
        this.wanted = normalize(Objects.requireNonNull(wanted, "wanted"));
    }

    public Platform wanted() {
        return wanted;
    }

    /** The best entry for the wanted platform, or empty. */
    public Optional<Descriptor> select(ImageIndex index) {
        return index.manifests().stream()
                .filter(PlatformMatcher::isImageEntry)
                .filter(d -> rank(normalize(d.platform())) >= 0)
                .min(Comparator.comparingInt(d -> rank(normalize(d.platform()))));
    }

    /**
     * The best entry for the wanted platform.
     *
     * @param name what the index is, for the error (e.g. {@code docker.io/library/busybox:latest})
     * @throws EngineException.NotFound naming the wanted platform and listing the available ones
     */
    public Descriptor selectOrThrow(ImageIndex index, String name) {
        return select(index).orElseThrow(() -> new EngineException.NotFound(
                "no matching manifest for " + wanted + " in the manifest list entries for " + name
                        + "; available platforms: " + available(index)));
    }

    /** The platforms an index offers images for, as {@code os/arch[/variant]}, comma-separated. */
    public static String available(ImageIndex index) {
        List<String> names = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            if (isImageEntry(d)) {
                names.add(d.platform().toString());
            }
        }
        return names.isEmpty() ? "none" : names.stream().distinct().collect(Collectors.joining(", "));
    }

    /** True for an index entry that is a runnable image: has a platform, not an attestation. */
    public static boolean isImageEntry(Descriptor d) {
        if (MediaTypes.DOCKER_ATTESTATION_MANIFEST.equals(d.annotation(MediaTypes.DOCKER_REFERENCE_TYPE_ANNOTATION))) {
            return false;
        }
        Platform p = d.platform();
        if (p == null || p.os() == null || p.architecture() == null) {
            return false;
        }
        return !("unknown".equals(p.os()) && "unknown".equals(p.architecture()));
    }

    /** 0 = exact, higher = worse fallback, -1 = no match. */
    private int rank(Platform candidate) {
        if (!wanted.os().equals(candidate.os()) || !wanted.architecture().equals(candidate.architecture())) {
            return -1;
        }
        String want = wanted.variant();
        String have = candidate.variant();
        if (Objects.equals(want, have)) {
            return 0;
        }
        if (have == null) {
            return 10; // the index does not say: any variant of the architecture
        }
        if (want == null) {
            return 20; // we do not care about the variant, the index names one
        }
        if ("arm".equals(wanted.architecture()) && want.startsWith("v") && have.startsWith("v")) {
            int w = parseLevel(want);
            int h = parseLevel(have);
            if (w > 0 && h > 0 && h < w) {
                return 1 + (w - h); // v7 runs v6 and v5, preferring the newest
            }
        }
        return -1;
    }

    private static int parseLevel(String v) {
        try {
            return Integer.parseInt(v.substring(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Lower-case; arm64 without a variant is v8, arm without a variant is v7. */
    static Platform normalize(Platform p) {
        if (p == null) {
            return new Platform("", "", null, null, null);
        }
        String os = lower(p.os());
        String arch = lower(p.architecture());
        String variant = p.variant() == null || p.variant().isEmpty() ? null : lower(p.variant());
        switch (arch) {
            case "aarch64" -> arch = "arm64";
            case "x86_64", "x86-64" -> arch = "amd64";
            default -> { }
        }
        if ("arm64".equals(arch) && variant == null) {
            variant = "v8";
        }
        if ("arm".equals(arch) && variant == null) {
            variant = "v7";
        }
        return new Platform(arch, os, p.osVersion(), p.osFeatures(), variant);
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
