package dev.berth.engine.container.inspect;

import dev.berth.engine.layer.Posix;
import dev.berth.engine.layer.TarEntry;
import dev.berth.engine.layer.TarWriter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Writes a directory tree (or one file) of a container's root filesystem as tar entries. Never
 * follows a symbolic link (links are stored as links), never opens anything but a regular file
 * (devices and FIFOs become header-only entries, sockets are left out, as in Docker), and never
 * descends into a directory on another file system than the one the walk started on (a mount
 * point such as {@code /proc} is written as an empty directory). Hard links within the walk
 * become tar hard links. Times are truncated to seconds.
 */
final class TreeTar {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final TarWriter tar;
    private final Set<String> skipContentsOf;
    private final Map<String, String> firstNameOfInode = new HashMap<>();
    private Object startDev;

    /**
     * @param skipContentsOf archive names (no trailing slash) whose directory is written but not its contents
     */
    TreeTar(TarWriter tar, Set<String> skipContentsOf) {
        this.tar = tar;
        this.skipContentsOf = skipContentsOf;
    }

    /** Writes {@code path} under the archive name {@code name} (no trailing slash), recursively for a directory. */
    void write(Path path, String name) throws IOException {
        startOn(path);
        entry(path, name);
    }

    /** Takes {@code path}'s file system as the one the walk stays on. */
    void startOn(Path path) throws IOException {
        startDev = Files.readAttributes(path, "unix:dev", NOFOLLOW).get("dev");
    }

    /** Writes one entry (recursively) on the file system chosen by {@link #startOn}. */
    void entryOf(Path path, String name) throws IOException {
        entry(path, name);
    }

    private void entry(Path p, String name) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,ino,dev,nlink,size,lastModifiedTime", NOFOLLOW);
        } catch (NoSuchFileException gone) {
            return; // removed while we walked (a running container)
        }
        int mode = (int) a.get("mode");
        int fmt = mode & Posix.S_IFMT;
        int perm = mode & 07777;
        long uid = ((Number) a.get("uid")).longValue();
        long gid = ((Number) a.get("gid")).longValue();
        FileTime mtime = FileTime.from(((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond(), TimeUnit.SECONDS);
        switch (fmt) {
            case Posix.S_IFDIR -> {
                tar.write(new TarEntry(name.isEmpty() ? "./" : name + "/", TarEntry.Type.DIRECTORY, perm, uid, gid, 0, mtime,
                        null, "", 0, 0, Map.of()), null);
                if (!a.get("dev").equals(startDev) || skipContentsOf.contains(name)) {
                    return;
                }
                Set<String> names = new TreeSet<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                    for (Path c : ds) {
                        names.add(c.getFileName().toString());
                    }
                }
                for (String n : names) {
                    entry(p.resolve(n), name.isEmpty() ? n : name + "/" + n);
                }
            }
            case Posix.S_IFREG -> {
                long nlink = ((Number) a.get("nlink")).longValue();
                String inode = a.get("dev") + ":" + a.get("ino");
                if (nlink > 1 && firstNameOfInode.containsKey(inode)) {
                    tar.write(new TarEntry(name, TarEntry.Type.HARDLINK, perm, uid, gid, 0, mtime, null,
                            firstNameOfInode.get(inode), 0, 0, Map.of()), null);
                    return;
                }
                if (nlink > 1) {
                    firstNameOfInode.put(inode, name);
                }
                try (SeekableByteChannel ch = Files.newByteChannel(p, Set.of(StandardOpenOption.READ, NOFOLLOW));
                     InputStream in = Channels.newInputStream(ch)) {
                    long size = ch.size(); // the size of what we opened, not of what was there a moment ago
                    tar.write(new TarEntry(name, TarEntry.Type.FILE, perm, uid, gid, size, mtime, null, "", 0, 0, Map.of()),
                            new PaddedStream(in, size));
                }
            }
            case Posix.S_IFLNK -> tar.write(new TarEntry(name, TarEntry.Type.SYMLINK, 0777, uid, gid, 0, mtime, null,
                    Files.readSymbolicLink(p).toString(), 0, 0, Map.of()), null);
            case Posix.S_IFCHR, Posix.S_IFBLK -> {
                long rdev = ((Number) a.get("rdev")).longValue();
                tar.write(new TarEntry(name, fmt == Posix.S_IFCHR ? TarEntry.Type.CHAR_DEVICE : TarEntry.Type.BLOCK_DEVICE,
                        perm, uid, gid, 0, mtime, null, "", Posix.major(rdev), Posix.minor(rdev), Map.of()), null);
            }
            case Posix.S_IFIFO -> tar.write(new TarEntry(name, TarEntry.Type.FIFO, perm, uid, gid, 0, mtime, null, "", 0, 0,
                    Map.of()), null);
            default -> { } // sockets have no place in an archive
        }
    }

    /** Gives exactly {@code size} bytes: a file that shrank while being read is padded with zeros, as GNU tar does. */
    private static final class PaddedStream extends InputStream {
        private final InputStream in;
        private long left;
        private boolean eof;

        PaddedStream(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int want = (int) Math.min(len, left);
            int n = eof ? -1 : in.read(b, off, want);
            if (n < 0) {
                eof = true;
                java.util.Arrays.fill(b, off, off + want, (byte) 0);
                n = want;
            }
            left -= n;
            return n;
        }
    }
}
