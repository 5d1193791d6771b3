package dev.berth.engine.container.inspect;

import dev.berth.engine.state.FileTrees;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.fs.RootedPath;
import dev.berth.engine.layer.Posix;
import dev.berth.engine.layer.TarWriter;
import dev.berth.engine.runtime.spec.RootfsPath;
import dev.berth.engine.runtime.spec.UserResolver;
import dev.berth.engine.state.Json;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code docker cp}: the container side of {@code GET}/{@code HEAD}/{@code PUT /containers/{id}/archive}.
 * Works on any directory that shows the container's root filesystem: the host-side mount of a
 * stopped or running container's rootfs, or {@code /proc/<pid>/root} of a running one.
 *
 * <p>Every path is resolved <em>inside</em> the root: a symbolic link in the container is
 * interpreted as the container would see it (an absolute target starts at the container's root,
 * {@code ..} stops at it), so {@code /x -> /etc} means the container's {@code /etc}, never the
 * host's. As in Docker, the last component of a path to read or stat is not followed (a link is
 * copied as a link) unless the path ends in {@code /} or {@code /.}.
 *
 * <p>Extraction ({@link #extract}) refuses entries whose name climbs out of the target directory
 * ({@code ../x}, absolute names are taken relative to it), resolves each entry's parent inside
 * the container's root, checks again that the resolved parent is a directory inside the root,
 * and creates the last component with no-follow calls. A running container could still swap a
 * directory for a link between the check and the write; the window is one system call wide and
 * the link would again be one the container itself can follow. Walking a directory tree of a
 * <em>running</em> container ({@link #archive}) has the same kind of window (Docker's
 * CVE-2018-15664): callers should pause the container around {@code archive} and {@code extract}
 * of a running container, as Docker does since 19.03.
 */
public final class ContainerArchive {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    // Go's os.FileMode type bits, which Docker's stat header carries
    static final long MODE_DIR = 1L << 31;
    static final long MODE_SYMLINK = 1L << 27;
    static final long MODE_DEVICE = 1L << 26;
    static final long MODE_NAMED_PIPE = 1L << 25;
    static final long MODE_SOCKET = 1L << 24;
    static final long MODE_SETUID = 1L << 23;
    static final long MODE_SETGID = 1L << 22;
    static final long MODE_CHAR_DEVICE = 1L << 21;
    static final long MODE_STICKY = 1L << 20;

    private ContainerArchive() {}

    /**
     * Docker's {@code ContainerPathStat}, the JSON of the {@code X-Docker-Container-Path-Stat} header.
     *
     * @param name       the last component of the path asked for ({@code /} for the root)
     * @param mode       Go's {@code os.FileMode}: permission bits plus type bits ({@code 1<<31} directory, ...)
     * @param mtime      modification time
     * @param linkTarget for a symbolic link, the path (inside the container) it resolves to; else empty
     */
    public record PathStat(@JsonProperty("name") String name, @JsonProperty("size") long size,
                           @JsonProperty("mode") long mode, @JsonProperty("mtime") String mtime,
                           @JsonProperty("linkTarget") String linkTarget) {

        public boolean isDir() {
            return (mode & MODE_DIR) != 0;
        }

        public boolean isSymlink() {
            return (mode & MODE_SYMLINK) != 0;
        }

        /** The value of the {@code X-Docker-Container-Path-Stat} header: base64 of the JSON. */
        public String header() {
            return Base64.getEncoder().encodeToString(Json.toBytes(this));
        }
    }

    /**
     * Options of {@code PUT /archive}.
     *
     * @param noOverwriteDirNonDir refuse to replace a directory with a non-directory or the reverse
     * @param chownUid when present, every extracted entry is owned by this uid (and {@link #chownGid})
     *                 instead of the uid/gid in the tar ({@code copyUIDGID} with a container user)
     */
    public record ExtractOptions(boolean noOverwriteDirNonDir, OptionalLong chownUid, OptionalLong chownGid) {

        public static final ExtractOptions DEFAULT = new ExtractOptions(false, OptionalLong.empty(), OptionalLong.empty());

        /**
         * Docker's {@code copyUIDGID=1}: entries belong to the container's user ({@code Config.User},
         * looked up in the container's own passwd and group); an empty user means root, and the
         * tar's own owners are kept, as Docker does.
         */
        public static ExtractOptions copyUidGid(Path root, String user, boolean noOverwriteDirNonDir) {
            if (user == null || user.isEmpty()) {
                return new ExtractOptions(noOverwriteDirNonDir, OptionalLong.empty(), OptionalLong.empty());
            }
            UserResolver.ExecUser u = UserResolver.resolve(root, user);
            return new ExtractOptions(noOverwriteDirNonDir, OptionalLong.of(u.uid()), OptionalLong.of(u.gid()));
        }
    }

    /** A path as Docker splits it: absolute and cleaned, its resolved host path, and the name archives use. */
    record Located(String absPath, Path hostPath, String name) {}

    /** Cleans {@code path} lexically as an absolute path ({@code ..} stops at {@code /}), keeping a trailing {@code /} or {@code /.}. */
    static String clean(String path) {
        List<String> parts;
        try {
            parts = RootedPath.names(path, RootedPath.DotDot.STOP_AT_ROOT);
        } catch (RootedPath.Refused r) {
            throw new EngineException.InvalidArgument("invalid path " + path + " in the container: " + r.getMessage());
        }
        String abs = "/" + String.join("/", parts);
        if (!abs.equals("/")) {
            if (path.endsWith("/.")) {
                abs += "/.";
            } else if (path.endsWith("/")) {
                abs += "/";
            }
        }
        return abs;
    }

    static Located locate(Path root, String containerPath) {
        if (containerPath == null || containerPath.isEmpty()) {
            throw new EngineException.InvalidArgument("a path inside the container is required");
        }
        String abs = clean(containerPath);
        if (abs.equals("/")) {
            // "/." so that /proc/<pid>/root is entered, not read as the link it is
            return new Located(abs, RootfsPath.resolve(root, "/").resolve("."), "/");
        }
        if (abs.endsWith("/.") || abs.endsWith("/")) {
            String dir = abs.endsWith("/.") ? abs.substring(0, abs.length() - 2) : abs.substring(0, abs.length() - 1);
            String name = abs.endsWith("/.") ? "." : dir.substring(dir.lastIndexOf('/') + 1);
            return new Located(abs, RootfsPath.resolve(root, dir).resolve("."), name);
        }
        int slash = abs.lastIndexOf('/');
        String base = abs.substring(slash + 1);
        Path dir = RootfsPath.resolve(root, abs.substring(0, slash + 1));
        return new Located(abs, dir.resolve(base), base);
    }

    /**
     * Docker's stat of a path in the container ({@code HEAD /archive}).
     *
     * @throws EngineException.NotFound when nothing is at that path
     */
    public static PathStat stat(Path root, String containerPath) {
        Located l = locate(root, containerPath);
        Map<String, Object> a;
        try {
            a = Files.readAttributes(l.hostPath(), "unix:mode,size,lastModifiedTime", NOFOLLOW);
        } catch (NoSuchFileException e) {
            throw new EngineException.NotFound("Could not find the file " + l.absPath() + " in container");
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot stat " + l.absPath() + " in the container: " + e.getMessage(), e);
        }
        int mode = (int) a.get("mode");
        String linkTarget = "";
        if ((mode & Posix.S_IFMT) == Posix.S_IFLNK) {
            Path resolved = RootfsPath.resolve(root, l.absPath());
            Path realRoot = RootfsPath.resolve(root, "/");
            linkTarget = "/" + realRoot.relativize(resolved).toString();
        }
        Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
        return new PathStat(l.name(), ((Number) a.get("size")).longValue(), goMode(mode),
                DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(mtime.atOffset(java.time.ZoneOffset.UTC)), linkTarget);
    }

    /** Converts a {@code st_mode} to Go's {@code os.FileMode}. */
    static long goMode(int mode) {
        long m = mode & 0777;
        switch (mode & Posix.S_IFMT) {
            case Posix.S_IFDIR -> m |= MODE_DIR;
            case Posix.S_IFLNK -> m |= MODE_SYMLINK;
            case Posix.S_IFBLK -> m |= MODE_DEVICE;
            case Posix.S_IFCHR -> m |= MODE_DEVICE | MODE_CHAR_DEVICE;
            case Posix.S_IFIFO -> m |= MODE_NAMED_PIPE;
            case Posix.S_IFSOCK -> m |= MODE_SOCKET;
            default -> { }
        }
        if ((mode & 04000) != 0) {
            m |= MODE_SETUID;
        }
        if ((mode & 02000) != 0) {
            m |= MODE_SETGID;
        }
        if ((mode & 01000) != 0) {
            m |= MODE_STICKY;
        }
        return m;
    }

    /**
     * {@code GET /archive}: writes the path as an uncompressed tar to {@code out} (not closed)
     * and returns its stat (for the header, which a caller sends before the body). Entries are
     * named from the last component of the path, as Docker names them ({@code /etc} gives
     * {@code etc/}, {@code etc/passwd}, ...). Mount points below the path (a running container's
     * {@code /proc}) are written as empty directories.
     */
    public static PathStat archive(Path root, String containerPath, OutputStream out) {
        PathStat st = stat(root, containerPath);
        Located l = locate(root, containerPath);
        String name = l.name().equals("/") ? "." : l.name();
        try {
            TarWriter w = new TarWriter(out);
            new TreeTar(w, Set.of()).write(l.hostPath(), name);
            w.close();
        } catch (NoSuchFileException e) {
            throw new EngineException.NotFound("Could not find the file " + l.absPath() + " in container");
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot archive " + l.absPath() + " of the container: " + e.getMessage(), e);
        }
        return st;
    }

    /**
     * {@code PUT /archive}: extracts an uncompressed tar into the directory {@code containerDir}
     * of the container (symbolic links in that path are followed inside the root).
     *
     * @return the number of entries extracted
     * @throws EngineException.NotFound when the directory does not exist
     * @throws EngineException.InvalidArgument when it is not a directory, an entry escapes it, an
     *         entry would replace a directory with a non-directory (or the reverse) under
     *         {@code noOverwriteDirNonDir}, or the tar is malformed
     */
    public static long extract(Path root, String containerDir, InputStream tar, ExtractOptions options) {
        // never toRealPath(): /proc/<pid>/root is a magic link whose text is not a path to follow
        Path realRoot = root.toAbsolutePath().normalize();
        String dirAbs = clean(containerDir);
        if (dirAbs.endsWith("/.")) {
            dirAbs = dirAbs.substring(0, dirAbs.length() - 2);
        }
        Path dest = RootfsPath.resolve(realRoot, dirAbs);
        BasicFileAttributes da = lstat(dest.equals(realRoot) ? dest.resolve(".") : dest);
        if (da == null) {
            throw new EngineException.NotFound("Could not find the file " + dirAbs + " in container");
        }
        if (!da.isDirectory()) {
            throw new EngineException.InvalidArgument("extraction point is not a directory: " + dirAbs);
        }
        return new Extraction(realRoot, dirAbs.equals("/") ? "" : dirAbs, options).run(tar);
    }

    private static BasicFileAttributes lstat(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        } catch (IOException e) {
            return null;
        }
    }

    /** One {@code PUT /archive}. */
    private static final class Extraction {
        private final Path root;
        private final String destAbs;
        private final ExtractOptions options;
        private final List<Object[]> dirTimes = new ArrayList<>();

        Extraction(Path root, String destAbs, ExtractOptions options) {
            this.root = root;
            this.destAbs = destAbs;
            this.options = options;
        }

        long run(InputStream in) {
            long count = 0;
            TarArchiveInputStream tar = new TarArchiveInputStream(in);
            TarArchiveEntry e;
            try {
                while ((e = tar.getNextEntry()) != null) {
                    count++;
                    one(e, tar);
                }
                for (int i = dirTimes.size() - 1; i >= 0; i--) {
                    Object[] dt = dirTimes.get(i);
                    Instant t = (Instant) dt[1];
                    Posix.lutimes((Path) dt[0], t.getEpochSecond(), t.getNano(), t.getEpochSecond(), t.getNano());
                }
            } catch (EngineException ex) {
                throw ex;
            } catch (IOException ex) {
                throw new EngineException.InvalidArgument("cannot extract the archive into " + (destAbs.isEmpty() ? "/" : destAbs)
                        + " (entry " + count + "): " + ex.getMessage(), ex);
            }
            return count;
        }

        /** The entry's path relative to the extraction directory, cleaned; null for the directory itself. */
        private String relative(String name) {
            List<String> parts;
            try {
                parts = RootedPath.names(name, RootedPath.DotDot.REFUSE_ABOVE_ROOT);
            } catch (RootedPath.Refused r) {
                throw new EngineException.InvalidArgument("invalid archive entry " + name
                        + (r.problem() instanceof RootedPath.ClimbsOut ? ": it would be written outside " + (destAbs.isEmpty() ? "/" : destAbs)
                        : ": " + r.getMessage()));
            }
            return parts.isEmpty() ? null : String.join("/", parts);
        }

        /**
         * Resolves the parent of {@code rel} inside the root (creating missing directories) and
         * returns the host path of {@code rel}. Every component below the root is checked with
         * no-follow calls: each must be a real directory, not a link (one planted meanwhile by a
         * running container or by an earlier entry).
         */
        private Path target(String rel, boolean createParents) throws IOException {
            int slash = rel.lastIndexOf('/');
            String parentAbs = destAbs + (slash < 0 ? "" : "/" + rel.substring(0, slash));
            Path parent = RootfsPath.resolve(root, parentAbs.isEmpty() ? "/" : parentAbs);
            List<String> names = new ArrayList<>();
            root.relativize(parent).forEach(n -> names.add(n.toString()));
            if (parent.equals(root)) {
                names.clear();
            }
            Path p;
            try {
                // a fresh walker each time: the running container may change the tree between entries
                RootedPath inside = RootedPath.in(root);
                p = createParents ? inside.directory(names, Files::createDirectory) : inside.existingDirectory(names);
            } catch (RootedPath.Refused r) {
                throw new EngineException.InvalidArgument("cannot extract " + rel + ": " + parentAbs
                        + " is not a directory in the container");
            }
            return p.resolve(rel.substring(slash + 1));
        }

        private void one(TarArchiveEntry e, TarArchiveInputStream tar) throws IOException {
            String rel = relative(e.getName());
            boolean dir = e.isDirectory();
            if (rel == null) {
                if (!dir) {
                    throw new EngineException.InvalidArgument("invalid archive entry " + e.getName() + ": it names the extraction directory");
                }
                return; // "./": the extraction directory itself is left as it is
            }
            Path p = target(rel, true);
            BasicFileAttributes existing = lstat(p);
            if (existing != null) {
                if (options.noOverwriteDirNonDir()) {
                    if (existing.isDirectory() && !dir) {
                        throw new EngineException.InvalidArgument("cannot overwrite directory \"" + inContainer(rel)
                                + "\" with non-directory \"" + e.getName() + "\"");
                    }
                    if (!existing.isDirectory() && dir) {
                        throw new EngineException.InvalidArgument("cannot overwrite non-directory \"" + inContainer(rel)
                                + "\" with directory \"" + e.getName() + "\"");
                    }
                }
                if (!(existing.isDirectory() && dir)) {
                    deleteTree(p);
                }
            }
            if (dir) {
                if (existing == null || !existing.isDirectory()) {
                    Files.createDirectory(p);
                }
            } else if (e.isSymbolicLink()) {
                Files.createSymbolicLink(p, Path.of(e.getLinkName()));
            } else if (e.isLink()) {
                String targetRel = relative(e.getLinkName());
                if (targetRel == null) {
                    throw new EngineException.InvalidArgument("invalid hard link " + e.getName() + " -> " + e.getLinkName());
                }
                Path target = target(targetRel, false);
                BasicFileAttributes ta = lstat(target);
                if (ta == null || ta.isDirectory()) {
                    throw new EngineException.InvalidArgument("invalid hard link " + e.getName() + " -> " + e.getLinkName()
                            + ": the target is missing or a directory");
                }
                Files.createLink(p, target);
                return; // a hard link shares the target's owner, mode and times
            } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                int type = e.isFIFO() ? Posix.S_IFIFO : e.isCharacterDevice() ? Posix.S_IFCHR : Posix.S_IFBLK;
                Posix.mknod(p, type, e.getMode() & 07777, e.getDevMajor(), e.getDevMinor());
            } else if (e.isFile()) {
                try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW)) {
                    tar.transferTo(out);
                }
            } else {
                throw new EngineException.InvalidArgument("unsupported archive entry " + e.getName() + " (type "
                        + (char) e.getLinkFlag() + ")");
            }
            long uid = options.chownUid().orElse(e.getLongUserId());
            long gid = options.chownGid().orElse(e.getLongGroupId());
            Posix.lchown(p, (int) uid, (int) gid);
            Instant mtime = e.getLastModifiedTime() == null ? Instant.now() : e.getLastModifiedTime().toInstant();
            if (dir || e.isFile()) {
                // after chown, which clears setuid/setgid bits; through a no-follow descriptor (fchmod), so a
                // running container that swaps the new file for a link cannot make this chmod a host file
                Files.setAttribute(p, "unix:mode", e.getMode() & 07777, NOFOLLOW);
            } else if (!e.isSymbolicLink()) {
                Posix.chmod(p, e.getMode() & 07777); // a device or FIFO just made by mknod (opening a FIFO would block)
            }
            if (dir) {
                dirTimes.add(new Object[] {p, mtime});
            } else {
                Posix.lutimes(p, mtime.getEpochSecond(), mtime.getNano(), mtime.getEpochSecond(), mtime.getNano());
            }
        }

        private String inContainer(String rel) {
            return destAbs + "/" + rel;
        }
    }

    /** Removes a file, link or directory tree without following any link. */
    static void deleteTree(Path p) throws IOException {
        FileTrees.deleteTree(p);
    }
}
