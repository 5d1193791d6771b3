package dev.berth.engine.runtime;

import dev.berth.engine.errors.EngineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * conmon, the per-container monitor (Podman's): the one place its command line is built, and its
 * files in the bundle directory. conmon 2.1 runs {@code runc create}, keeps the container's stdio,
 * writes the k8s-file log, serves the attach socket, and writes the exit code to
 * {@code <exit dir>/<id>}; it double-forks and calls {@code setsid}, so it outlives the engine.
 * Without its sync pipe (the JDK cannot hand a child extra descriptors) the launching conmon exits
 * at once, before the container exists: {@link OciRuntime#create} waits for runc's pid file instead.
 */
public final class Conmon {

    /** The attach socket (SOCK_SEQPACKET), with {@code --full-attach} directly in the bundle. */
    public static final String ATTACH = "attach";
    /** The control FIFO: {@code "1 <height> <width>\n"} resizes the terminal, {@code "2 0 0\n"} reopens the log. */
    public static final String CTL = "ctl";
    /** runc's pid file: the container's init pid, written once the container is created. */
    public static final String PIDFILE = "pidfile";
    /** conmon's own pid (the daemonized monitor). */
    public static final String CONMON_PIDFILE = "conmon.pid";
    /** runc's log of the create call (JSON lines), where its error is found when create fails. */
    public static final String RUNTIME_LOG = "runtime-create.log";
    /** What the launching conmon printed (argument errors). */
    public static final String CONMON_OUTPUT = "conmon.out";

    private static final int WIN_RESIZE_EVENT = 1;
    private static final int REOPEN_LOGS_EVENT = 2;

    /**
     * Where the binaries and the shared directories are.
     *
     * @param conmon      the conmon binary
     * @param runtime     the OCI runtime binary (runc)
     * @param runtimeRoot runc's state directory ({@code runc --root}), under the engine's root
     * @param exitDir     conmon writes {@code <id>} here with the exit code
     * @param socketDir   conmon's {@code --socket-dir-path} (unused with {@code --full-attach}, but required)
     */
    public record Paths(Path conmon, Path runtime, Path runtimeRoot, Path exitDir, Path socketDir) {}

    private Conmon() {}

    /** conmon's command line for creating {@code request}'s container; the only place it is built. */
    public static List<String> command(Paths paths, CreateRequest request) {
        Path bundle = request.bundle().toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(
                paths.conmon().toString(),
                "--api-version", "1",
                "-c", request.id(),
                "-u", request.id(),
                "-r", paths.runtime().toString(),
                "-b", bundle.toString(),
                "-p", bundle.resolve(PIDFILE).toString(),
                "-n", request.name(),
                "--exit-dir", paths.exitDir().toString(),
                "--socket-dir-path", paths.socketDir().toString(),
                "-l", "k8s-file:" + request.logPath().toAbsolutePath(),
                "--conmon-pidfile", bundle.resolve(CONMON_PIDFILE).toString(),
                "--full-attach",
                "--runtime-arg", "--root=" + paths.runtimeRoot(),
                "--runtime-arg", "--log=" + bundle.resolve(RUNTIME_LOG),
                "--runtime-arg", "--log-format=json"));
        if (request.logSizeMax() > 0) {
            cmd.add("--log-size-max");
            cmd.add(Long.toString(request.logSizeMax()));
        }
        if (request.tty()) {
            cmd.add("-t");
        }
        if (request.stdin()) {
            cmd.add("-i");
            if (request.leaveStdinOpen()) {
                cmd.add("--leave-stdin-open");
            }
        }
        return List.copyOf(cmd);
    }

    /** Sets the container terminal's size through conmon's control FIFO. */
    public static void resize(Path bundle, int height, int width) {
        if (height <= 0 || width <= 0 || height > 0xFFFF || width > 0xFFFF) {
            throw new EngineException.InvalidArgument("invalid terminal size " + height + "x" + width);
        }
        control(bundle, WIN_RESIZE_EVENT + " " + height + " " + width + "\n");
    }

    /** Makes conmon reopen its log file (after the log was moved away). */
    public static void reopenLog(Path bundle) {
        control(bundle, REOPEN_LOGS_EVENT + " 0 0\n");
    }

    private static void control(Path bundle, String message) {
        Path ctl = bundle.resolve(CTL);
        int fd;
        try {
            // non-blocking: opening a FIFO nobody reads (conmon gone) fails with ENXIO instead of hanging
            fd = Posix.open(ctl.toString(), Posix.O_WRONLY | Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        } catch (Posix.ErrnoException e) {
            if (e.errno() == Posix.ENXIO || e.errno() == Posix.ENOENT) {
                throw new EngineException.FailedPrecondition("the container's monitor is not running (" + ctl + ")");
            }
            throw new EngineException.Unavailable("cannot open " + ctl + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot open " + ctl + ": " + e.getMessage(), e);
        }
        try {
            byte[] b = message.getBytes(StandardCharsets.US_ASCII);
            int n = Posix.write(fd, b, 0, b.length);
            if (n != b.length) {
                throw new EngineException.Unavailable("short write to " + ctl);
            }
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot write to " + ctl + ": " + e.getMessage(), e);
        } finally {
            try {
                Posix.close(fd);
            } catch (IOException ignored) {
                // written already
            }
        }
    }
}
