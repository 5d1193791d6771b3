package dev.berth.engine.runtime;

import dev.berth.engine.errors.EngineException;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The engine's one runner for short-lived helper commands (runc's subcommands, iptables, umount,
 * nsenter): starts the process with stdin from {@code /dev/null}, drains stdout and stderr while
 * it runs, waits at most the given time and, when that passes, kills the process and the
 * processes it started, then throws {@link EngineException.Unavailable} naming the command and
 * the limit. Each stream keeps at most {@link #MAX_OUTPUT} bytes (the rest is read and dropped),
 * so a chatty child can neither block on a full pipe nor fill the heap.
 *
 * <p>A grandchild that outlives the command while holding its output open does not hold the
 * caller either: once the command has exited (or been killed), output still open after a short
 * grace period is given up and what was read so far is returned (the reader thread keeps
 * dropping what comes later until the pipe closes).
 */
public final class Commands {

    /** Bytes kept per stream. */
    public static final int MAX_OUTPUT = 16 * 1024 * 1024;

    /** How long output may stay open after the command itself has exited. */
    static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);

    /** A finished command: its exit code and what it wrote (stderr is empty when merged into stdout). */
    public record Result(int exit, byte[] stdout, byte[] stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String err() {
            return new String(stderr, StandardCharsets.UTF_8);
        }
    }

    private Commands() {}

    /** Runs {@code command} with stdout and stderr kept apart; throws if it runs longer than {@code timeout}. */
    public static Result run(List<String> command, Duration timeout) {
        return run(command, timeout, false);
    }

    /** Runs {@code command} with stderr merged into stdout (as a terminal shows them); throws if it runs longer than {@code timeout}. */
    public static Result runMerged(List<String> command, Duration timeout) {
        return run(command, timeout, true);
    }

    private static Result run(List<String> command, Duration timeout, boolean merge) {
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(merge)
                    .start();
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        }
        return await(p, String.join(" ", command), timeout);
    }

    /**
     * Collects the output of an already started process and waits for it: at most {@code timeout}
     * (then the process and its descendants are killed and {@link EngineException.Unavailable} is
     * thrown), or without limit when {@code timeout} is null. The caller closes or uses stdin.
     * On interruption the process is killed and the interrupt status kept.
     */
    public static Result await(Process p, String commandLine, Duration timeout) {
        Drain out = Drain.start(p.getInputStream(), "berth-command-stdout");
        Drain err = Drain.start(p.getErrorStream(), "berth-command-stderr");
        try {
            boolean exited;
            if (timeout == null) {
                p.waitFor();
                exited = true;
            } else {
                exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (!exited) {
                killTree(p);
                finish(out, err);
                throw new EngineException.Unavailable(commandLine + " did not finish within " + describe(timeout) + "; it was stopped");
            }
            finish(out, err);
            return new Result(p.exitValue(), out.bytes(), err.bytes());
        } catch (InterruptedException e) {
            killTree(p);
            Thread.currentThread().interrupt();
            throw new EngineException.Unavailable("interrupted while running " + commandLine, e);
        }
    }

    /** Lets both streams end within one grace period from now, then gives up what is still open. */
    private static void finish(Drain out, Drain err) throws InterruptedException {
        long deadline = System.nanoTime() + OUTPUT_GRACE.toNanos();
        out.finish(deadline);
        err.finish(deadline);
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Kills the process and the processes it started (its own tree only), children first. */
    static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads one stream to its end on its own thread, keeping at most {@link #MAX_OUTPUT} bytes. */
    private static final class Drain implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread thread;
        private boolean abandoned; // guarded by kept
        private byte[] snapshot = new byte[0]; // guarded by kept; what was read before abandoning

        private Drain(InputStream in, String name) {
            this.in = in;
            this.thread = Thread.ofVirtual().name(name).unstarted(this);
        }

        static Drain start(InputStream in, String name) {
            Drain d = new Drain(in, name);
            d.thread.start();
            return d;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (kept) {
                        int room = MAX_OUTPUT - kept.size();
                        if (room > 0 && !abandoned) {
                            kept.write(buf, 0, Math.min(n, room));
                        }
                    }
                }
            } catch (IOException e) {
                // the pipe failed: keep what was read
            }
        }

        /**
         * Waits until {@code deadline} ({@link System#nanoTime}) for the end of the stream, then
         * abandons it: the reader keeps draining (dropping) until whoever holds the pipe closes
         * it. The stream is not closed under the blocked reader, whose file descriptor number
         * could otherwise be reused by an unrelated open and read by it.
         */
        void finish(long deadline) throws InterruptedException {
            if (!thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                synchronized (kept) {
                    snapshot = kept.toByteArray();
                    kept.reset();
                    abandoned = true;
                }
            }
        }

        byte[] bytes() {
            synchronized (kept) {
                return abandoned ? snapshot : kept.toByteArray();
            }
        }
    }
}
