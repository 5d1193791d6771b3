package dev.berth.app.testing;

import dev.berth.app.backend.Backend;
import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.app.task.UiExecutor;
import dev.berth.engine.EngineConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A view model without a window: one thread stands in for the JavaFX thread, and an embedded
 * engine on a temp directory serves its API socket ({@code <tmp>/b.sock}). Every read of the
 * view model goes through {@link #onUi}, as the real view's would:
 * <pre>{@code
 * h = HeadlessViewModel.start(tmp, VolumesViewModel::new, VolumesViewModel::connect);
 * List<Volume> rows = h.waitFor(VolumesViewModel::rows, r -> r.size() == 2, v -> "");
 * }</pre>
 * {@link #close()} closes the view model, then the engine, then the thread.
 */
public final class HeadlessViewModel<V extends AutoCloseable> implements AutoCloseable {

    /** How long a condition may take: an engine call and an event on 2 shared cores. */
    public static final int WAIT_SECONDS = 20;

    private final ExecutorService uiThread = Executors.newSingleThreadExecutor();
    private EmbeddedBackend backend;
    private V vm;

    private HeadlessViewModel() {}

    /** Starts the engine, makes the view model on the stand-in UI thread and connects it there. */
    public static <V extends AutoCloseable> HeadlessViewModel<V> start(Path tmp, Function<UiExecutor, V> create,
                                                                      BiConsumer<V, Backend> connect) {
        HeadlessViewModel<V> h = new HeadlessViewModel<>();
        try {
            h.backend = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("b.sock")), true);
            h.vm = create.apply(new UiExecutor(h.uiThread));
            h.onUi(v -> {
                connect.accept(v, h.backend);
                return null;
            });
            return h;
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    public EmbeddedBackend backend() {
        return backend;
    }

    /** Reads {@code read} of the view model on its UI thread. */
    public <T> T onUi(Function<V, T> read) {
        try {
            return uiThread.submit(() -> read.apply(vm)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Waits until the list {@code rows} reads holds what {@code condition} asks and returns a copy;
     * a timeout names the last list and what {@code state} says of the view model (say, its status).
     */
    public <R> List<R> waitFor(Function<V, List<R>> rows, Predicate<List<R>> condition, Function<V, Object> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            List<R> now = onUi(v -> List.copyOf(rows.apply(v)));
            if (condition.test(now)) {
                return now;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("rows never matched; last: " + onUi(v -> List.copyOf(rows.apply(v))) + " " + onUi(state));
    }

    /** Waits until {@code condition} holds. */
    public static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT_SECONDS + " s");
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        try {
            if (vm != null) {
                vm.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot close the view model", e);
        } finally {
            try {
                if (backend != null) {
                    backend.close();
                }
            } finally {
                uiThread.shutdownNow();
            }
        }
    }
}
