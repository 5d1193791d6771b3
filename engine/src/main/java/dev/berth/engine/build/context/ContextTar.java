package dev.berth.engine.build.context;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.layer.Compression;
import dev.berth.engine.layer.Posix;
import dev.berth.engine.layer.TarEntry;
import dev.berth.engine.layer.TarReader;
import dev.berth.engine.state.FileTrees;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Extracts an uploaded build context tar into an empty directory with the layer reader's rules
 * ({@link TarReader}: checksums verified, PAX and GNU long names, truncation detected) and the
 * layer extractor's safety: names are cleaned lexically and one whose {@code ..} climbs above the
 * root is refused; a parent that is a symbolic link (or not a directory) is refused; a hardlink must
 * name an earlier entry inside the root, reached without links; symbolic links are stored as written
 * and never followed (whether one may be used as a COPY source is {@link BuildContext}'s decision).
 * Devices and FIFOs are refused: a context holds files, directories and links. Unlike a layer, names
 * starting with {@code .wh.} are ordinary files here. A refused or broken tar leaves nothing behind: the
 * directory, empty before, is removed.
 */
final class ContextTar {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** Whether the engine runs as root (then entries keep their owners, as Docker's untar does). */
    private static final boolean ROOT = runsAsRoot();

    private ContextTar() {}

    private static boolean runsAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static void extract(InputStream tar, Path dir) {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new EngineException.InvalidArgument("cannot extract a build context into " + dir + ": it is not empty");
                }
            }
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot prepare " + dir + " for the build context: " + e.getMessage(), e);
        }
        try {
            unpack(tar, dir);
        } catch (RuntimeException refused) {
            try {
                FileTrees.deleteTree(dir); // ours since it was empty: nothing half-extracted stays behind
            } catch (IOException cleanup) {
                refused.addSuppressed(cleanup);
            }
            throw refused;
        }
    }

    private static void unpack(InputStream tar, Path dir) {
        String current = null;
        try {
            Path root = dir.toRealPath();
            TarReader reader = new TarReader(decompress(tar));
            TarEntry e;
            List<DirTime> dirs = new java.util.ArrayList<>();
            while ((e = reader.next()) != null) {
                current = e.name();
                write(root, e, reader.content(), dirs);
            }
            current = null;
            // writing into a directory changed its time: give each the archive's again, last written first (the
            // context's times are what COPY keeps, as Docker does)
            for (int i = dirs.size() - 1; i >= 0; i--) {
                Files.setLastModifiedTime(dirs.get(i).dir(), dirs.get(i).mtime());
            }
        } catch (TarReader.TarFormatException | EOFException e) {
            throw new EngineException.InvalidArgument("the build context is not a valid tar archive"
                    + (current == null ? "" : " (at entry \"" + current + "\")") + ": "
                    + String.valueOf(e.getMessage()).replace("the layer", "the archive"), e);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot extract the build context"
                    + (current == null ? "" : " entry \"" + current + "\"") + " into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static InputStream decompress(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        in.mark(4);
        byte[] head = in.readNBytes(3);
        in.reset();
        if (head.length == 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            return new BZip2CompressorInputStream(in, true);
        }
        return Compression.detect(in, "the build context").decompress(in);
    }

    private record DirTime(Path dir, java.nio.file.attribute.FileTime mtime) {}

    private static void write(Path root, TarEntry e, InputStream content, List<DirTime> dirs) throws IOException {
        List<String> parts = clean(e.name(), e.name());
        if (parts.isEmpty()) {
            return; // "./": the root itself
        }
        Path parent = parents(root, parts, e.name());
        Path target = parent.resolve(parts.getLast());
        BasicFileAttributes existing = lstat(target);
        if (existing != null && !(existing.isDirectory() && e.type() == TarEntry.Type.DIRECTORY)) {
            FileTrees.deleteTree(target);
        }
        switch (e.type()) {
            case DIRECTORY -> {
                if (existing == null || !existing.isDirectory()) {
                    Files.createDirectory(target);
                }
                Posix.chmod(target, e.mode());
            }
            case FILE -> {
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        NOFOLLOW)) {
                    content.transferTo(out);
                }
                Posix.chmod(target, e.mode());
            }
            case SYMLINK -> Files.createSymbolicLink(target, Path.of(e.linkName()));
            case HARDLINK -> {
                List<String> src = clean(e.linkName(), e.name());
                Path source = root.resolve(String.join("/", src));
                if (src.isEmpty()) {
                    throw refuse(e.name(), "is a hardlink to the context root");
                }
                parents(root, src, e.name());
                BasicFileAttributes a = lstat(source);
                if (a == null || a.isDirectory()) {
                    throw refuse(e.name(), "is a hardlink to \"" + e.linkName() + "\", which is not an earlier file of the context");
                }
                Files.createLink(target, source);
                return;
            }
            default -> throw refuse(e.name(), "is a " + e.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + "; a build context may hold files, directories and links only");
        }
        if (ROOT) {
            Posix.lchown(target, (int) e.uid(), (int) e.gid());
        }
        if (e.type() != TarEntry.Type.SYMLINK) {
            Files.setLastModifiedTime(target, e.mtime());
        }
        if (e.type() == TarEntry.Type.DIRECTORY) {
            dirs.add(new DirTime(target, e.mtime()));
        }
    }

    /** The entry's parent directory, created when missing; every existing component must be a real directory. */
    private static Path parents(Path root, List<String> parts, String entryName) throws IOException {
        Path dir = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            dir = dir.resolve(parts.get(i));
            BasicFileAttributes a = lstat(dir);
            if (a == null) {
                Files.createDirectory(dir);
            } else if (a.isSymbolicLink()) {
                throw refuse(entryName, "lies under \"" + String.join("/", parts.subList(0, i + 1))
                        + "\", a symbolic link; a context entry is never written through a link");
            } else if (!a.isDirectory()) {
                throw refuse(entryName, "lies under \"" + String.join("/", parts.subList(0, i + 1)) + "\", which is not a directory");
            }
        }
        return dir;
    }

    private static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /** Cleans a tar path lexically; refuses one whose {@code ..} climbs above the root. */
    private static List<String> clean(String name, String entryName) {
        List<String> out = new ArrayList<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (out.isEmpty()) {
                    throw refuse(entryName, name.equals(entryName)
                            ? "climbs out of the build context with \"..\""
                            : "links to \"" + name + "\", which climbs out of the build context");
                }
                out.removeLast();
                continue;
            }
            out.add(p);
        }
        return out;
    }

    private static EngineException refuse(String entryName, String why) {
        return new EngineException.InvalidArgument("build context entry \"" + entryName + "\" " + why);
    }
}
