package dev.berth.app.containers;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Keeps one stats stream open per running container, for the table's CPU % and memory columns.
 * {@link #retain} is told which containers run now: it opens streams for new ones and closes
 * those of containers that stopped. A stream also ends by itself when its container stops (the
 * engine ends it); {@code onEnd} then clears the row's figures.
 */
public final class ContainerStatsSampler implements AutoCloseable {

    /** Where samples come from: {@link ContainersClient#streamStats}, blocking until the stream ends. */
    @FunctionalInterface
    public interface Source {
        void stream(String id, Consumer<StatsSample> onSample) throws InterruptedException;
    }

    private static final System.Logger LOG = System.getLogger(ContainerStatsSampler.class.getName());

    private final Source source;
    private final BiConsumer<String, StatsSample> onSample;
    private final Consumer<String> onEnd;
    private final Map<String, Thread> streams = new HashMap<>();
    private boolean closed;

    /**
     * @param onSample gets each sample (on the stream's thread)
     * @param onEnd    gets the id of a container whose stream ended or was closed (on any thread)
     */
    public ContainerStatsSampler(Source source, BiConsumer<String, StatsSample> onSample, Consumer<String> onEnd) {
        this.source = source;
        this.onSample = onSample;
        this.onEnd = onEnd;
    }

    /** Samples exactly the containers in {@code running}. */
    public synchronized void retain(Set<String> running) {
        if (closed) {
            return;
        }
        streams.entrySet().removeIf(e -> {
            if (!running.contains(e.getKey())) {
                e.getValue().interrupt();
                return true;
            }
            return false;
        });
        for (String id : running) {
            if (!streams.containsKey(id)) {
                // platform threads: the unix socket's reads are native calls that would pin a virtual
                // thread's carrier, and with a few streams starve every virtual thread in the process
                streams.put(id, Thread.ofPlatform().daemon().name("berth-stats-" + (id.length() > 12 ? id.substring(0, 12) : id))
                        .start(() -> sample(id)));
            }
        }
    }

    private void sample(String id) {
        try {
            source.stream(id, s -> {
                if (!Thread.currentThread().isInterrupted()) {
                    onSample.accept(id, s);
                }
            });
        } catch (InterruptedException e) {
            // closed by retain or close
        } catch (RuntimeException e) {
            // the container stopped between the list and the stream, or the engine went away
            LOG.log(System.Logger.Level.DEBUG, "stats of " + id + " ended: " + e.getMessage());
        } finally {
            synchronized (this) {
                if (streams.get(id) == Thread.currentThread()) {
                    streams.remove(id);
                }
            }
            onEnd.accept(id);
        }
    }

    /** The containers sampled now. */
    public synchronized Set<String> sampling() {
        return Set.copyOf(streams.keySet());
    }

    @Override
    public synchronized void close() {
        closed = true;
        streams.values().forEach(Thread::interrupt);
        streams.clear();
    }
}
