package dev.berth.engine.snapshot;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.layer.Posix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mounts and unmounts {@link Mounts} with the kernel's own calls through the FFM API (no
 * {@code /bin/mount}).
 *
 * <p>Overlay options go to {@code mount(2)} as one string, which the kernel copies into a single
 * page: {@value #OPTIONS_LIMIT} bytes including the terminating NUL on x86_64. Snapshot
 * directories are short on purpose ({@code <root>/snapshots/<n>/fs}), which fits about a hundred
 * layers under a typical state root. When the options do not fit, the mount is made with the
 * new mount API instead ({@code fsopen}, one {@code fsconfig "lowerdir+"} per layer, Linux 6.8
 * and later), which has no such limit; on an older kernel that mount is refused with a message
 * that says so. No {@code chdir} is ever used (it would change the whole engine's working
 * directory).
 */
public final class Mounter {

    /** The kernel copies mount(2) data into one page. */
    public static final int OPTIONS_LIMIT = 4096;

    private static final long MS_RDONLY = 1;
    private static final long MS_REMOUNT = 32;
    private static final long MS_BIND = 4096;
    private static final long MS_REC = 16384;

    private static final int FSOPEN_CLOEXEC = 1;
    private static final int FSCONFIG_SET_STRING = 1;
    private static final int FSCONFIG_CMD_CREATE = 6;
    private static final int FSMOUNT_CLOEXEC = 1;
    private static final int MOUNT_ATTR_RDONLY = 1;
    private static final int MOVE_MOUNT_F_EMPTY_PATH = 4;
    private static final int AT_FDCWD = -100;
    private static final int EINVAL = 22;
    private static final int EBUSY = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout PTR = ValueLayout.ADDRESS;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

    private static final MethodHandle MOUNT = fn("mount", FunctionDescriptor.of(INT, PTR, PTR, PTR, LONG, PTR));
    private static final MethodHandle UMOUNT2 = fn("umount2", FunctionDescriptor.of(INT, PTR, INT));
    private static final MethodHandle FSOPEN = fn("fsopen", FunctionDescriptor.of(INT, PTR, INT));
    private static final MethodHandle FSCONFIG = fn("fsconfig", FunctionDescriptor.of(INT, INT, INT, PTR, PTR, INT));
    private static final MethodHandle FSMOUNT = fn("fsmount", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle MOVE_MOUNT = fn("move_mount", FunctionDescriptor.of(INT, INT, PTR, INT, PTR, INT));
    private static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(INT, INT));

    private Mounter() {}

    private static MethodHandle fn(String name, FunctionDescriptor fd) {
        return LIBC.find(name).map(s -> LINKER.downcallHandle(s, fd, Linker.Option.captureCallState("errno"))).orElse(null);
    }

    private static int errno(MemorySegment st) {
        return (int) ERRNO.get(st, 0L);
    }

    /**
     * Mounts {@code m} on the existing directory {@code target}.
     *
     * @throws EngineException.Unavailable when the kernel refuses, with its reason
     */
    public static void mount(Mounts m, Path target) {
        switch (m.type()) {
            case "bind" -> {
                sysMount(m.source(), target, null, MS_BIND | MS_REC, null);
                if (m.readOnly()) {
                    try {
                        sysMount(null, target, null, MS_BIND | MS_REMOUNT | MS_RDONLY, null);
                    } catch (RuntimeException e) {
                        unmount(target);
                        throw e;
                    }
                }
            }
            case "overlay" -> {
                String data = String.join(",", m.options().stream().filter(o -> !o.equals("ro")).toList());
                if (data.getBytes(StandardCharsets.UTF_8).length + 1 <= OPTIONS_LIMIT) {
                    sysMount("overlay", target, "overlay", m.readOnly() && m.upperDir().isPresent() ? MS_RDONLY : 0, data);
                } else {
                    mountOverlayIncrementally(m, target);
                }
            }
            default -> throw new EngineException.InvalidArgument("cannot mount type " + m.type() + " at " + target);
        }
    }

    /**
     * Unmounts {@code target}.
     *
     * @throws EngineException.FailedPrecondition when nothing is mounted there or it is busy
     */
    public static void unmount(Path target) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int rc = (int) UMOUNT2.invokeExact(st, a.allocateFrom(target.toString()), 0);
            if (rc != 0) {
                int e = errno(st);
                if (e == EINVAL) {
                    throw new EngineException.FailedPrecondition("nothing is mounted at " + target);
                }
                if (e == EBUSY) {
                    throw new EngineException.FailedPrecondition("cannot unmount " + target + ": it is in use");
                }
                throw new EngineException.Unavailable("cannot unmount " + target + ": " + Posix.strerror(e));
            }
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The mount points of this process's mount namespace, from {@code /proc/self/mountinfo}. */
    public static List<MountInfo> mounted() {
        List<MountInfo> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                int dash = List.of(f).indexOf("-");
                if (f.length < 5 || dash < 0 || dash + 3 >= f.length) {
                    continue;
                }
                out.add(new MountInfo(unescape(f[3]), Path.of(unescape(f[4])), f[dash + 1], unescape(f[dash + 2]),
                        unescape(f[dash + 3])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * One line of mountinfo.
     *
     * @param root the directory of the file system that is mounted (a bind mount's source directory)
     * @param superOptions the file system's options (for overlay: {@code lowerdir=...,upperdir=...})
     */
    public record MountInfo(String root, Path mountPoint, String fsType, String source, String superOptions) {}

    /** Whether something is mounted exactly at {@code target}. */
    public static boolean isMountPoint(Path target) {
        Path t = target.toAbsolutePath().normalize();
        return mounted().stream().anyMatch(m -> m.mountPoint().equals(t));
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void sysMount(String source, Path target, String fstype, long flags, String data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment src = source == null ? MemorySegment.NULL : a.allocateFrom(source);
            MemorySegment type = fstype == null ? MemorySegment.NULL : a.allocateFrom(fstype);
            MemorySegment opts = data == null ? MemorySegment.NULL : a.allocateFrom(data);
            int rc = (int) MOUNT.invokeExact(st, src, a.allocateFrom(target.toString()), type, flags, opts);
            if (rc != 0) {
                throw new EngineException.Unavailable("cannot mount " + (fstype == null ? source : fstype) + " on " + target
                        + ": " + Posix.strerror(errno(st)) + (data == null ? "" : " (options " + abbreviate(data) + ")"));
            }
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void mountOverlayIncrementally(Mounts m, Path target) {
        if (FSOPEN == null || FSCONFIG == null || FSMOUNT == null || MOVE_MOUNT == null) {
            throw new EngineException.Unavailable("the overlay options for " + target + " exceed one page ("
                    + OPTIONS_LIMIT + " bytes) and this C library has no fsopen(2) to pass them one by one");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fs = (int) FSOPEN.invokeExact(st, a.allocateFrom("overlay"), FSOPEN_CLOEXEC);
            if (fs < 0) {
                throw new EngineException.Unavailable("fsopen(overlay) failed: " + Posix.strerror(errno(st)));
            }
            try {
                for (String option : m.options()) {
                    if (option.equals("ro")) {
                        continue;
                    }
                    int eq = option.indexOf('=');
                    String key = eq < 0 ? option : option.substring(0, eq);
                    if (key.equals("lowerdir")) {
                        for (String lower : option.substring(eq + 1).split(":")) {
                            config(a, st, fs, "lowerdir+", lower, target);
                        }
                    } else {
                        config(a, st, fs, key, eq < 0 ? null : option.substring(eq + 1), target);
                    }
                }
                int rc = (int) FSCONFIG.invokeExact(st, fs, FSCONFIG_CMD_CREATE, MemorySegment.NULL, MemorySegment.NULL, 0);
                if (rc != 0) {
                    throw new EngineException.Unavailable("cannot create the overlay for " + target + ": " + Posix.strerror(errno(st)));
                }
                int mnt = (int) FSMOUNT.invokeExact(st, fs, FSMOUNT_CLOEXEC, m.readOnly() ? MOUNT_ATTR_RDONLY : 0);
                if (mnt < 0) {
                    throw new EngineException.Unavailable("fsmount for " + target + " failed: " + Posix.strerror(errno(st)));
                }
                try {
                    rc = (int) MOVE_MOUNT.invokeExact(st, mnt, a.allocateFrom(""), AT_FDCWD, a.allocateFrom(target.toString()),
                            MOVE_MOUNT_F_EMPTY_PATH);
                    if (rc != 0) {
                        throw new EngineException.Unavailable("cannot attach the overlay at " + target + ": " + Posix.strerror(errno(st)));
                    }
                } finally {
                    int ignored = (int) CLOSE.invokeExact(st, mnt);
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(st, fs);
            }
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void config(Arena a, MemorySegment st, int fs, String key, String value, Path target) throws Throwable {
        int rc = value == null
                ? (int) FSCONFIG.invokeExact(st, fs, 0 /* FSCONFIG_SET_FLAG */, a.allocateFrom(key), MemorySegment.NULL, 0)
                : (int) FSCONFIG.invokeExact(st, fs, FSCONFIG_SET_STRING, a.allocateFrom(key), a.allocateFrom(value), 0);
        if (rc != 0) {
            int e = errno(st);
            throw new EngineException.Unavailable("the overlay for " + target + " refused " + key + "=" + value + ": "
                    + Posix.strerror(e) + (key.equals("lowerdir+") ? " (appending lower dirs one by one needs Linux 6.8 or later)" : ""));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " bytes)";
    }
}
