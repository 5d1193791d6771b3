package dev.berth.engine.layer;

import dev.berth.engine.state.FileTrees;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.fs.RootedPath;
import dev.berth.engine.oci.Digest;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link LayerApplier} for overlayfs lowers. Entry paths are cleaned lexically; a {@code ..}
 * that climbs above the root, a parent that is a symbolic link (or not a directory), and a
 * hardlink whose target is outside the root or reached through a symbolic link are refused.
 * Parents are checked with no-follow semantics before anything is created, and the last
 * component is always created with no-follow calls ({@code O_EXCL}, {@code l*} syscalls), so
 * no write lands outside the snapshot directory.
 *
 * <p>Whiteouts become overlayfs whiteouts (0/0 character devices), {@code .wh..wh..opq}
 * becomes {@code trusted.overlay.opaque=y} on its directory; other {@code .wh..wh.} names
 * (AUFS bookkeeping) are skipped, as Docker does. Extended attributes in overlayfs's own
 * {@code trusted.overlay.} namespace are never taken from a tar.
 */
final class OverlayApplier implements LayerApplier {

    static final String WHITEOUT_PREFIX = ".wh.";
    static final String WHITEOUT_META_PREFIX = ".wh..wh.";
    static final String OPAQUE_MARKER = ".wh..wh..opq";
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    static final String OVERLAY_XATTR_PREFIX = "trusted.overlay.";

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int COPY_BUFFER = 256 * 1024;

    /** An IOException raised by the caller's stream (network, disk of the blob store). */
    private static final class SourceException extends IOException {
        SourceException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** An IOException raised while decompressing: the blob is corrupt or cut short. */
    private static final class CorruptException extends IOException {
        CorruptException(IOException cause) {
            super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
        }
    }

    @Override
    public ApplyResult apply(InputStream layer, Path snapshotDir, String layerName) {
        Path root;
        try {
            root = snapshotDir.toRealPath();
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot extract " + layerName + ": " + snapshotDir + " is not usable: " + e.getMessage(), e);
        }
        if (!Files.isDirectory(root, NOFOLLOW)) {
            throw new EngineException.InvalidArgument("cannot extract " + layerName + ": " + snapshotDir + " is not a directory");
        }
        CountingSource source = new CountingSource(layer);
        Compression compression;
        DigestingStream tarStream;
        try {
            BufferedInputStream buffered = new BufferedInputStream(source, 64 * 1024);
            compression = Compression.detect(buffered, layerName);
            tarStream = new DigestingStream(compression.decompress(buffered));
        } catch (SourceException e) {
            throw new EngineException.Unavailable("cannot read " + layerName + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new EngineException.InvalidArgument(layerName + " is corrupt: " + e.getMessage(), e);
        }
        Extraction x = new Extraction(root, layerName);
        String current = null;
        try {
            TarReader reader = new TarReader(tarStream);
            TarEntry entry;
            while ((entry = reader.next()) != null) {
                current = entry.name();
                x.apply(entry, reader.content());
                current = null;
            }
            // the DiffID covers the whole uncompressed stream, including what follows the end marker
            tarStream.transferTo(OutputStream.nullOutputStream());
            x.finish();
        } catch (SourceException e) {
            throw new EngineException.Unavailable("cannot read " + layerName + ": " + e.getMessage(), e);
        } catch (CorruptException | TarReader.TarFormatException | EOFException e) {
            throw new EngineException.InvalidArgument(layerName + " is corrupt or truncated"
                    + (current == null ? "" : " (at entry \"" + current + "\")") + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot extract " + layerName
                    + (current == null ? "" : " entry \"" + current + "\"") + " into " + root + ": " + e.getMessage(), e);
        }
        return new ApplyResult(Digest.of(tarStream.digest), tarStream.count, source.count, compression, x.entries);
    }

    /** A directory's times, set once everything inside it has been written. */
    private record DirTime(Path dir, Instant atime, Instant mtime) {}

    /** The state of one extraction: the root, the directories known to be real, deferred directory times. */
    private static final class Extraction {
        private final Path root;
        private final String layerName;
        /** Walks parents with no-follow checks, remembering the directories it has checked. */
        private final RootedPath inside;
        private final List<DirTime> dirTimes = new ArrayList<>();
        long entries;
        /** File contents pass through here: large writes, few system calls (transferTo's would be 16 KiB). */
        private byte[] copyBuffer;

        Extraction(Path root, String layerName) {
            this.root = root;
            this.layerName = layerName;
            this.inside = RootedPath.in(root);
        }

        void apply(TarEntry e, InputStream content) throws IOException {
            entries++;
            List<String> parts = clean(e.name(), e.name());
            String rel = String.join("/", parts);
            String base = parts.isEmpty() ? "" : parts.getLast();
            List<String> parentParts = parts.isEmpty() ? List.of() : parts.subList(0, parts.size() - 1);

            if (base.startsWith(WHITEOUT_PREFIX)) {
                whiteout(e, parentParts, base);
                return;
            }
            if (parts.isEmpty()) {
                if (e.type() != TarEntry.Type.DIRECTORY) {
                    throw refuse(e.name(), "names the layer root but is not a directory");
                }
                metadata(e, root, true);
                return;
            }
            Path parent = ensureDirs(parentParts, e.name());
            Path target = parent.resolve(base);
            BasicFileAttributes existing = lstat(target);
            if (existing != null && !(existing.isDirectory() && e.type() == TarEntry.Type.DIRECTORY)) {
                removeTree(target, rel);
            }
            switch (e.type()) {
                case DIRECTORY -> {
                    if (existing == null || !existing.isDirectory()) {
                        Files.createDirectory(target);
                    }
                }
                case FILE -> {
                    try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE, NOFOLLOW)) {
                        copy(content, out);
                    }
                }
                case SYMLINK -> Files.createSymbolicLink(target, Path.of(e.linkName()));
                case HARDLINK -> {
                    Path source = hardlinkSource(e);
                    Files.createLink(target, source);
                    return; // a hard link shares the metadata of its inode
                }
                case CHAR_DEVICE -> Posix.mknod(target, Posix.S_IFCHR, e.mode(), e.devMajor(), e.devMinor());
                case BLOCK_DEVICE -> Posix.mknod(target, Posix.S_IFBLK, e.mode(), e.devMajor(), e.devMinor());
                case FIFO -> Posix.mknod(target, Posix.S_IFIFO, e.mode(), 0, 0);
            }
            metadata(e, target, e.type() == TarEntry.Type.DIRECTORY);
        }

        private void copy(InputStream content, FileChannel out) throws IOException {
            if (copyBuffer == null) {
                copyBuffer = new byte[COPY_BUFFER];
            }
            int n;
            while ((n = content.readNBytes(copyBuffer, 0, copyBuffer.length)) > 0) {
                ByteBuffer b = ByteBuffer.wrap(copyBuffer, 0, n);
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
        }

        private void whiteout(TarEntry e, List<String> parentParts, String base) throws IOException {
            if (base.equals(OPAQUE_MARKER)) {
                Path dir = ensureDirs(parentParts, e.name());
                Posix.lsetxattr(dir, OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (base.startsWith(WHITEOUT_META_PREFIX)) {
                return; // AUFS bookkeeping (.wh..wh.plnk, .wh..wh.aufs): nothing to apply
            }
            String victim = base.substring(WHITEOUT_PREFIX.length());
            if (victim.isEmpty() || victim.equals(".") || victim.equals("..")) {
                throw refuse(e.name(), "is a whiteout for the invalid name \"" + victim + "\"");
            }
            Path parent = ensureDirs(parentParts, e.name());
            Path target = parent.resolve(victim);
            String rel = parentParts.isEmpty() ? victim : String.join("/", parentParts) + "/" + victim;
            if (lstat(target) != null) {
                removeTree(target, rel);
            }
            Posix.mknod(target, Posix.S_IFCHR, 0, 0, 0);
            Posix.lchown(target, 0, 0);
        }

        private Path hardlinkSource(TarEntry e) throws IOException {
            List<String> parts = clean(e.linkName(), e.name());
            if (parts.isEmpty()) {
                throw refuse(e.name(), "is a hard link to the layer root");
            }
            Path dir;
            try {
                dir = inside.existingDirectory(parts.subList(0, parts.size() - 1));
            } catch (RootedPath.Refused r) {
                throw switch (r.problem()) {
                    case RootedPath.ThroughLink t -> refuse(e.name(), "is a hard link through the symbolic link \"" + t.at() + "\"");
                    case RootedPath.NotADirectory n -> refuse(e.name(), "is a hard link to \"" + e.linkName() + "\", whose parent \""
                            + n.at() + "\" is not a directory");
                    case RootedPath.Missing m -> refuse(e.name(), "is a hard link to \"" + e.linkName() + "\", which is not in the layer");
                    default -> refuse(e.name(), "is a hard link to \"" + e.linkName() + "\": " + r.getMessage());
                };
            }
            Path source = dir.resolve(parts.getLast());
            BasicFileAttributes a = lstat(source);
            if (a == null) {
                throw refuse(e.name(), "is a hard link to \"" + e.linkName() + "\", which is not in the layer");
            }
            if (a.isDirectory()) {
                throw refuse(e.name(), "is a hard link to the directory \"" + e.linkName() + "\"");
            }
            return source;
        }

        /** Makes sure every component of {@code parts} is a real directory under the root (creating missing ones). */
        private Path ensureDirs(List<String> parts, String entryName) throws IOException {
            try {
                return inside.directory(parts, dir -> {
                    Files.createDirectory(dir);
                    Posix.chmod(dir, 0755);
                });
            } catch (RootedPath.Refused r) {
                throw switch (r.problem()) {
                    case RootedPath.ThroughLink t -> refuse(entryName, "goes through the symbolic link \"" + t.at() + "\"");
                    case RootedPath.NotADirectory n -> refuse(entryName, "has the parent \"" + n.at() + "\", which is not a directory");
                    default -> refuse(entryName, r.getMessage());
                };
            }
        }

        private void metadata(TarEntry e, Path target, boolean directory) throws IOException {
            Posix.lchown(target, (int) e.uid(), (int) e.gid());
            if (e.type() != TarEntry.Type.SYMLINK) {
                Posix.chmod(target, e.mode()); // after lchown, which clears setuid and setgid
            }
            for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
                if (x.getKey().startsWith(OVERLAY_XATTR_PREFIX)) {
                    // overlayfs's own bookkeeping (redirects, metacopy, opaque) is never taken from a tar:
                    // it could make the overlay show files this layer does not hold
                    continue;
                }
                try {
                    Posix.lsetxattr(target, x.getKey(), x.getValue());
                } catch (Posix.ErrnoException ex) {
                    boolean unsupported = ex.errno() == Posix.EOPNOTSUPP;
                    boolean userXattrOnLink = ex.errno() == Posix.EPERM && e.type() == TarEntry.Type.SYMLINK;
                    if (!unsupported && !userXattrOnLink) {
                        throw ex;
                    }
                    // as Docker: an attribute this file system (or a symlink) cannot carry is dropped
                }
            }
            Instant m = e.mtime().toInstant();
            Instant at = e.atime() == null ? m : e.atime().toInstant();
            if (directory) {
                dirTimes.add(new DirTime(target, at, m)); // set after the directory's contents
            } else {
                Posix.lutimes(target, at.getEpochSecond(), at.getNano(), m.getEpochSecond(), m.getNano());
            }
        }

        void finish() throws IOException {
            for (DirTime d : dirTimes.reversed()) {
                Posix.lutimes(d.dir(), d.atime().getEpochSecond(), d.atime().getNano(), d.mtime().getEpochSecond(),
                        d.mtime().getNano());
            }
        }

        /** Deletes {@code target} (a whole tree when it is a directory) without following any link. */
        private void removeTree(Path target, String rel) throws IOException {
            inside.forget(rel);
            dirTimes.removeIf(d -> d.dir().startsWith(target));
            deleteRecursively(target);
        }

        /** Lexically cleans an archive path; refuses one whose {@code ..} climbs above the root. */
        private List<String> clean(String name, String entryName) {
            try {
                return RootedPath.names(name, RootedPath.DotDot.REFUSE_ABOVE_ROOT);
            } catch (RootedPath.Refused r) {
                if (r.problem() instanceof RootedPath.ClimbsOut) {
                    throw refuse(entryName, name.equals(entryName)
                            ? "climbs out of the layer root with \"..\""
                            : "links to \"" + name + "\", which climbs out of the layer root");
                }
                throw refuse(entryName, "has an invalid name: " + r.getMessage());
            }
        }

        private EngineException refuse(String entryName, String why) {
            return new EngineException.InvalidArgument(layerName + ": entry \"" + entryName + "\" " + why
                    + "; the layer is refused");
        }
    }

    static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Deletes a file or a directory tree; never follows a symbolic link. */
    static void deleteRecursively(Path target) throws IOException {
        FileTrees.deleteTree(target);
    }

    /** Counts the caller's bytes and marks its failures. */
    private static final class CountingSource extends FilterInputStream {
        long count;

        CountingSource(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            int n = read(b, 0, 1);
            return n < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    count += n;
                }
                return n;
            } catch (IOException e) {
                throw new SourceException(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            // through read, so that skipped bytes are counted and failures marked
            byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
            int r = read(buf, 0, (int) Math.min(buf.length, n));
            return Math.max(0, r);
        }
    }

    /** Hashes and counts the uncompressed tar stream; marks decompression failures. */
    private static final class DigestingStream extends FilterInputStream {
        final MessageDigest digest = Digest.newSha256();
        long count;

        DigestingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            int n = read(b, 0, 1);
            return n < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (SourceException e) {
                throw e;
            } catch (IOException e) {
                throw new CorruptException(e);
            }
            if (n > 0) {
                digest.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // never skip: every byte must be hashed
            byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
            int r = read(buf, 0, (int) Math.min(buf.length, n));
            return Math.max(0, r);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
