package dev.berth.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@code /proc/self/mountinfo} and unmounts what a test left behind, so a crashed test
 * cannot leave overlay or bind mounts under a temporary directory.
 */
public final class Mounts {

    private Mounts() {}

    /** Every mount point at or under {@code dir}, deepest first. */
    public static List<Path> mountPointsUnder(Path dir) {
        Path base = dir.toAbsolutePath().normalize();
        List<Path> found = new ArrayList<>();
        for (String line : readMountInfo()) {
            // fields: id parent major:minor root mount-point options ... - fstype source super-options
            String[] f = line.split(" ");
            if (f.length < 5) {
                continue;
            }
            Path mountPoint = Path.of(unescape(f[4]));
            if (mountPoint.startsWith(base)) {
                found.add(mountPoint);
            }
        }
        found.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return found;
    }

    /**
     * Unmounts everything at or under {@code dir}, deepest first (a plain unmount, then a lazy one
     * for a busy mount), and returns the mount points that are still there (empty on success).
     */
    public static List<Path> unmountAllUnder(Path dir) {
        for (int round = 0; round < 3; round++) {
            List<Path> points = mountPointsUnder(dir);
            if (points.isEmpty()) {
                return List.of();
            }
            for (Path p : points) {
                if (umount(p, false) != 0) {
                    umount(p, true);
                }
            }
        }
        return mountPointsUnder(dir);
    }

    private static int umount(Path p, boolean lazy) {
        List<String> cmd = new ArrayList<>(List.of("umount"));
        if (lazy) {
            cmd.add("-l");
        }
        cmd.add(p.toString());
        try {
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!proc.waitFor(30, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                return -1;
            }
            return proc.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static List<String> readMountInfo() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes ({@code \040}). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()
                    && isOctal(s.charAt(i + 1)) && isOctal(s.charAt(i + 2)) && isOctal(s.charAt(i + 3))) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }
}
