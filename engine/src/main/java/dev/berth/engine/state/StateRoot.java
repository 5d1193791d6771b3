package dev.berth.engine.state;

import dev.berth.engine.errors.EngineException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The directory that holds all of one engine's state, owned by exactly one engine process
 * at a time through an exclusive lock on {@code engine.lock}. The owner records who it is
 * (pid and socket) in {@code engine.json} so that a second engine can say whom it lost to.
 *
 * <p>The lock is an OS file lock: it is released by the kernel when the owning process dies,
 * so a crashed engine never leaves the root locked.
 */
public final class StateRoot implements AutoCloseable {

    /** Who owns a state root: written by the owner, read by a refused second engine. */
    public record Owner(long pid, String socket, String startedAt) {}

    private static final String LOCK_FILE = "engine.lock";
    private static final String OWNER_FILE = "engine.json";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private StateRoot(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Takes ownership of {@code dir} (created 0711 if missing) for this process.
     *
     * @throws EngineException.Conflict when another engine owns it; the message names that engine's socket
     */
    public static StateRoot acquire(Path dir, String socket) {
        Path root = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
            FileChannel ch = FileChannel.open(root.resolve(LOCK_FILE),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM: just as much "in use"
            }
            if (lock == null) {
                ch.close();
                throw new EngineException.Conflict(describeOwner(root));
            }
            StateRoot stateRoot = new StateRoot(root, ch, lock);
            Json.write(root.resolve(OWNER_FILE),
                    new Owner(ProcessHandle.current().pid(), socket, java.time.Instant.now().toString()));
            return stateRoot;
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot use state root " + root + ": " + e.getMessage(), e);
        }
    }

    private static String describeOwner(Path root) {
        Path ownerFile = root.resolve(OWNER_FILE);
        if (Files.isRegularFile(ownerFile)) {
            try {
                Owner owner = Json.read(ownerFile, Owner.class);
                return "state root " + root + " is already in use by another Berth engine (pid " + owner.pid()
                        + ") serving unix://" + owner.socket();
            } catch (UncheckedIOException ignored) {
                // fall through to the plain message
            }
        }
        return "state root " + root + " is already in use by another Berth engine";
    }

    /** The root directory. */
    public Path dir() {
        return dir;
    }

    /** A sub-directory of the root, created if missing. */
    public Path subdir(String name) {
        Path p = dir.resolve(name);
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(dir.resolve(OWNER_FILE));
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
