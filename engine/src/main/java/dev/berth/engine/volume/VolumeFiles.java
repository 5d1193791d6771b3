package dev.berth.engine.volume;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.fs.RootedPath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads one directory of a volume for the volume browser, never leaving the volume: the path is
 * walked one name at a time from the volume's data directory with directory handles opened
 * without following links ({@code openat} with {@code O_NOFOLLOW} under a
 * {@link SecureDirectoryStream}), so neither a symbolic link in the path nor one swapped in while
 * walking can lead outside. A link in the path is refused; links in the listing are shown as links.
 */
final class VolumeFiles {

    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private VolumeFiles() {}

    /**
     * The entries of {@code path} (absolute inside the volume, {@code /} for its top) under
     * {@code data}, directories first, then by name.
     *
     * @throws EngineException.InvalidArgument for a path with {@code ..}, through a link or a file
     * @throws EngineException.NotFound        for a path that does not exist
     */
    static List<VolumeFile> list(String volume, Path data, String path) {
        List<String> names = segments(path);
        if (Files.isSymbolicLink(data)) {
            throw new EngineException.FailedPrecondition("volume " + volume + ": its data directory is a symbolic link");
        }
        String shown = "/" + String.join("/", names);
        SecureDirectoryStream<Path> dir;
        try {
            dir = RootedPath.openDirectory(data, names);
        } catch (RootedPath.Refused r) {
            String at = "/" + r.problem().at();
            throw switch (r.problem()) {
                case RootedPath.Missing m -> new EngineException.NotFound("volume " + volume + ": no such directory " + at);
                case RootedPath.ThroughLink t -> new EngineException.InvalidArgument("volume " + volume + ": " + at
                        + " is a symbolic link; the browser does not follow links");
                case RootedPath.NotADirectory n -> new EngineException.InvalidArgument("volume " + volume + ": " + at
                        + " is not a directory");
                default -> new EngineException.InvalidArgument("volume " + volume + ": " + r.getMessage());
            };
        } catch (IOException e) {
            throw new EngineException.Unavailable("volume " + volume + ": cannot read " + shown + ": " + e.getMessage(), e);
        }
        try (dir) {
            List<VolumeFile> out = new ArrayList<>();
            for (Path entry : dir) {
                Path name = entry.getFileName();
                PosixFileAttributes a;
                try {
                    a = dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW).readAttributes();
                } catch (NoSuchFileException e) {
                    continue; // removed while listing
                }
                String type = a.isSymbolicLink() ? VolumeFile.SYMLINK : a.isDirectory() ? VolumeFile.DIRECTORY
                        : a.isRegularFile() ? VolumeFile.FILE : VolumeFile.OTHER;
                out.add(new VolumeFile(name.toString(), type, a.isDirectory() ? 0 : a.size(), mode(a),
                        a.lastModifiedTime().toInstant()));
            }
            out.sort(Comparator.comparing((VolumeFile f) -> !f.type().equals(VolumeFile.DIRECTORY)).thenComparing(VolumeFile::name));
            return out;
        } catch (IOException e) {
            throw new EngineException.Unavailable("volume " + volume + ": cannot read " + shown + ": " + e.getMessage(), e);
        }
    }

    /** The names of an absolute path inside the volume; {@code ..} is refused, {@code .} and empty names skipped. */
    static List<String> segments(String path) {
        String p = path == null || path.isEmpty() ? "/" : path;
        if (!p.startsWith("/")) {
            throw new EngineException.InvalidArgument("path \"" + p + "\" must be absolute inside the volume (start with /)");
        }
        try {
            return RootedPath.names(p, RootedPath.DotDot.REFUSE);
        } catch (RootedPath.Refused r) {
            throw new EngineException.InvalidArgument(r.problem() instanceof RootedPath.ClimbsOut
                    ? "path \"" + p + "\" must not contain .." : "path must not contain a NUL character");
        }
    }

    private static int mode(PosixFileAttributes a) {
        int m = 0;
        for (PosixFilePermission p : a.permissions()) {
            m |= switch (p) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return m;
    }
}
