package dev.berth.engine.runtime;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * Wakes whoever waits for a file the runtime writes, the moment it is written: conmon's exit
 * file (the exit directory is always watched) and runc's pid file (a bundle directory, watched
 * while its container is created). One inotify watch service (the JDK's {@link WatchService})
 * bumps a generation counter on any event; waiters block on it, then look at their file
 * themselves, and wait with a bound, so a missed or coalesced event only costs that bound. The
 * service ends by itself once the exit directory is removed (a throw-away state root).
 */
final class ExitWatch {

    private static final System.Logger LOG = System.getLogger(ExitWatch.class.getName());

    private final Object lock = new Object();
    private long generation;
    private final WatchService service;
    private final WatchKey exitKey;

    ExitWatch(Path dir) {
        WatchService ws = null;
        WatchKey key = null;
        try {
            ws = dir.getFileSystem().newWatchService();
            key = dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "no inotify watch on " + dir + " (exits are noticed by polling): " + e.getMessage());
        }
        this.service = key == null ? null : ws;
        this.exitKey = key;
        if (service != null) {
            Thread.ofPlatform().daemon().name("berth-exit-watch").start(this::watch);
        }
    }

    /**
     * Also wakes waiters on changes in {@code dir} until the returned handle is closed; without
     * a watch service (or when the directory cannot be watched) waiters fall back to polling.
     */
    AutoCloseable watch(Path dir) {
        if (service == null) {
            return () -> { };
        }
        try {
            WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            return key::cancel;
        } catch (IOException | RuntimeException e) {
            return () -> { };
        }
    }

    private void watch() {
        try (WatchService ws = service) {
            while (true) {
                WatchKey key = ws.take();
                key.pollEvents();
                boolean valid = key.reset();
                bump();
                if (!valid && key == exitKey) {
                    return; // the exit directory is gone: so is the state root
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // ends with the process
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "exit watch closed: " + e.getMessage());
        }
    }

    private void bump() {
        synchronized (lock) {
            generation++;
            lock.notifyAll();
        }
    }

    /** The current generation: read before looking at an exit file, then passed to {@link #awaitChange}. */
    long generation() {
        synchronized (lock) {
            return generation;
        }
    }

    /** Waits until something was written to the exit directory after {@code seen}, or {@code maxMillis} passed. */
    void awaitChange(long seen, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        synchronized (lock) {
            while (generation == seen) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return;
                }
                lock.wait(left);
            }
        }
    }
}
