package dev.berth.engine.container;

import dev.berth.engine.network.Attachment;
import dev.berth.engine.network.EndpointRequest;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.runtime.AttachSocket;
import dev.berth.engine.runtime.LogReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The engine's container operations: what {@code docker create / start / stop / kill / restart /
 * pause / unpause / rename / wait / rm / container prune / ps / inspect / logs / exec / attach /
 * resize} do. The desktop app calls this in-process; the API's containers router calls it for the
 * docker CLI. Every {@code nameOrId} is a full id, a unique id prefix, or a name (with or without
 * Docker's leading slash).
 *
 * <p>Every change is published once on the event bus with Docker's container event actions
 * (create, start, die with exitCode, kill with signal, stop, pause, unpause, restart, rename,
 * destroy, attach, exec_create and exec_start (as Docker, followed by {@code ": "} and the
 * command), exec_die with exitCode, resize).
 */
public interface ContainerService {

    /** Creates a container from {@code request.image()}; returns it (status created). */
    Container create(CreateRequest request);

    /** Starts a created or stopped container; starting a running one does nothing. */
    Container start(String nameOrId);

    /**
     * Sends the stop signal, waits {@code timeout} (null: the container's stop timeout, else 10 s)
     * and then SIGKILL. Stopping a stopped container does nothing.
     */
    Container stop(String nameOrId, Duration timeout);

    /** Sends {@code signal} (name with or without {@code SIG}, or number; null for KILL). */
    void kill(String nameOrId, String signal);

    Container restart(String nameOrId, Duration timeout);

    Container pause(String nameOrId);

    Container unpause(String nameOrId);

    Container rename(String nameOrId, String newName);

    /**
     * Blocks until {@code condition} holds and returns the exit code.
     *
     * @throws dev.berth.engine.errors.EngineException.Unavailable when {@code timeout} passes first
     */
    int wait(String nameOrId, WaitCondition condition, Duration timeout) throws InterruptedException;

    /**
     * Removes the container, its writable layer and its logs.
     *
     * @param force   kill it first if it runs (otherwise a running container is refused)
     * @param volumes accepted for Docker's {@code -v}; volumes arrive with the volumes issue
     */
    void remove(String nameOrId, boolean force, boolean volumes);

    /** Removes every stopped container (created, exited, dead) that matches {@code filter}. */
    PruneReport prune(ContainerFilter filter);

    List<Container> list(ContainerFilter filter);

    Container inspect(String nameOrId);

    /** The log entries that match {@code options} (no follow). */
    List<LogReader.Entry> logs(String nameOrId, LogOptions options);

    /** The matching entries, then new ones as they come, until the container stops or the thread is interrupted. */
    void followLogs(String nameOrId, LogOptions options, Consumer<LogReader.Entry> sink) throws InterruptedException;

    /** Sets up a command to run in a running container; returns the exec id. */
    String execCreate(String nameOrId, ExecConfig config);

    /** Starts the exec; with a TTY the command runs on a pseudo-terminal ({@code height}/{@code width}, 0 for 24x80). */
    ExecSession execStart(String execId, int height, int width);

    ExecInspect execInspect(String execId);

    void execResize(String execId, int height, int width);

    /** Attaches to the container's stdio (see {@link AttachSession}). */
    AttachSession attach(String nameOrId, String detachKeys);

    /** Resizes the container's TTY. */
    void resize(String nameOrId, int height, int width);

    /**
     * Connects a container to one more network ({@code docker network connect}): a running one at
     * once, a stopped one at its next start.
     *
     * @param endpoint aliases and static address on that network, or null for none
     */
    void connectNetwork(String nameOrId, String network, EndpointRequest endpoint);

    /** Disconnects a container from a network ({@code docker network disconnect}). */
    void disconnectNetwork(String nameOrId, String network, boolean force);

    /** The container's live network attachment (addresses, published ports, namespace) while it has one. */
    Optional<Attachment> networkAttachment(String nameOrId);

    /** The container's mounts with their host sources, as inspect shows them. */
    List<MountPoint> mountPoints(String nameOrId);

    /**
     * Runs {@code op} on the container's root filesystem, for {@code docker cp} and
     * {@code docker export}. A running or paused container's root is given as its processes see
     * it ({@code /proc/<pid>/root}, with its tmpfs and volume mounts). A created or exited
     * container's overlay is mounted for the operation and unmounted after it; the container is
     * held meanwhile (a start waits until the operation is done), as Docker does.
     */
    <T> T withRootfs(String nameOrId, RootfsOperation<T> op);

    /** An operation on a container's root filesystem, given as a host path. */
    @FunctionalInterface
    interface RootfsOperation<T> {
        T apply(java.nio.file.Path root) throws IOException;
    }

    /** How many containers (in any state) were created from image {@code imageId}. */
    int containersUsing(Digest imageId);

    /** Counts for {@code docker info}. */
    Counts counts();

    /** What {@code docker wait --condition} waits for. */
    enum WaitCondition {
        /** Not running now (returns at once for created and exited containers). */
        NOT_RUNNING,
        /** The next exit from now. */
        NEXT_EXIT,
        /** The container is removed. */
        REMOVED;

        public static WaitCondition parse(String s) {
            if (s == null || s.isBlank()) {
                return NOT_RUNNING;
            }
            return switch (s.strip()) {
                case "not-running" -> NOT_RUNNING;
                case "next-exit" -> NEXT_EXIT;
                case "removed" -> REMOVED;
                default -> throw new dev.berth.engine.errors.EngineException.InvalidArgument(
                        "invalid condition: \"" + s + "\" (not-running, next-exit or removed)");
            };
        }
    }

    /**
     * What {@code docker logs} selects.
     *
     * @param since  entries at or after, null for all
     * @param until  entries at or before, null for all
     * @param tail   the last n entries, negative for all
     */
    record LogOptions(boolean stdout, boolean stderr, Instant since, Instant until, int tail) {
        public static final LogOptions ALL = new LogOptions(true, true, null, null, -1);

        public LogOptions withTail(int n) {
            return new LogOptions(stdout, stderr, since, until, n);
        }

        public LogOptions withSince(Instant t) {
            return new LogOptions(stdout, stderr, t, until, tail);
        }

        public LogOptions withUntil(Instant t) {
            return new LogOptions(stdout, stderr, since, t, tail);
        }

        public LogOptions streams(boolean out, boolean err) {
            return new LogOptions(out, err, since, until, tail);
        }
    }

    /** {@code docker exec}'s options; {@code null} user/workdir take the container's. */
    record ExecConfig(List<String> cmd, List<String> env, String user, String workdir, boolean tty,
                      boolean attachStdin, boolean attachStdout, boolean attachStderr) {
        public ExecConfig {
            cmd = cmd == null ? List.of() : List.copyOf(cmd);
            env = env == null ? List.of() : List.copyOf(env);
        }

        public static ExecConfig of(String... cmd) {
            return new ExecConfig(List.of(cmd), List.of(), null, null, false, false, true, true);
        }
    }

    /**
     * The ids of the container's exec instances that are created and not yet ended (Docker's
     * {@code ExecIDs}); empty when there are none.
     */
    List<String> execIds(String nameOrId);

    /** {@code docker exec inspect}: pid is the exec'd process's host pid once known, else 0. */
    record ExecInspect(String id, String containerId, ExecConfig config, boolean running, Integer exitCode, long pid) {}

    /**
     * A started exec. Without a TTY stdout and stderr are separate; with one, {@link #stderr()}
     * is empty and everything comes on {@link #stdout()}.
     */
    interface ExecSession extends AutoCloseable {
        OutputStream stdin();

        InputStream stdout();

        InputStream stderr();

        /** Waits for the command and returns its exit code. */
        int waitFor() throws InterruptedException;

        void resize(int height, int width);

        /** Ends the command if it still runs. */
        @Override
        void close();
    }

    /**
     * An attached client: {@link #read()} gives container output, {@link #write} sends input
     * (the detach key sequence is not forwarded: it ends the session, {@link #detached()} then
     * says so).
     */
    interface AttachSession extends AutoCloseable {
        /** The next output frame, or null at the end (container exited, or detached). */
        AttachSocket.Frame read() throws IOException;

        void write(byte[] data) throws IOException;

        /** Ends the container's input (for non-TTY containers). */
        void closeStdin() throws IOException;

        boolean detached();

        @Override
        void close();
    }

    /** What {@code docker container prune} removed and the bytes of writable layers freed. */
    record PruneReport(List<String> deleted, long spaceReclaimed) {}

    /** Container counts by state. */
    record Counts(int total, int running, int paused, int stopped) {}
}
