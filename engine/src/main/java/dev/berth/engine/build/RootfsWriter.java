package dev.berth.engine.build;

import dev.berth.engine.build.context.ContextEntry;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.spec.RootfsPath;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes files into a mounted root filesystem for COPY and ADD. Every destination is resolved inside
 * the root as a process in the container would see it ({@link RootfsPath}): a symbolic link in the image,
 * even {@code /target -> /}, leads to a place inside the root, never to the host. The last component is
 * never followed: an existing file or link there is replaced.
 *
 * @param root  where the root filesystem is mounted
 * @param uid   the owner of everything written ({@code --chown}; root by default)
 * @param gid   the group of everything written
 * @param chmod the mode of everything written ({@code --chmod}), or null to keep the source's
 */
record RootfsWriter(Path root, long uid, long gid, Integer chmod, java.util.List<DirTime> written) {

    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /** A copied directory and the modification time it had in the source. */
    record DirTime(Path dir, FileTime mtime) {}

    RootfsWriter(Path root, long uid, long gid, Integer chmod) {
        this(root, uid, gid, chmod, new java.util.ArrayList<>());
    }

    /**
     * Gives every copied directory its source's modification time again, deepest last-written first: writing into
     * a directory changes its time, and Docker keeps the source's (observed against dockerd 20.10, for COPY of a
     * directory and for ADD of a tar). Called once everything of a step is written.
     */
    void restoreDirectoryTimes() throws IOException {
        for (int i = written.size() - 1; i >= 0; i--) {
            DirTime d = written.get(i);
            Files.getFileAttributeView(d.dir(), java.nio.file.attribute.BasicFileAttributeView.class, NOFOLLOW)
                    .setTimes(d.mtime(), null, null);
        }
        written.clear();
    }

    /**
     * Creates {@code dir} (a path in the image) and its missing parents, 0755, owned by {@code uid:gid} (root unless
     * {@code --chown} says otherwise), as Docker does: a COPY --chown into a new directory makes that directory the
     * new owner's (observed against dockerd 20.10). A directory that exists keeps its owner and mode.
     */
    Path directory(String dir) throws IOException {
        String norm = normalize(dir);
        if (norm.equals("/")) {
            return root;
        }
        Path at = RootfsPath.resolve(root, norm);
        BasicFileAttributes a = attrs(at);
        if (a != null && a.isDirectory()) {
            return at;
        }
        if (a != null) {
            throw new EngineException.InvalidArgument("cannot copy into " + norm + ": it is not a directory in the image");
        }
        directory(parent(norm));
        Path again = RootfsPath.resolve(root, norm);
        try {
            Files.createDirectory(again);
            Files.setPosixFilePermissions(again, perms(0755));
            if (uid != 0 || gid != 0) {
                Files.setAttribute(again, "unix:uid", (int) uid, NOFOLLOW);
                Files.setAttribute(again, "unix:gid", (int) gid, NOFOLLOW);
            }
        } catch (FileAlreadyExistsException e) {
            // created through a link resolved the same way: fine
        }
        return again;
    }

    /** Whether {@code path} is a directory in the image (links resolved inside the root). */
    boolean isDirectory(String path) {
        BasicFileAttributes a = attrs(RootfsPath.resolve(root, normalize(path)));
        return a != null && a.isDirectory();
    }

    /** Writes one entry of a copied source at {@code dest} (a path in the image). */
    void write(ContextEntry e, String dest) throws IOException {
        switch (e.type()) {
            case DIRECTORY -> {
                Path d = directory(dest);
                finish(d, e.mode(), e.mtime());
                if (e.mtime() != null) {
                    written.add(new DirTime(d, e.mtime()));
                }
            }
            case FILE -> {
                Path target = place(dest);
                try (SeekableByteChannel ch = Files.newByteChannel(e.file(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                     InputStream in = Channels.newInputStream(ch)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                finish(target, e.mode(), e.mtime());
            }
            case SYMLINK -> {
                Path target = place(dest);
                Files.createSymbolicLink(target, Path.of(e.linkTarget()));
                Files.setAttribute(target, "unix:uid", (int) uid, NOFOLLOW);
                Files.setAttribute(target, "unix:gid", (int) gid, NOFOLLOW);
                if (e.mtime() != null) {
                    Files.getFileAttributeView(target, java.nio.file.attribute.BasicFileAttributeView.class, NOFOLLOW)
                            .setTimes(e.mtime(), null, null);
                }
            }
        }
    }

    /** Writes a file with {@code content} at {@code dest} (ADD from an archive entry). */
    void writeFile(String dest, InputStream content, int mode, FileTime mtime) throws IOException {
        Path target = place(dest);
        Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
        finish(target, mode, mtime);
    }

    /** Writes a symbolic link at {@code dest} (ADD from an archive entry); it is stored, never followed. */
    void writeLink(String dest, String linkTarget, FileTime mtime) throws IOException {
        Path target = place(dest);
        Files.createSymbolicLink(target, Path.of(linkTarget));
        Files.setAttribute(target, "unix:uid", (int) uid, NOFOLLOW);
        Files.setAttribute(target, "unix:gid", (int) gid, NOFOLLOW);
    }

    /**
     * Writes a hard link at {@code dest} to the file {@code target} (ADD from an archive entry; both paths in the
     * image). The target must be a regular file already written under {@code within} (the ADD's destination), reached
     * with every link resolved inside the root and the last component not followed; anything else is refused.
     */
    void writeHardLink(String dest, String target, String within) throws IOException {
        String t = normalize(target);
        String w = normalize(within);
        if (!(t.equals(w) || t.startsWith(w.equals("/") ? "/" : w + "/"))) {
            throw new EngineException.InvalidArgument("hard link " + dest + " -> " + target + " leads outside " + w);
        }
        Path targetDir = RootfsPath.resolve(root, parent(t));
        Path at = targetDir.resolve(name(t));
        Path withinAt = RootfsPath.resolve(root, w);
        BasicFileAttributes a = attrs(at);
        if (a == null || !a.isRegularFile()) {
            throw new EngineException.InvalidArgument("hard link " + dest + " -> " + target
                    + ": the target is not a file the archive wrote before it");
        }
        if (!at.normalize().startsWith(withinAt) || !at.normalize().startsWith(root)) {
            throw new EngineException.InvalidArgument("hard link " + dest + " -> " + target + " leads outside " + w);
        }
        Path link = place(dest);
        Files.createLink(link, at);
    }

    /** Creates a directory {@code dest} with {@code mode} (ADD from an archive entry). */
    void writeDirectory(String dest, int mode, FileTime mtime) throws IOException {
        Path d = directory(dest);
        finish(d, mode, mtime);
        if (mtime != null) {
            written.add(new DirTime(d, mtime));
        }
    }

    /** The host path for a new entry at {@code dest}: parents resolved inside the root, the last component free. */
    private Path place(String dest) throws IOException {
        String norm = normalize(dest);
        if (norm.equals("/")) {
            throw new EngineException.InvalidArgument("cannot replace the root directory with a file");
        }
        Path dir = directory(parent(norm));
        Path target = dir.resolve(name(norm));
        if (!target.normalize().startsWith(root)) {
            throw new EngineException.InvalidArgument("destination " + dest + " leads outside the image's root");
        }
        BasicFileAttributes a = attrs(target);
        if (a != null && a.isDirectory()) {
            throw new EngineException.InvalidArgument("cannot copy a file onto the directory " + norm + " of the image");
        }
        if (a != null) {
            Files.delete(target); // a file or a link: replaced, the link itself, not what it points to
        }
        return target;
    }

    private void finish(Path p, int sourceMode, FileTime mtime) throws IOException {
        Files.setAttribute(p, "unix:uid", (int) uid, NOFOLLOW);
        Files.setAttribute(p, "unix:gid", (int) gid, NOFOLLOW);
        int mode = chmod != null ? chmod : sourceMode & 07777;
        Files.setAttribute(p, "unix:mode", mode); // p was just made here: a file or directory, no link
        if (mtime != null) {
            Files.setLastModifiedTime(p, mtime);
        }
    }

    private static BasicFileAttributes attrs(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code a/./b//c/} to {@code /a/b/c}; {@code ..} cannot climb above {@code /}. */
    static String normalize(String path) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(p);
            }
        }
        return "/" + String.join("/", parts);
    }

    static String parent(String normalized) {
        int i = normalized.lastIndexOf('/');
        return i <= 0 ? "/" : normalized.substring(0, i);
    }

    static String name(String normalized) {
        return normalized.substring(normalized.lastIndexOf('/') + 1);
    }

    private static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                out.add(all[i]);
            }
        }
        return out;
    }
}
