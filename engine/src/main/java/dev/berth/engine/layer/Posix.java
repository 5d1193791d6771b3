package dev.berth.engine.layer;

import java.io.IOException;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The few Linux file-system calls the JDK does not offer, called through the FFM API:
 * ownership and times of symbolic links themselves, device nodes, extended attributes,
 * full modes (setuid, setgid, sticky), {@code syncfs}. Every call works on the path
 * given and never follows a symbolic link in its last component (the {@code l*} variants,
 * {@code AT_SYMLINK_NOFOLLOW}); {@link #chmod} is only called on non-links.
 *
 * <p>Failures are {@link IOException}s naming the call, the path and the errno text.
 */
public final class Posix {

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    static final int EPERM = 1;
    static final int ENODATA = 61;
    static final int EOPNOTSUPP = 95;
    static final int ERANGE = 34;

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_CLOEXEC = 02000000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle LCHOWN = fn("lchown", FunctionDescriptor.of(INT, PTR, INT, INT));
    private static final MethodHandle CHMOD = fn("chmod", FunctionDescriptor.of(INT, PTR, INT));
    private static final MethodHandle MKNOD = fn("mknod", FunctionDescriptor.of(INT, PTR, INT, LONG));
    private static final MethodHandle LSETXATTR = fn("lsetxattr", FunctionDescriptor.of(INT, PTR, PTR, PTR, LONG, INT));
    private static final MethodHandle LGETXATTR = fn("lgetxattr", FunctionDescriptor.of(LONG, PTR, PTR, PTR, LONG));
    private static final MethodHandle LLISTXATTR = fn("llistxattr", FunctionDescriptor.of(LONG, PTR, PTR, LONG));
    private static final MethodHandle UTIMENSAT = fn("utimensat", FunctionDescriptor.of(INT, INT, PTR, PTR, INT));
    private static final MethodHandle OPEN = fn("open", FunctionDescriptor.of(INT, PTR, INT, INT));
    private static final MethodHandle SYNCFS = fn("syncfs", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LIBC.find("strerror").orElseThrow(), FunctionDescriptor.of(PTR, INT));

    private Posix() {}

    private static MethodHandle fn(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name)),
                fd, Linker.Option.captureCallState("errno"));
    }

    /** The C library's text for {@code errno}. */
    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(512).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** A failed call: the errno is kept so callers can tell ENODATA from EPERM. */
    public static final class ErrnoException extends IOException {
        private final int errno;

        ErrnoException(String call, Object path, int errno) {
            super(call + " " + path + ": " + strerror(errno));
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static RuntimeException unexpected(Throwable t) {
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }

    /** {@code lchown(2)}: owner of {@code path} itself, a link is not followed. */
    public static void lchown(Path path, int uid, int gid) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int rc = (int) LCHOWN.invokeExact(st, a.allocateFrom(path.toString()), uid, gid);
            if (rc != 0) {
                throw new ErrnoException("lchown", path, errno(st));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code chmod(2)} with the full 12 permission bits (setuid, setgid, sticky). Never call it on a symlink. */
    public static void chmod(Path path, int mode) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int rc = (int) CHMOD.invokeExact(st, a.allocateFrom(path.toString()), mode & 07777);
            if (rc != 0) {
                throw new ErrnoException("chmod", path, errno(st));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code mknod(2)}: {@code type} is one of S_IFCHR, S_IFBLK, S_IFIFO. */
    public static void mknod(Path path, int type, int perm, long major, long minor) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int rc = (int) MKNOD.invokeExact(st, a.allocateFrom(path.toString()), type | (perm & 07777), makedev(major, minor));
            if (rc != 0) {
                throw new ErrnoException("mknod", path, errno(st));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** glibc's {@code makedev}. */
    public static long makedev(long major, long minor) {
        return ((major & 0xfffL) << 8) | ((major & ~0xfffL) << 32) | (minor & 0xffL) | ((minor & ~0xffL) << 12);
    }

    /** glibc's {@code major} of an {@code st_rdev}. */
    public static long major(long dev) {
        return ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL);
    }

    /** glibc's {@code minor} of an {@code st_rdev}. */
    public static long minor(long dev) {
        return (dev & 0xffL) | ((dev >>> 12) & ~0xffL);
    }

    /** {@code lsetxattr(2)}. */
    public static void lsetxattr(Path path, String name, byte[] value) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment v = a.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
            int rc = (int) LSETXATTR.invokeExact(st, a.allocateFrom(path.toString()), a.allocateFrom(name), v,
                    (long) value.length, 0);
            if (rc != 0) {
                throw new ErrnoException("lsetxattr " + name, path, errno(st));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code lgetxattr(2)}: empty when the attribute is not set (or the file system has none). */
    public static Optional<byte[]> lgetxattr(Path path, String name) throws IOException {
        int size = 256;
        while (true) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment st = a.allocate(CAPTURE);
                MemorySegment buf = a.allocate(size);
                long n = (long) LGETXATTR.invokeExact(st, a.allocateFrom(path.toString()), a.allocateFrom(name), buf, (long) size);
                if (n >= 0) {
                    return Optional.of(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                }
                int e = errno(st);
                if (e == ENODATA || e == EOPNOTSUPP) {
                    return Optional.empty();
                }
                if (e == ERANGE && size < (1 << 20)) {
                    size *= 4;
                    continue;
                }
                throw new ErrnoException("lgetxattr " + name, path, e);
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw unexpected(t);
            }
        }
    }

    /** {@code llistxattr(2)}: the attribute names of {@code path} itself. */
    public static List<String> llistxattr(Path path) throws IOException {
        int size = 1024;
        while (true) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment st = a.allocate(CAPTURE);
                MemorySegment buf = a.allocate(size);
                long n = (long) LLISTXATTR.invokeExact(st, a.allocateFrom(path.toString()), buf, (long) size);
                if (n < 0) {
                    int e = errno(st);
                    if (e == EOPNOTSUPP) {
                        return List.of();
                    }
                    if (e == ERANGE && size < (1 << 20)) {
                        size *= 4;
                        continue;
                    }
                    throw new ErrnoException("llistxattr", path, e);
                }
                byte[] raw = buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                List<String> names = new ArrayList<>();
                int start = 0;
                for (int i = 0; i < raw.length; i++) {
                    if (raw[i] == 0) {
                        if (i > start) {
                            names.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                        }
                        start = i + 1;
                    }
                }
                return names;
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw unexpected(t);
            }
        }
    }

    /** {@code utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW)}: times of {@code path} itself. */
    public static void lutimes(Path path, long atimeSec, long atimeNanos, long mtimeSec, long mtimeNanos) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment ts = a.allocate(LONG, 4);
            ts.setAtIndex(LONG, 0, atimeSec);
            ts.setAtIndex(LONG, 1, atimeNanos);
            ts.setAtIndex(LONG, 2, mtimeSec);
            ts.setAtIndex(LONG, 3, mtimeNanos);
            int rc = (int) UTIMENSAT.invokeExact(st, AT_FDCWD, a.allocateFrom(path.toString()), ts, AT_SYMLINK_NOFOLLOW);
            if (rc != 0) {
                throw new ErrnoException("utimensat", path, errno(st));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code syncfs(2)} on the file system holding the directory {@code dir}. */
    public static void syncfs(Path dir) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(st, a.allocateFrom(dir.toString()), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
            if (fd < 0) {
                throw new ErrnoException("open", dir, errno(st));
            }
            try {
                int rc = (int) SYNCFS.invokeExact(st, fd);
                if (rc != 0) {
                    throw new ErrnoException("syncfs", dir, errno(st));
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(st, fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
