package dev.berth.engine.runtime.spec;

import dev.berth.engine.errors.EngineException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Linux capabilities by name and Docker's rules for {@code --cap-add}/{@code --cap-drop}: start
 * from Docker's default set (no CAP_SYS_ADMIN, no CAP_NET_ADMIN, ...), {@code ALL} adds or drops
 * everything, names may be written with or without {@code CAP_} and in any case.
 */
public final class CapabilitySet {

    /** Every capability by number (0..40, Linux 5.9+). */
    private static final List<String> ALL_BY_NUMBER = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
            "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    /** Docker's default set for unprivileged containers. */
    public static final List<String> DOCKER_DEFAULT = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
            "CAP_AUDIT_WRITE");

    private CapabilitySet() {}

    /**
     * The capabilities a container can get here: those this kernel knows (up to
     * {@code /proc/sys/kernel/cap_last_cap}) that are in the engine's own bounding set (a
     * capability outside it cannot be granted; runc would fail with EPERM).
     */
    public static List<String> all() {
        int last = ALL_BY_NUMBER.size() - 1;
        try {
            last = Math.min(last, Integer.parseInt(HostFiles.read(Path.of("/proc/sys/kernel/cap_last_cap")).strip()));
        } catch (IOException | NumberFormatException e) {
            // an old or unusual kernel: offer the ones we know
        }
        long bounding = -1L;
        try {
            for (String line : HostFiles.read(Path.of("/proc/self/status")).split("\n")) {
                if (line.startsWith("CapBnd:")) {
                    bounding = Long.parseUnsignedLong(line.substring("CapBnd:".length()).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // assume everything is available
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            if ((bounding & (1L << i)) != 0) {
                out.add(ALL_BY_NUMBER.get(i));
            }
        }
        return List.copyOf(out);
    }

    /** {@code sys_admin}, {@code SYS_ADMIN}, {@code CAP_SYS_ADMIN} → {@code CAP_SYS_ADMIN}; {@code all} → {@code ALL}. */
    public static String normalize(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        if (n.equals("ALL")) {
            return n;
        }
        if (!n.startsWith("CAP_")) {
            n = "CAP_" + n;
        }
        if (!ALL_BY_NUMBER.contains(n)) {
            throw new EngineException.InvalidArgument("unknown capability: \"" + name + "\"");
        }
        return n;
    }

    /** Docker's default set with {@code add} and {@code drop} applied ({@code privileged} gives everything). */
    public static List<String> effective(boolean privileged, List<String> add, List<String> drop) {
        List<String> known = all();
        if (privileged) {
            return known;
        }
        List<String> adds = add.stream().map(CapabilitySet::normalize).toList();
        List<String> drops = drop.stream().map(CapabilitySet::normalize).toList();
        Set<String> caps = new LinkedHashSet<>();
        if (adds.contains("ALL")) {
            caps.addAll(known);
        } else if (!drops.contains("ALL")) {
            caps.addAll(DOCKER_DEFAULT);
        }
        for (String a : adds) {
            if (!a.equals("ALL")) {
                caps.add(a);
            }
        }
        for (String d : drops) {
            if (!d.equals("ALL") && !adds.contains(d)) {
                caps.remove(d);
            }
        }
        List<String> out = new ArrayList<>(caps);
        out.retainAll(known);
        return List.copyOf(out);
    }
}
