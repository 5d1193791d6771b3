package dev.berth.engine.layer;

import dev.berth.engine.errors.EngineException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reverse of {@link LayerApplier}: reads an overlayfs upper directory against its lower
 * directories and produces what {@code docker diff} shows and a layer tar for
 * {@code docker commit} and builds. Overlay whiteouts (0/0 character devices) become
 * {@code .wh.NAME} entries, opaque directories get a {@code .wh..wh..opq} entry, hard links
 * inside the upper directory become tar hard links. Times are truncated to seconds, as Docker
 * does, so that the same tree gives the same layer. The overlay's own {@code trusted.overlay.*}
 * attributes are never copied into a layer.
 *
 * <p>Reads only; never changes the directories it is given.
 */
public final class Changeset {

    /** Docker's change kinds, in Docker's order (0 Modified, 1 Added, 2 Deleted). */
    public enum Kind { MODIFIED, ADDED, DELETED }

    /** One changed path, absolute inside the container ({@code /etc/passwd}). */
    public record Change(Kind kind, String path) {}

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final List<Path> lowers;
    private final Path upper;
    private final TarWriter tar;
    private final List<Change> changes = new ArrayList<>();
    private final Map<String, String> firstPathOfInode = new HashMap<>();

    private Changeset(List<Path> lowers, Path upper, TarWriter tar) {
        this.lowers = List.copyOf(lowers);
        this.upper = upper;
        this.tar = tar;
    }

    /**
     * The changes an upper directory makes to its lowers.
     *
     * @param lowerDirs the lower directories, newest first (as in overlay's {@code lowerdir=})
     */
    public static List<Change> changes(List<Path> lowerDirs, Path upperDir) {
        return run(lowerDirs, upperDir, null);
    }

    /**
     * Writes the upper directory as a layer tar to {@code out} (uncompressed; not closed) and
     * returns the changes it holds.
     *
     * @param lowerDirs the lower directories, newest first
     */
    public static List<Change> diff(List<Path> lowerDirs, Path upperDir, OutputStream out) {
        TarWriter w = new TarWriter(out);
        List<Change> result = run(lowerDirs, upperDir, w);
        try {
            w.close();
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot write the layer of " + upperDir + ": " + e.getMessage(), e);
        }
        return result;
    }

    private static List<Change> run(List<Path> lowerDirs, Path upperDir, TarWriter w) {
        Changeset c = new Changeset(lowerDirs, upperDir, w);
        try {
            c.walk("", false);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read the changes in " + upperDir + ": " + e.getMessage(), e);
        }
        c.changes.sort(Comparator.comparing(Change::path));
        return List.copyOf(c.changes);
    }

    private void walk(String dirRel, boolean hidden) throws IOException {
        Path dir = dirRel.isEmpty() ? upper : upper.resolve(dirRel);
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        }
        for (String name : names) {
            String rel = dirRel.isEmpty() ? name : dirRel + "/" + name;
            Path p = upper.resolve(rel);
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,ino,dev,nlink,size,lastModifiedTime", NOFOLLOW);
            int mode = (int) a.get("mode");
            int fmt = mode & Posix.S_IFMT;
            FileTime mtime = FileTime.from(((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond(),
                    java.util.concurrent.TimeUnit.SECONDS);
            if (fmt == Posix.S_IFCHR && (long) a.get("rdev") == 0) {
                changes.add(new Change(Kind.DELETED, "/" + rel));
                emit(new TarEntry(parentPrefix(dirRel) + OverlayApplier.WHITEOUT_PREFIX + name, TarEntry.Type.FILE, 0,
                        0, 0, 0, mtime, null, "", 0, 0, Map.of()), null);
                continue;
            }
            boolean inLower = !hidden && lowerHas(rel);
            changes.add(new Change(inLower ? Kind.MODIFIED : Kind.ADDED, "/" + rel));
            long uid = ((Number) a.get("uid")).longValue();
            long gid = ((Number) a.get("gid")).longValue();
            Map<String, byte[]> xattrs = xattrs(p);
            int perm = mode & 07777;
            switch (fmt) {
                case Posix.S_IFDIR -> {
                    boolean opaque = Posix.lgetxattr(p, OverlayApplier.OPAQUE_XATTR)
                            .map(v -> new String(v, java.nio.charset.StandardCharsets.US_ASCII).equals("y")).orElse(false);
                    emit(new TarEntry(rel + "/", TarEntry.Type.DIRECTORY, perm, uid, gid, 0, mtime, null, "", 0, 0, xattrs), null);
                    if (opaque) {
                        emit(new TarEntry(rel + "/" + OverlayApplier.OPAQUE_MARKER, TarEntry.Type.FILE, 0, 0, 0, 0, mtime,
                                null, "", 0, 0, Map.of()), null);
                        if (inLower) {
                            Set<String> kept = new TreeSet<>();
                            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                                for (Path c : ds) {
                                    kept.add(c.getFileName().toString());
                                }
                            }
                            for (String gone : lowerChildren(rel)) {
                                if (!kept.contains(gone)) {
                                    changes.add(new Change(Kind.DELETED, "/" + rel + "/" + gone));
                                }
                            }
                        }
                    }
                    walk(rel, hidden || opaque);
                }
                case Posix.S_IFREG -> {
                    long nlink = ((Number) a.get("nlink")).longValue();
                    String inode = a.get("dev") + ":" + a.get("ino");
                    if (nlink > 1 && firstPathOfInode.containsKey(inode)) {
                        emit(new TarEntry(rel, TarEntry.Type.HARDLINK, perm, uid, gid, 0, mtime, null,
                                firstPathOfInode.get(inode), 0, 0, Map.of()), null);
                        break;
                    }
                    if (nlink > 1) {
                        firstPathOfInode.put(inode, rel);
                    }
                    long size = ((Number) a.get("size")).longValue();
                    if (tar != null) {
                        try (InputStream in = Files.newInputStream(p, NOFOLLOW)) {
                            emit(new TarEntry(rel, TarEntry.Type.FILE, perm, uid, gid, size, mtime, null, "", 0, 0, xattrs), in);
                        }
                    }
                }
                case Posix.S_IFLNK -> emit(new TarEntry(rel, TarEntry.Type.SYMLINK, 0777, uid, gid, 0, mtime, null,
                        Files.readSymbolicLink(p).toString(), 0, 0, xattrs), null);
                case Posix.S_IFCHR, Posix.S_IFBLK -> {
                    long rdev = ((Number) a.get("rdev")).longValue();
                    emit(new TarEntry(rel, fmt == Posix.S_IFCHR ? TarEntry.Type.CHAR_DEVICE : TarEntry.Type.BLOCK_DEVICE,
                            perm, uid, gid, 0, mtime, null, "", Posix.major(rdev), Posix.minor(rdev), xattrs), null);
                }
                case Posix.S_IFIFO -> emit(new TarEntry(rel, TarEntry.Type.FIFO, perm, uid, gid, 0, mtime, null, "", 0, 0,
                        xattrs), null);
                default -> { } // sockets are not part of a layer, as in Docker
            }
        }
    }

    private void emit(TarEntry e, InputStream content) throws IOException {
        if (tar != null) {
            tar.write(e, content);
        }
    }

    private static String parentPrefix(String dirRel) {
        return dirRel.isEmpty() ? "" : dirRel + "/";
    }

    private static Map<String, byte[]> xattrs(Path p) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String name : Posix.llistxattr(p)) {
            if (name.startsWith("trusted.overlay.") || name.equals("security.selinux")) {
                continue;
            }
            Optional<byte[]> v = Posix.lgetxattr(p, name);
            v.ifPresent(bytes -> out.put(name, bytes));
        }
        return out;
    }

    /** Whether {@code rel} exists in the merged view of the lower directories. */
    private boolean lowerHas(String rel) throws IOException {
        String[] parts = rel.split("/");
        for (Path lower : lowers) {
            BasicFileAttributes a = OverlayApplier.lstat(lower.resolve(rel));
            if (a != null) {
                return !isWhiteout(lower.resolve(rel), a);
            }
            // not in this layer: does this layer hide it (a whiteout, a file or an opaque directory above it)?
            Path d = lower;
            for (int i = 0; i < parts.length - 1; i++) {
                d = d.resolve(parts[i]);
                BasicFileAttributes da = OverlayApplier.lstat(d);
                if (da == null) {
                    break;
                }
                if (!da.isDirectory() || isOpaque(d)) {
                    return false;
                }
            }
        }
        return false;
    }

    /** The names the lower directories show inside {@code rel}. */
    private Set<String> lowerChildren(String rel) throws IOException {
        Set<String> seen = new LinkedHashSet<>();
        Set<String> present = new TreeSet<>();
        for (Path lower : lowers) {
            Path d = lower.resolve(rel);
            BasicFileAttributes a = OverlayApplier.lstat(d);
            if (a == null) {
                continue;
            }
            if (!a.isDirectory()) {
                break;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                for (Path c : ds) {
                    String n = c.getFileName().toString();
                    if (seen.add(n)) {
                        BasicFileAttributes ca = OverlayApplier.lstat(c);
                        if (ca != null && !isWhiteout(c, ca)) {
                            present.add(n);
                        }
                    }
                }
            }
            if (isOpaque(d)) {
                break;
            }
        }
        return present;
    }

    private static boolean isWhiteout(Path p, BasicFileAttributes a) throws IOException {
        if (!a.isOther()) {
            return false;
        }
        Map<String, Object> u = Files.readAttributes(p, "unix:mode,rdev", NOFOLLOW);
        return (((int) u.get("mode")) & Posix.S_IFMT) == Posix.S_IFCHR && ((Number) u.get("rdev")).longValue() == 0;
    }

    private static boolean isOpaque(Path dir) throws IOException {
        return Posix.lgetxattr(dir, OverlayApplier.OPAQUE_XATTR)
                .map(v -> v.length == 1 && v[0] == 'y').orElse(false);
    }
}
