package dev.berth.engine.build.context;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.layer.TarEntry;
import dev.berth.engine.layer.TarWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a context directory as the tar {@code POST /build} takes, as the docker CLI does: files the
 * {@code .dockerignore} excludes are left out, except the Dockerfile and {@code .dockerignore} themselves,
 * which the builder needs and which are always sent. Links are stored, never followed; sockets, devices
 * and FIFOs are skipped.
 */
public final class ContextArchive {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private ContextArchive() {}

    /**
     * Writes {@code dir} to {@code out} (which stays open); {@code dockerfile} is the Dockerfile's path
     * relative to {@code dir} (null: {@code Dockerfile}).
     */
    public static void write(Path dir, String dockerfile, OutputStream out) {
        DockerIgnore ignore = BuildContext.fromDirectory(dir).dockerignore();
        String keep = DockerIgnore.clean(dockerfile == null || dockerfile.isEmpty() ? "Dockerfile" : dockerfile);
        TarWriter tar = new TarWriter(new NonClosing(out));
        try {
            visit(dir, "", ignore, keep, tar);
            tar.close();
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot write the build context " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void visit(Path dir, String prefix, DockerIgnore ignore, String keep, TarWriter tar) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString())).toList();
        }
        for (Path c : children) {
            String name = prefix + c.getFileName();
            boolean always = name.equals(keep) || name.equals(".dockerignore");
            boolean excluded = !always && ignore.excludes(name);
            Map<String, Object> a = Files.readAttributes(c, "unix:mode,uid,gid,size,lastModifiedTime", NOFOLLOW);
            int mode = (Integer) a.get("mode");
            FileTime mtime = (FileTime) a.get("lastModifiedTime");
            long uid = ((Integer) a.get("uid")).longValue();
            long gid = ((Integer) a.get("gid")).longValue();
            switch (mode & 0170000) {
                case 0040000 -> {
                    if (!excluded) {
                        tar.write(new TarEntry(name + "/", TarEntry.Type.DIRECTORY, mode & 07777, uid, gid, 0, mtime, null, "",
                                0, 0, Map.of()), InputStream.nullInputStream());
                    }
                    if (!excluded || ignore.hasExceptions() || keep.startsWith(name + "/")) {
                        visit(c, name + "/", ignore, keep, tar);
                    }
                }
                case 0100000 -> {
                    if (!excluded) {
                        long size = (Long) a.get("size");
                        try (InputStream in = Files.newInputStream(c, NOFOLLOW)) {
                            tar.write(new TarEntry(name, TarEntry.Type.FILE, mode & 07777, uid, gid, size, mtime, null, "",
                                    0, 0, Map.of()), in);
                        }
                    }
                }
                case 0120000 -> {
                    if (!excluded) {
                        tar.write(new TarEntry(name, TarEntry.Type.SYMLINK, 0777, uid, gid, 0, mtime, null,
                                Files.readSymbolicLink(c).toString(), 0, 0, Map.of()), InputStream.nullInputStream());
                    }
                }
                default -> { } // sockets, devices, FIFOs: not part of a build context
            }
        }
    }

    /** Lets the tar writer finish the archive without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
