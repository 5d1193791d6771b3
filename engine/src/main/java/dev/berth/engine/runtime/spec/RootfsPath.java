package dev.berth.engine.runtime.spec;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.fs.RootedPath;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Resolves a path inside a container's root filesystem the way the container would see it:
 * symlinks are followed, but an absolute link target or a {@code ..} above the root stays inside
 * the root (as if chrooted). The host's files are never reached through a link in an image.
 * The walk itself is {@link RootedPath#followInside}; this class puts its refusals in the
 * container's words.
 */
public final class RootfsPath {

    private RootfsPath() {}

    /**
     * The host path of {@code containerPath} inside {@code rootfs}, with every symlink resolved
     * within the root. The result may not exist; its parents that exist are real directories.
     */
    public static Path resolve(Path rootfs, String containerPath) {
        try {
            return RootedPath.followInside(rootfs, containerPath);
        } catch (RootedPath.Refused e) {
            if (e.problem() instanceof RootedPath.TooManyLinks) {
                throw new EngineException.InvalidArgument("too many levels of symbolic links in " + containerPath);
            }
            throw new EngineException.InvalidArgument(containerPath + " in the container: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new EngineException.InvalidArgument("cannot resolve " + containerPath + " in the container: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a small regular file of the container (e.g. {@code /etc/passwd}); empty when it does
     * not exist. Refuses anything that is not a regular file (a FIFO or device could block or
     * leak host data) and files above {@code maxBytes}.
     */
    public static Optional<byte[]> readSmallFile(Path rootfs, String containerPath, int maxBytes) {
        Path file = resolve(rootfs, containerPath);
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile()) {
                throw new EngineException.InvalidArgument(containerPath + " in the container is not a regular file");
            }
            if (attrs.size() > maxBytes) {
                throw new EngineException.InvalidArgument(containerPath + " in the container is larger than " + maxBytes + " bytes");
            }
            try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                 InputStream in = Channels.newInputStream(ch)) {
                byte[] bytes = in.readNBytes(maxBytes + 1);
                if (bytes.length > maxBytes) {
                    throw new EngineException.InvalidArgument(containerPath + " in the container is larger than " + maxBytes + " bytes");
                }
                return Optional.of(bytes);
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new EngineException.InvalidArgument("cannot read " + containerPath + " in the container: " + e.getMessage(), e);
        }
    }
}
