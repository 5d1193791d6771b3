package dev.berth.engine.container.inspect;

import dev.berth.engine.errors.EngineException;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * Samples one container's stats the way {@code GET /containers/{id}/stats} answers: a stream of
 * documents one {@linkplain #interval() interval} apart (one second, as Docker), each carrying the
 * sample before it as {@code precpu_stats}; or a single document, either taken right away
 * ({@code one-shot=true}: no previous sample) or after a second sample one interval after the
 * first ({@code stream=false}: CPU percentages can be computed). Streaming stops when the
 * container stops (the cgroup is gone or {@code running} says so) or the sink asks to.
 */
public final class StatsSampler {

    /** Receives documents; returns false to stop the stream (the client went away). */
    @FunctionalInterface
    public interface Sink {
        boolean accept(ContainerStats stats);
    }

    private final CgroupStats reader;
    private final String id;
    private final String name;
    private final String cgroupPath;
    private final OptionalLong pid;
    private final BooleanSupplier running;
    private final Duration interval;

    /**
     * @param cgroupPath the container's cgroup ({@code /berth/<id>})
     * @param pid        its init process on the host (network counters), or empty
     * @param running    whether the container still runs (e.g. the runtime's state)
     */
    public StatsSampler(CgroupStats reader, String id, String name, String cgroupPath, OptionalLong pid,
                        BooleanSupplier running, Duration interval) {
        this.reader = Objects.requireNonNull(reader);
        this.id = id;
        this.name = name;
        this.cgroupPath = cgroupPath;
        this.pid = pid;
        this.running = running;
        this.interval = interval;
    }

    public Duration interval() {
        return interval;
    }

    /**
     * One document.
     *
     * @param oneShot true: one sample, no {@code precpu_stats}; false: two samples an interval apart
     * @throws EngineException.NotFound when the container is not running
     */
    public ContainerStats once(boolean oneShot) throws InterruptedException {
        ContainerStats.Sample first = reader.read(cgroupPath, pid);
        if (oneShot) {
            return ContainerStats.of(id, name, first, null);
        }
        Thread.sleep(interval);
        try {
            return ContainerStats.of(id, name, reader.read(cgroupPath, pid), first);
        } catch (EngineException.NotFound stopped) {
            return ContainerStats.of(id, name, first, null);
        }
    }

    /**
     * Sends a document every interval until the container stops or the sink returns false. The
     * first document has no previous sample, as with Docker.
     *
     * @return the number of documents sent
     */
    public long stream(Sink sink) throws InterruptedException {
        ContainerStats.Sample previous = null;
        long sent = 0;
        while (running.getAsBoolean()) {
            ContainerStats.Sample now;
            try {
                now = reader.read(cgroupPath, pid);
            } catch (EngineException.NotFound stopped) {
                break;
            }
            sent++;
            if (!sink.accept(ContainerStats.of(id, name, now, previous))) {
                break;
            }
            previous = now;
            Thread.sleep(interval);
        }
        return sent;
    }
}
