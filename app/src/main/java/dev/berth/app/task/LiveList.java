package dev.berth.app.task;

import dev.berth.app.backend.Backend;
import dev.berth.app.backend.EngineEvent;
import dev.berth.app.backend.EventSubscription;
import dev.berth.app.i18n.Text;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The rows of a pane that lists engine objects (networks, volumes): read in the background through a
 * client made once per connected backend, and read again whenever the backend publishes an event the
 * pane cares about, never on a timer. Events that arrive while a read is already queued fold into it.
 * A view model composes one and keeps its own commands; rows change only on the JavaFX thread.
 *
 * @param <T> a row
 * @param <C> the pane's client over the backend's Docker API
 */
public final class LiveList<T, C> implements AutoCloseable {

    private final UiExecutor executor;
    private final Text readTask;
    private final Function<Backend, C> newClient;
    private final Function<C, List<T>> read;
    private final Predicate<EngineEvent> relevant;
    private final Consumer<Throwable> onFailure;
    private final ObservableList<T> rows = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Backend> backend = new ReadOnlyObjectWrapper<>(this, "backend");
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(this, "loaded");
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    /** Counts connections: a read started for an earlier backend (or client) must not replace newer rows. */
    private final AtomicLong generation = new AtomicLong();
    private volatile Bound<C> bound;
    private volatile EventSubscription subscription;

    /**
     * @param readTask  the background task's title while the list is read
     * @param newClient makes the client for a backend (called lazily, on a background thread)
     * @param read      reads every row through the client
     * @param relevant  which events make the list stale
     * @param onFailure gets a failed read (on the JavaFX thread)
     */
    public LiveList(UiExecutor executor, Text readTask, Function<Backend, C> newClient, Function<C, List<T>> read,
                    Predicate<EngineEvent> relevant, Consumer<Throwable> onFailure) {
        this.executor = executor;
        this.readTask = readTask;
        this.newClient = newClient;
        this.read = read;
        this.relevant = relevant;
        this.onFailure = onFailure;
    }

    /** Starts showing {@code b}'s objects and following its events; drops the previous backend's. */
    public void connect(Backend b) {
        close();
        backend.set(b);
        generation.incrementAndGet(); // after the backend: a thread that sees the new generation sees the new backend
        subscription = b.events(Instant.now(), this::onEvent, failure -> { });
        refresh();
    }

    private void onEvent(EngineEvent e) {
        if (relevant.test(e) && refreshQueued.compareAndSet(false, true)) {
            executor.runOnUi(() -> {
                refreshQueued.set(false);
                refresh();
            });
        }
    }

    /** A client and the connection it was made for. */
    private record Bound<C>(long generation, C client) {}

    /** The client for the connected backend (a read still running for an earlier one never hands its client on). */
    public C client() {
        long gen = generation.get();
        Bound<C> b = bound;
        if (b == null || b.generation() != gen) {
            b = new Bound<>(gen, newClient.apply(backend.get()));
            bound = b;
        }
        return b.client();
    }

    /**
     * Reads the list again in the background (nothing before the first {@link #connect}). A read that
     * ends after the list was connected again is dropped: its rows (or failure) are the old backend's.
     */
    public void refresh() {
        if (backend.get() == null) {
            return;
        }
        long gen = generation.get();
        executor.submit(readTask, () -> read.apply(client()), rows -> {
            if (gen == generation.get()) {
                show(rows);
            }
        }, failure -> {
            if (gen == generation.get()) {
                onFailure.accept(failure);
            }
        });
    }

    /** Replaces the rows with {@code now}, as a read does (on the JavaFX thread). */
    public void show(List<T> now) {
        rows.setAll(now);
        loaded.set(true);
    }

    /** The rows as last read. */
    public ObservableList<T> rows() {
        return rows;
    }

    /** False until the first read has arrived. */
    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Backend> backendProperty() {
        return backend.getReadOnlyProperty();
    }

    /** Stops following events and forgets the client; the rows stay as they are. */
    @Override
    public void close() {
        EventSubscription s = subscription;
        subscription = null;
        bound = null;
        if (s != null) {
            s.close();
        }
    }
}
