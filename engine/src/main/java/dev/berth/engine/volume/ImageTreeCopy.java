package dev.berth.engine.volume;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.layer.Posix;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Copies a directory tree of an image's root filesystem into a volume without ever following a
 * symbolic link: links are copied as links, hard links stay hard links, device nodes and FIFOs
 * are made anew, and each entry keeps its full mode (setuid, setgid, sticky), owner, times and
 * extended attributes. Sockets are skipped (they mean nothing without their process).
 */
final class ImageTreeCopy {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int MAX_LINKS = 255;

    private ImageTreeCopy() {}

    /**
     * Resolves the absolute {@code path} inside {@code root} as if {@code root} were {@code /}:
     * {@code ..} stops at the root and a symbolic link (absolute or relative) is followed only
     * within it. Empty when some component does not exist.
     */
    static Optional<Path> resolveInRoot(Path root, String path) {
        Deque<String> todo = new ArrayDeque<>(components(path));
        List<String> resolved = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.removeLast();
                }
                continue;
            }
            Path candidate = join(root, resolved).resolve(c);
            if (!Files.exists(candidate, NOFOLLOW)) {
                return Optional.empty();
            }
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new EngineException.InvalidArgument("too many levels of symbolic links resolving " + path
                            + " in " + root);
                }
                String target;
                try {
                    target = Files.readSymbolicLink(candidate).toString();
                } catch (IOException e) {
                    throw new EngineException.Unavailable("cannot read the link " + candidate + ": " + e.getMessage(), e);
                }
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                List<String> parts = components(target);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
                continue;
            }
            resolved.add(c);
        }
        return Optional.of(join(root, resolved));
    }

    private static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static Path join(Path root, List<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }

    /** Copies what is under {@code source} into the existing, empty directory {@code dest}; returns the entries copied. */
    static long copy(Path source, Path dest) {
        Copier copier = new Copier(source, dest);
        try {
            Files.walkFileTree(source, EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE, copier);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot copy the image's content at " + source + " into the volume at "
                    + dest + ": " + e.getMessage(), e);
        }
        return copier.entries;
    }

    private record Inode(long dev, long ino) {}

    private static final class Copier extends SimpleFileVisitor<Path> {
        private final Path source;
        private final Path dest;
        private final Map<Inode, Path> linked = new HashMap<>();
        long entries;

        Copier(Path source, Path dest) {
            this.source = source;
            this.dest = dest;
        }

        private Path target(Path p) {
            return dest.resolve(source.relativize(p).toString());
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            if (!dir.equals(source)) {
                Files.createDirectory(target(dir));
                entries++;
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            if (exc != null) {
                throw exc;
            }
            // after the children: adding them changed the directory's times
            applyMetadata(dir, target(dir), unix(dir));
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
            throw exc;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes basic) throws IOException {
            Map<String, Object> a = unix(file);
            int mode = (Integer) a.get("mode");
            int type = mode & Posix.S_IFMT;
            Path to = target(file);
            switch (type) {
                case Posix.S_IFLNK -> Files.createSymbolicLink(to, Files.readSymbolicLink(file));
                case Posix.S_IFREG -> {
                    Inode key = new Inode(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue());
                    Path first = ((Integer) a.get("nlink")) > 1 ? linked.get(key) : null;
                    if (first != null) {
                        Files.createLink(to, first);
                        entries++;
                        return FileVisitResult.CONTINUE; // one inode: its metadata is set already
                    }
                    Files.copy(file, to, NOFOLLOW);
                    if ((Integer) a.get("nlink") > 1) {
                        linked.put(key, to);
                    }
                }
                case Posix.S_IFCHR, Posix.S_IFBLK, Posix.S_IFIFO -> {
                    long rdev = ((Number) a.get("rdev")).longValue();
                    Posix.mknod(to, type, mode & 07777, Posix.major(rdev), Posix.minor(rdev));
                }
                default -> {
                    return FileVisitResult.CONTINUE; // a socket: skipped
                }
            }
            applyMetadata(file, to, a);
            entries++;
            return FileVisitResult.CONTINUE;
        }
    }

    private static Map<String, Object> unix(Path p) throws IOException {
        return Files.readAttributes(p, "unix:mode,uid,gid,ino,dev,nlink,rdev,lastModifiedTime,lastAccessTime", NOFOLLOW);
    }

    /** Owner, then mode (a chown clears setuid), extended attributes, then times (last: the others change ctime only). */
    private static void applyMetadata(Path from, Path to, Map<String, Object> a) throws IOException {
        int mode = (Integer) a.get("mode");
        boolean link = (mode & Posix.S_IFMT) == Posix.S_IFLNK;
        Posix.lchown(to, (Integer) a.get("uid"), (Integer) a.get("gid"));
        if (!link) {
            Posix.chmod(to, mode & 07777);
        }
        for (String name : Posix.llistxattr(from)) {
            Optional<byte[]> value = Posix.lgetxattr(from, name);
            if (value.isEmpty()) {
                continue;
            }
            try {
                Posix.lsetxattr(to, name, value.get());
            } catch (Posix.ErrnoException e) {
                // a file system without that namespace (or user.* on a link): nothing to keep it in
                if (e.errno() != 95 && e.errno() != 1) {
                    throw e;
                }
            }
        }
        FileTime mtime = (FileTime) a.get("lastModifiedTime");
        FileTime atime = (FileTime) a.get("lastAccessTime");
        Posix.lutimes(to, atime.toInstant().getEpochSecond(), atime.toInstant().getNano(),
                mtime.toInstant().getEpochSecond(), mtime.toInstant().getNano());
    }

    /** Whether {@code dir} has no entries. */
    static boolean isEmpty(Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }
}
