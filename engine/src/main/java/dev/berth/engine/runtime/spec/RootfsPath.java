package dev.berth.engine.runtime.spec;

import dev.berth.engine.errors.EngineException;

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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Resolves a path inside a container's root filesystem the way the container would see it:
 * symlinks are followed, but an absolute link target or a {@code ..} above the root stays inside
 * the root (as if chrooted). The host's files are never reached through a link in an image.
 */
public final class RootfsPath {

    private static final int MAX_LINKS = 255;

    private RootfsPath() {}

    /**
     * The host path of {@code containerPath} inside {@code rootfs}, with every symlink resolved
     * within the root. The result may not exist; its parents that exist are real directories.
     */
    public static Path resolve(Path rootfs, String containerPath) {
        Path root = rootfs.toAbsolutePath().normalize();
        Deque<String> todo = new ArrayDeque<>();
        push(todo, containerPath);
        Deque<String> done = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                done.pollLast();
                continue;
            }
            Path candidate = join(root, done).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new EngineException.InvalidArgument("too many levels of symbolic links in " + containerPath);
                }
                String target;
                try {
                    target = Files.readSymbolicLink(candidate).toString();
                } catch (IOException e) {
                    throw new EngineException.InvalidArgument("cannot read link " + candidate + ": " + e.getMessage(), e);
                }
                if (target.startsWith("/")) {
                    done.clear();
                }
                push(todo, target);
                continue;
            }
            done.addLast(part);
        }
        return join(root, done);
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

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.push(parts[i]);
        }
    }

    private static Path join(Path root, Deque<String> parts) {
        Path p = root;
        for (String part : parts) {
            p = p.resolve(part);
        }
        return p;
    }
}
