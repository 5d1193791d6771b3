package dev.berth.engine.oci;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlatformMatcherTest {

    private int n;

    private Descriptor entry(String os, String arch, String variant) {
        String hex = String.format("%064x", ++n);
        return Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.parse("sha256:" + hex), 100)
                .withPlatform(Platform.of(os, arch, variant));
    }

    private Descriptor attestation() {
        return entry("unknown", "unknown", null).withAnnotations(Map.of(
                MediaTypes.DOCKER_REFERENCE_TYPE_ANNOTATION, MediaTypes.DOCKER_ATTESTATION_MANIFEST));
    }

    private static ImageIndex index(Descriptor... entries) {
        return ImageIndex.of(MediaTypes.OCI_INDEX, List.of(entries));
    }

    @Test
    void defaultsPickLinuxAmd64AndSkipAttestations() {
        Descriptor att = attestation();
        Descriptor amd64 = entry("linux", "amd64", null);
        Descriptor arm64 = entry("linux", "arm64", "v8");
        ImageIndex idx = index(att, arm64, amd64);
        assertThat(new PlatformMatcher(Platform.LINUX_AMD64).select(idx)).contains(amd64);
        assertThat(PlatformMatcher.isImageEntry(att)).isFalse();
        // an attestation with a real-looking platform is still skipped by its annotation
        Descriptor sneaky = entry("linux", "s390x", null).withAnnotations(Map.of(
                MediaTypes.DOCKER_REFERENCE_TYPE_ANNOTATION, MediaTypes.DOCKER_ATTESTATION_MANIFEST));
        assertThat(new PlatformMatcher(Platform.parse("linux/s390x")).select(index(sneaky))).isEmpty();
    }

    @Test
    void arm64MatchesV8AndArmFallsBackToOlderVariants() {
        Descriptor arm64plain = entry("linux", "arm64", null);
        Descriptor arm64v8 = entry("linux", "arm64", "v8");
        Descriptor armv6 = entry("linux", "arm", "v6");
        Descriptor armv5 = entry("linux", "arm", "v5");
        Descriptor armv7 = entry("linux", "arm", "v7");
        assertThat(new PlatformMatcher(Platform.parse("linux/arm64")).select(index(arm64v8))).contains(arm64v8);
        assertThat(new PlatformMatcher(Platform.parse("linux/arm64/v8")).select(index(arm64plain))).contains(arm64plain);
        assertThat(new PlatformMatcher(Platform.parse("linux/arm/v7")).select(index(armv5, armv6))).contains(armv6);
        assertThat(new PlatformMatcher(Platform.parse("linux/arm")).select(index(armv6, armv7, armv5))).contains(armv7);
        assertThat(new PlatformMatcher(Platform.parse("linux/arm/v6")).select(index(armv7))).isEmpty();
        assertThat(new PlatformMatcher(Platform.parse("linux/amd64")).select(index(armv7, arm64v8))).isEmpty();
    }

    @Test
    void exactVariantBeatsAnUnspecifiedOne() {
        Descriptor amd64v3 = entry("linux", "amd64", "v3");
        Descriptor amd64 = entry("linux", "amd64", null);
        assertThat(new PlatformMatcher(Platform.LINUX_AMD64).select(index(amd64v3, amd64))).contains(amd64);
        assertThat(new PlatformMatcher(Platform.parse("linux/amd64/v3")).select(index(amd64, amd64v3))).contains(amd64v3);
        assertThat(new PlatformMatcher(Platform.LINUX_AMD64).select(index(amd64v3))).contains(amd64v3);
    }

    @Test
    void noMatchNamesTheWantedAndAvailablePlatforms() {
        List<Descriptor> entries = new ArrayList<>(List.of(entry("linux", "arm64", "v8"), entry("linux", "arm", "v7"),
                attestation(), entry("windows", "amd64", null)));
        ImageIndex idx = index(entries.toArray(Descriptor[]::new));
        assertThatThrownBy(() -> new PlatformMatcher(Platform.LINUX_AMD64).selectOrThrow(idx, "docker.io/library/x:1"))
                .isInstanceOf(EngineException.NotFound.class)
                .hasMessage("no matching manifest for linux/amd64 in the manifest list entries for docker.io/library/x:1;"
                        + " available platforms: linux/arm64/v8, linux/arm/v7, windows/amd64");
        assertThat(PlatformMatcher.available(index(attestation()))).isEqualTo("none");
    }
}
