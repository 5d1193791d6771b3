package dev.berth.engine.runtime.spec;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host's device nodes, which a privileged container gets as Docker gives them: every character
 * and block device under {@code /dev}, except the directories the container has its own of
 * ({@code pts}, {@code shm}, {@code mqueue}, {@code fd}) and the console.
 */
public final class HostDevices {

    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final Set<String> SKIP_DIRS = Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev");

    private HostDevices() {}

    /** Device nodes under {@code devRoot}, as OCI devices at the same path in the container. */
    public static List<OciConfig.Device> list(Path devRoot) {
        List<OciConfig.Device> out = new ArrayList<>();
        if (!Files.isDirectory(devRoot)) {
            return out;
        }
        try {
            Files.walkFileTree(devRoot, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(devRoot) && SKIP_DIRS.contains(dir.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isOther() && !file.getFileName().toString().equals("console")) {
                        device(devRoot, file).ifPresent(out::add);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static java.util.Optional<OciConfig.Device> device(Path devRoot, Path file) throws IOException {
        Map<String, Object> a = Files.readAttributes(file, "unix:mode,rdev,uid,gid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        String type = switch (mode & S_IFMT) {
            case S_IFCHR -> "c";
            case S_IFBLK -> "b";
            default -> null;
        };
        if (type == null) {
            return java.util.Optional.empty();
        }
        long rdev = (Long) a.get("rdev");
        long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
        String path = "/dev/" + devRoot.relativize(file).toString();
        return java.util.Optional.of(new OciConfig.Device(path, type, major, minor, mode & 07777,
                ((Integer) a.get("uid")).longValue(), ((Integer) a.get("gid")).longValue()));
    }
}
