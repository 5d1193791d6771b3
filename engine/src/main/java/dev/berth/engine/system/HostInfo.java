package dev.berth.engine.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Facts about the host read from the kernel: kernel release, OS name, architecture, CPUs,
 * memory, and the cgroup layout. Cgroup v2 ("unified") when {@code /sys/fs/cgroup} is itself
 * a cgroup2 mount; v1 otherwise (including the hybrid layout with v1 controllers and an
 * empty v2 tree at {@code /sys/fs/cgroup/unified}).
 */
public record HostInfo(String hostname, String kernelVersion, String operatingSystem, String osType,
                       String architecture, int cpus, long memoryBytes, int cgroupVersion, String cgroupDriver) {

    public static HostInfo read() {
        return new HostInfo(
                firstLine(Path.of("/proc/sys/kernel/hostname"), "localhost"),
                firstLine(Path.of("/proc/sys/kernel/osrelease"), System.getProperty("os.version")),
                osPrettyName(),
                "linux",
                dockerArch(System.getProperty("os.arch")),
                Runtime.getRuntime().availableProcessors(),
                memTotal(),
                Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? 2 : 1,
                "cgroupfs");
    }

    /** Docker's names for architectures ({@code x86_64} for amd64 machines, as {@code uname -m}). */
    static String dockerArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> javaArch;
        };
    }

    private static String osPrettyName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "Linux";
    }

    private static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    String[] parts = line.split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // fall through
        }
        return 0;
    }

    private static String firstLine(Path p, String fallback) {
        try {
            List<String> lines = Files.readAllLines(p);
            return lines.isEmpty() ? fallback : lines.getFirst().strip();
        } catch (IOException e) {
            return fallback;
        }
    }
}
