package dev.berth.app.events;

import dev.berth.app.backend.Backend;
import dev.berth.app.backend.EngineEvent;
import dev.berth.app.backend.EventSubscription;
import dev.berth.app.i18n.ErrorText;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.UiExecutor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The Events pane's state: the latest {@link #capacity()} events, newest first; a filter; pause
 * (arrivals are held, not shown, until resumed) and clear. Events arrive on the backend's
 * thread, queue up, and are added in one batch per UI-thread turn, so a burst of thousands
 * costs one list change rather than thousands.
 */
public final class EventsViewModel implements AutoCloseable {

    public static final int DEFAULT_CAPACITY = 10_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final UiExecutor executor;
    private final int capacity;
    private final ObservableList<EngineEvent> events = FXCollections.observableArrayList();
    private final ObservableList<EngineEvent> eventsView = FXCollections.unmodifiableObservableList(events);
    private final FilteredList<EngineEvent> visible = new FilteredList<>(events);
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused");
    private final ReadOnlyIntegerWrapper waiting = new ReadOnlyIntegerWrapper(this, "waiting");
    private final ReadOnlyObjectWrapper<Text> problem = new ReadOnlyObjectWrapper<>(this, "problem");
    private final ConcurrentLinkedQueue<EngineEvent> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final List<EngineEvent> held = new ArrayList<>();
    private final ObjectBinding<Text> summary;
    private volatile EventSubscription subscription;

    public EventsViewModel(UiExecutor executor) {
        this(executor, DEFAULT_CAPACITY);
    }

    public EventsViewModel(UiExecutor executor, int capacity) {
        this.executor = executor;
        this.capacity = capacity;
        filter.addListener((obs, old, now) -> {
            String needle = now == null ? "" : now.strip().toLowerCase(Locale.ROOT);
            visible.setPredicate(needle.isEmpty() ? null : e -> matches(e, needle));
        });
        paused.addListener((obs, was, now) -> {
            if (!now) {
                show(new ArrayList<>(held));
                held.clear();
                waiting.set(0);
            }
        });
        summary = Bindings.createObjectBinding(() -> Text.of("events.count", visible.size(), events.size()), visible, events);
    }

    /** Starts showing {@code backend}'s events from {@code since} on (none from before when null). */
    public void connect(Backend backend, Instant since) {
        close();
        problem.set(null);
        subscription = backend.events(since, this::arrived, failure -> executor.runOnUi(() ->
                problem.set(failure == null ? Text.of("events.streamEnded") : ErrorText.of(failure))));
    }

    /** Called on the backend's thread for each event. */
    private void arrived(EngineEvent event) {
        incoming.add(event);
        if (flushScheduled.compareAndSet(false, true)) {
            executor.runOnUi(this::flush);
        }
    }

    private void flush() {
        flushScheduled.set(false);
        List<EngineEvent> batch = new ArrayList<>();
        for (EngineEvent e; (e = incoming.poll()) != null; ) {
            batch.add(e);
        }
        if (batch.isEmpty()) {
            return;
        }
        if (paused.get()) {
            held.addAll(batch);
            if (held.size() > capacity) {
                held.subList(0, held.size() - capacity).clear();
            }
            waiting.set(held.size());
        } else {
            show(batch);
        }
    }

    /** Adds {@code batch} (oldest first) at the top, newest first, dropping the oldest beyond capacity. */
    private void show(List<EngineEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<EngineEvent> newestFirst = new ArrayList<>(batch.size() > capacity ? batch.subList(batch.size() - capacity, batch.size()) : batch);
        Collections.reverse(newestFirst);
        int overflow = events.size() + newestFirst.size() - capacity;
        if (overflow > 0) {
            events.remove(events.size() - overflow, events.size());
        }
        events.addAll(0, newestFirst);
    }

    /** Forgets every event shown and held. */
    public void clear() {
        events.clear();
        held.clear();
        waiting.set(0);
    }

    /** The events that pass the filter, newest first. */
    public ObservableList<EngineEvent> visibleEvents() {
        return visible;
    }

    /** Every event kept, newest first. */
    public ObservableList<EngineEvent> allEvents() {
        return eventsView;
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public BooleanProperty pausedProperty() {
        return paused;
    }

    /** Events that arrived while paused and are not shown yet. */
    public ReadOnlyIntegerProperty waitingProperty() {
        return waiting.getReadOnlyProperty();
    }

    /** Why the stream stopped, or null while it runs. */
    public ReadOnlyObjectProperty<Text> problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** "N of M events". */
    public ObjectBinding<Text> summary() {
        return summary;
    }

    public int capacity() {
        return capacity;
    }

    @Override
    public void close() {
        EventSubscription s = subscription;
        subscription = null;
        if (s != null) {
            s.close();
        }
    }

    // ---- presentation helpers shared by the table and the filter -------------------------------

    /** Local time with milliseconds. */
    public static String timeText(EngineEvent e) {
        return TIME.format(e.time().atZone(ZoneId.systemDefault()));
    }

    /** Attributes as {@code key=value}, sorted by key, comma-separated. */
    public static String attributesText(EngineEvent e) {
        return new TreeMap<>(e.attributes()).entrySet().stream()
                .map(Map.Entry::toString).collect(Collectors.joining(", "));
    }

    static boolean matches(EngineEvent e, String needle) {
        return contains(e.type(), needle) || contains(e.action(), needle) || contains(e.actorId(), needle)
                || contains(e.actorLabel(), needle) || contains(attributesText(e), needle);
    }

    private static boolean contains(String haystack, String needle) {
        return haystack.toLowerCase(Locale.ROOT).contains(needle);
    }
}
