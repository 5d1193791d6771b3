package dev.berth.engine.volume;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.layer.Posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code mount(2)} for the local driver's {@code type}/{@code o}/{@code device} options, through
 * the FFM API. {@code o} is split the way {@code mount(8)} does it: words that are mount flags
 * ({@code ro}, {@code nosuid}, {@code bind}, ...) become flags, the rest ({@code size=100m},
 * {@code uid=1000}) is passed to the file system as its data string.
 */
final class SysMount {

    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;
    static final long MS_SYNCHRONOUS = 16;
    static final long MS_REMOUNT = 32;
    static final long MS_NOATIME = 1024;
    static final long MS_NODIRATIME = 2048;
    static final long MS_BIND = 4096;
    static final long MS_REC = 16384;
    static final long MS_RELATIME = 1 << 21;
    static final long MS_STRICTATIME = 1 << 24;

    /** Flag words of {@code o}: the flags to set and the flags a word clears. */
    private record Flag(long set, long clear) {}

    private static final Map<String, Flag> FLAGS = Map.ofEntries(
            Map.entry("ro", new Flag(MS_RDONLY, 0)), Map.entry("rw", new Flag(0, MS_RDONLY)),
            Map.entry("nosuid", new Flag(MS_NOSUID, 0)), Map.entry("suid", new Flag(0, MS_NOSUID)),
            Map.entry("nodev", new Flag(MS_NODEV, 0)), Map.entry("dev", new Flag(0, MS_NODEV)),
            Map.entry("noexec", new Flag(MS_NOEXEC, 0)), Map.entry("exec", new Flag(0, MS_NOEXEC)),
            Map.entry("sync", new Flag(MS_SYNCHRONOUS, 0)), Map.entry("async", new Flag(0, MS_SYNCHRONOUS)),
            Map.entry("noatime", new Flag(MS_NOATIME, 0)), Map.entry("atime", new Flag(0, MS_NOATIME)),
            Map.entry("nodiratime", new Flag(MS_NODIRATIME, 0)), Map.entry("diratime", new Flag(0, MS_NODIRATIME)),
            Map.entry("relatime", new Flag(MS_RELATIME, 0)), Map.entry("norelatime", new Flag(0, MS_RELATIME)),
            Map.entry("strictatime", new Flag(MS_STRICTATIME, 0)), Map.entry("defaults", new Flag(0, 0)),
            Map.entry("bind", new Flag(MS_BIND, 0)), Map.entry("rbind", new Flag(MS_BIND | MS_REC, 0)));

    /** Flags and file-system data of one {@code o} string. */
    record Options(long flags, String data) {
        boolean bind() {
            return (flags & MS_BIND) != 0;
        }

        boolean readOnly() {
            return (flags & MS_RDONLY) != 0;
        }
    }

    static Options parse(String o) {
        long flags = 0;
        List<String> data = new ArrayList<>();
        if (o != null) {
            for (String word : o.split(",")) {
                if (word.isEmpty()) {
                    continue;
                }
                Flag f = FLAGS.get(word);
                if (f == null) {
                    data.add(word);
                } else {
                    flags = (flags & ~f.clear()) | f.set();
                }
            }
        }
        return new Options(flags, String.join(",", data));
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MOUNT = LINKER.downcallHandle(LINKER.defaultLookup().find("mount").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            Linker.Option.captureCallState("errno"));

    private SysMount() {}

    /**
     * Mounts {@code device} of file system {@code type} with options {@code o} on {@code target}.
     * A bind ({@code o} has {@code bind}) that asks for {@code ro} is remounted read-only, as
     * {@code mount(8)} does.
     */
    static void mount(String device, Path target, String type, String o) {
        Options opts = parse(o);
        if (opts.bind()) {
            call(device, target, null, opts.flags() & (MS_BIND | MS_REC), null, o);
            long rest = opts.flags() & ~(MS_BIND | MS_REC);
            if (rest != 0) {
                try {
                    call(null, target, null, MS_BIND | MS_REMOUNT | rest, null, o);
                } catch (RuntimeException e) {
                    dev.berth.engine.snapshot.Mounter.unmount(target);
                    throw e;
                }
            }
            return;
        }
        call(device, target, type, opts.flags(), opts.data().isEmpty() ? null : opts.data(), o);
    }

    private static void call(String source, Path target, String fstype, long flags, String data, String o) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment src = source == null ? MemorySegment.NULL : a.allocateFrom(source);
            MemorySegment type = fstype == null ? MemorySegment.NULL : a.allocateFrom(fstype);
            MemorySegment d = data == null ? MemorySegment.NULL : a.allocateFrom(data);
            int rc = (int) MOUNT.invokeExact(st, src, a.allocateFrom(target.toString()), type, flags, d);
            if (rc != 0) {
                int errno = (int) ERRNO.get(st, 0L);
                throw new EngineException.Unavailable("failed to mount local volume: mount " + source + ":" + target
                        + (fstype == null ? "" : " type " + fstype) + (o == null || o.isEmpty() ? "" : " options " + o)
                        + ": " + Posix.strerror(errno));
            }
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
