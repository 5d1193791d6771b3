package dev.berth.engine.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the real probe: needs root and the runtime packages the launcher installs. */
class RuntimeDetectorTest {

    @TempDir
    Path work;

    @Test
    void runcIsFoundAndProvenToRunAContainer() throws Exception {
        java.util.Set<Path> cgroupsBefore = probeCgroups();
        HostTools tools = new RuntimeDetector(work).detect();
        assertThat(tools.runtime()).as(tools.summary()).isPresent();
        HostTools.Candidate runc = tools.candidates().stream().filter(c -> c.tool().name().equals("runc")).findFirst().orElseThrow();
        assertThat(runc.works()).as(runc.problem()).isTrue();
        assertThat(runc.tool().version()).matches("\\d+\\.\\d+.*");
        assertThat(tools.conmon()).isPresent();
        assertThat(tools.netavark()).isPresent();
        // the probe cleans up after itself
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("berth-probe-"))).isEmpty();
        }
        // ... and leaves no cgroup behind in any hierarchy (v1 controllers or the v2 tree)
        assertThat(probeCgroups()).containsExactlyInAnyOrderElementsOf(cgroupsBefore);
    }

    private static java.util.Set<Path> probeCgroups() throws java.io.IOException {
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            return hierarchies.flatMap(RuntimeDetectorTest::children)
                    .filter(p -> p.getFileName().toString().startsWith("berth-probe"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    private static Stream<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList().stream();
        } catch (java.io.IOException e) {
            return Stream.empty();
        }
    }

    @Test
    void aRuntimeThatCannotStartAContainerIsReportedWithItsErrorAndNotUsed() throws Exception {
        // a fake "runtime" that exists and prints a version but fails to run anything
        Path fake = work.resolve("bin/crun");
        Files.createDirectories(fake.getParent());
        Files.writeString(fake, "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'crun version 9.9.9'; exit 0; fi\n"
                + "echo 'cgroups in hybrid mode not supported' >&2; exit 1\n");
        fake.toFile().setExecutable(true);
        HostTools tools = RuntimeDetector.withSearchPath(work.resolve("state"), java.util.List.of(fake.getParent().toString(), "/usr/sbin", "/usr/bin")).detect();
        HostTools.Candidate crun = tools.candidates().stream().filter(c -> c.tool().name().equals("crun")).findFirst().orElseThrow();
        assertThat(crun.works()).isFalse();
        assertThat(crun.problem()).contains("hybrid mode");
        assertThat(tools.runtime().orElseThrow().name()).isEqualTo("runc");
        assertThat(tools.summary()).contains("runc").contains("crun not usable: cgroups in hybrid mode not supported");
    }

    @Test
    void probeVerdictIsCachedUntilARuntimeBinaryOrTheKernelChanges() throws Exception {
        // a "runtime" that counts its probe runs, then fails them
        Path fake = work.resolve("bin/crun");
        Path runs = work.resolve("probe-runs");
        Files.createDirectories(fake.getParent());
        Files.writeString(fake, "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'crun version 9.9.9'; exit 0; fi\n"
                + "for a in \"$@\"; do [ \"$a\" = run ] && echo run >> " + runs + "; done\n"
                + "echo 'cgroups in hybrid mode not supported' >&2; exit 1\n");
        fake.toFile().setExecutable(true);
        Path kernel = work.resolve("osrelease");
        Files.writeString(kernel, "6.1.0-test\n");
        Path cache = work.resolve("root/runtime-probe.json");
        java.util.function.Supplier<HostTools> detect = () -> RuntimeDetector.withSearchPath(work.resolve("state"),
                java.util.List.of(fake.getParent().toString(), "/usr/sbin", "/usr/bin")).withCache(cache).withKernelRelease(kernel).detect();

        HostTools first = detect.get();
        assertThat(probeRuns(runs)).isEqualTo(1);
        assertThat(cache).isRegularFile();
        assertThat(first.runtime().orElseThrow().name()).isEqualTo("runc");

        // same binaries, same kernel: the cached verdict, no probe
        HostTools again = detect.get();
        assertThat(probeRuns(runs)).isEqualTo(1);
        assertThat(again).isEqualTo(first);
        assertThat(again.summary()).contains("crun not usable: cgroups in hybrid mode not supported");

        // the runtime binary changed (an upgrade): probed again
        Files.setLastModifiedTime(fake, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(fake).toMillis() - 60_000));
        detect.get();
        assertThat(probeRuns(runs)).isEqualTo(2);
        Files.writeString(fake, "\n# a longer binary\n", java.nio.file.StandardOpenOption.APPEND);
        detect.get();
        assertThat(probeRuns(runs)).isEqualTo(3);
        detect.get();
        assertThat(probeRuns(runs)).isEqualTo(3);

        // a new kernel: probed again
        Files.writeString(kernel, "6.2.0-test\n");
        assertThat(detect.get()).isEqualTo(first);
        assertThat(probeRuns(runs)).isEqualTo(4);

        // a torn or foreign cache file is ignored and rewritten
        Files.writeString(cache, "{not json");
        assertThat(detect.get()).isEqualTo(first);
        assertThat(probeRuns(runs)).isEqualTo(5);
        detect.get();
        assertThat(probeRuns(runs)).isEqualTo(5);
    }

    private static long probeRuns(Path counter) throws java.io.IOException {
        return Files.exists(counter) ? Files.readAllLines(counter).size() : 0;
    }
}
