package dev.berth.engine.runtime;

import dev.berth.engine.errors.EngineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A connection to conmon's attach socket ({@code <bundle>/attach}, a SOCK_SEQPACKET unix socket,
 * which the JDK cannot open; this class uses the FFM API). Conmon's framing: every packet it sends
 * starts with one byte naming the stream ({@code 2} stdout, {@code 3} stderr; with a TTY everything
 * is stdout), followed by up to 8192 bytes of output. What we write is raw stdin for the container,
 * no header; {@link #closeStdin()} (a half close) makes conmon close the container's stdin unless it
 * was started with {@code --leave-stdin-open}. Only output produced after connecting is received
 * (the log has the rest).
 *
 * <p>Reads block the calling thread in native code: call {@link #read()} from a platform thread.
 * {@link #close()} from another thread wakes a blocked reader, which then sees end of stream.
 */
public final class AttachSocket implements AutoCloseable {

    /** Conmon's stream ids (its {@code stdpipe_t}). */
    public enum Stream {
        STDIN(1), STDOUT(2), STDERR(3);

        private final int id;

        Stream(int id) {
            this.id = id;
        }

        public int id() {
            return id;
        }

        static Stream of(int id) {
            for (Stream s : values()) {
                if (s.id == id) {
                    return s;
                }
            }
            return null;
        }
    }

    /** One packet of container output. */
    public record Frame(Stream stream, byte[] data) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** Conmon reads stdin from the socket in buffers of this size (CONN_SOCK_BUF_SIZE). */
    private static final int MAX_WRITE = 32768;
    /** Conmon's packets are at most 1 + STDIO_BUF_SIZE (8192) bytes; leave room. */
    private static final int MAX_PACKET = 65536;

    private final Path path;
    private final ReentrantReadWriteLock fdLock = new ReentrantReadWriteLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final byte[] readBuf = new byte[MAX_PACKET];
    private int fd;

    private AttachSocket(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Connects to a conmon attach socket. Paths longer than a {@code sockaddr_un} allows are
     * reached through {@code /proc/self/fd} of their opened parent directory, as conmon binds them.
     *
     * @throws EngineException.Unavailable when nothing listens there (conmon has exited)
     */
    public static AttachSocket connect(Path socket) {
        Path abs = socket.toAbsolutePath();
        int fd = -1;
        int dirFd = -1;
        try {
            fd = Posix.socket(Posix.AF_UNIX, Posix.SOCK_SEQPACKET | Posix.SOCK_CLOEXEC, 0);
            String target = abs.toString();
            if (target.getBytes(StandardCharsets.UTF_8).length > Posix.SUN_PATH_MAX) {
                dirFd = Posix.open(abs.getParent().toString(), Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_CLOEXEC);
                target = "/proc/self/fd/" + dirFd + "/" + abs.getFileName();
            }
            Posix.connectUnix(fd, target);
            return new AttachSocket(abs, fd);
        } catch (IOException e) {
            closeQuietly(fd);
            throw new EngineException.Unavailable("cannot attach to " + abs + ": " + e.getMessage(), e);
        } finally {
            closeQuietly(dirFd);
        }
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                Posix.close(fd);
            } catch (IOException ignored) {
                // nothing to do: the descriptor is gone either way
            }
        }
    }

    /** The next packet of output, or {@code null} at end of stream (conmon exited or closed the connection). */
    public Frame read() throws IOException {
        readLock.lock();
        try {
            while (true) {
                int n;
                fdLock.readLock().lock();
                try {
                    if (fd < 0) {
                        return null;
                    }
                    n = Posix.read(fd, readBuf, 0, readBuf.length);
                } finally {
                    fdLock.readLock().unlock();
                }
                if (n == 0) {
                    return null;
                }
                Stream s = Stream.of(readBuf[0]);
                if (s == null) {
                    throw new IOException("unexpected stream id " + readBuf[0] + " from " + path);
                }
                if (n > 1) {
                    return new Frame(s, Arrays.copyOfRange(readBuf, 1, n));
                }
            }
        } finally {
            readLock.unlock();
        }
    }

    /** Sends bytes to the container's stdin. */
    public void write(byte[] data) throws IOException {
        write(data, 0, data.length);
    }

    public void write(byte[] data, int off, int len) throws IOException {
        writeLock.lock();
        try {
            int done = 0;
            while (done < len) {
                fdLock.readLock().lock();
                try {
                    if (fd < 0) {
                        throw new IOException("attach connection to " + path + " is closed");
                    }
                    done += Posix.write(fd, data, off + done, Math.min(MAX_WRITE, len - done));
                } finally {
                    fdLock.readLock().unlock();
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Ends stdin: conmon closes the container's stdin (unless told to leave it open). Output still flows. */
    public void closeStdin() throws IOException {
        fdLock.readLock().lock();
        try {
            if (fd >= 0) {
                Posix.shutdown(fd, Posix.SHUT_WR);
            }
        } finally {
            fdLock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        int old;
        fdLock.readLock().lock();
        try {
            old = fd;
            if (old >= 0) {
                try {
                    Posix.shutdown(old, Posix.SHUT_RDWR); // wakes a reader blocked in read(2)
                } catch (IOException ignored) {
                    // already disconnected
                }
            }
        } finally {
            fdLock.readLock().unlock();
        }
        fdLock.writeLock().lock();
        try {
            if (fd >= 0) {
                closeQuietly(fd);
                fd = -1;
            }
        } finally {
            fdLock.writeLock().unlock();
        }
    }
}
