package dev.berth.engine.network;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.Commands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Named network namespaces as files, like {@code ip netns add} does under {@code /run/netns}
 * but in a directory of the engine's choosing: {@code unshare --net=FILE true} creates a new
 * namespace and bind-mounts its {@code /proc/self/ns/net} onto FILE, so the namespace outlives
 * the short process; a container joins it by path. Removal unmounts and deletes the file.
 */
final class NetnsFiles {

    private static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(30);

    private NetnsFiles() {}

    /** Creates a namespace file at {@code file} (an empty mount point first) with loopback up. */
    static void create(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot create network namespace file " + file + ": " + e.getMessage(), e);
        }
        try {
            exec(List.of("unshare", "--net=" + file, "true"), "create network namespace " + file);
            exec(List.of("nsenter", "--net=" + file, "ip", "link", "set", "lo", "up"), "bring up loopback in " + file);
        } catch (EngineException e) {
            remove(file);
            throw e;
        }
    }

    /**
     * A throwaway namespace holding one veth per name (its peer named {@code scratchN}), for a
     * teardown whose real namespace is gone.
     */
    static void createScratch(Path file, List<String> interfaceNames) {
        create(file);
        try {
            int i = 0;
            for (String name : interfaceNames) {
                exec(List.of("nsenter", "--net=" + file, "ip", "link", "add", name, "type", "veth", "peer", "name", "scratch" + i++),
                        "add stand-in interface " + name + " in " + file);
            }
        } catch (EngineException e) {
            remove(file);
            throw e;
        }
    }

    /** Whether {@code file} is a mounted namespace (not just the empty mount point). */
    static boolean isMounted(Path file) {
        try {
            String target = file.toAbsolutePath().normalize().toString();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && unescape(f[4]).equals(target)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** Unmounts (every stacked mount) and deletes the file; missing files are fine. */
    static void remove(Path file) {
        for (int i = 0; i < 8 && isMounted(file); i++) {
            exec(List.of("umount", file.toString()), "unmount network namespace " + file);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot delete network namespace file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    private static void exec(List<String> command, String what) {
        Commands.Result r;
        try {
            r = Commands.runMerged(command, TIMEOUT);
        } catch (EngineException.Unavailable e) {
            throw new EngineException.Unavailable("cannot " + what + ": " + e.getMessage(), e);
        }
        if (r.exit() != 0) {
            throw new EngineException.Unavailable("cannot " + what + ": " + r.out().strip());
        }
    }
}
