package dev.berth.app.containers.details;

import dev.berth.app.i18n.ErrorText;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.UiExecutor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Logs tab's state: every line of the container's log (streamed with {@code follow}), whether
 * the view follows new lines and shows timestamps, and the search with its matches. Lines arrive
 * on a background thread and are handed to the UI thread in batches (one UI turn per burst), so a
 * container printing 100,000 lines costs a few hundred list updates, not 100,000.
 */
public final class LogsViewModel {

    private final DetailsClient client;
    private final UiExecutor ui;
    private final ObservableList<LogLine> lines = FXCollections.observableArrayList();
    private final BooleanProperty follow = new SimpleBooleanProperty(this, "follow", true);
    private final BooleanProperty timestamps = new SimpleBooleanProperty(this, "timestamps", false);
    private final StringProperty search = new SimpleStringProperty(this, "search", "");
    private final IntegerProperty matches = new SimpleIntegerProperty(this, "matches", 0);
    private final IntegerProperty currentMatch = new SimpleIntegerProperty(this, "currentMatch", -1);
    private final ObjectProperty<Text> status = new SimpleObjectProperty<>(this, "status");
    private final BooleanProperty streaming = new SimpleBooleanProperty(this, "streaming", false);
    private final List<Integer> matchIndexes = new ArrayList<>();

    private final ConcurrentLinkedQueue<LogLine> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicLong generation = new AtomicLong();
    private volatile Thread reader;

    public LogsViewModel(DetailsClient client, UiExecutor ui) {
        this.client = client;
        this.ui = ui;
        search.addListener((obs, old, now) -> recomputeMatches());
    }

    /**
     * Streams the log of container {@code id} (clearing what was shown): its lines so far, then
     * new ones while it runs.
     */
    public void start(String id, boolean tty) {
        stop();
        lines.clear();
        pending.clear();
        matchIndexes.clear();
        matches.set(0);
        currentMatch.set(-1);
        status.set(null);
        long gen = generation.incrementAndGet();
        streaming.set(true);
        Thread t = Thread.ofPlatform().daemon().name("berth-logs-" + id.substring(0, Math.min(12, id.length()))).unstarted(() -> {
            Throwable failure = null;
            try {
                client.logs(id, tty, -1, true, line -> {
                    pending.add(line);
                    scheduleFlush(gen);
                });
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                failure = e;
            }
            Throwable f = failure;
            ui.runOnUi(() -> {
                if (gen == generation.get()) {
                    flush();
                    streaming.set(false);
                    status.set(f == null ? Text.of("details.logs.ended") : ErrorText.of(f));
                }
            });
        });
        reader = t;
        t.start();
    }

    /** Stops streaming; the lines stay. */
    public void stop() {
        generation.incrementAndGet();
        Thread t = reader;
        reader = null;
        if (t != null) {
            t.interrupt();
        }
        streaming.set(false);
    }

    private void scheduleFlush(long gen) {
        if (flushScheduled.compareAndSet(false, true)) {
            ui.runOnUi(() -> {
                flushScheduled.set(false);
                if (gen == generation.get()) {
                    flush();
                } else {
                    pending.clear();
                }
            });
        }
    }

    private void flush() {
        List<LogLine> batch = new ArrayList<>();
        LogLine l;
        while ((l = pending.poll()) != null) {
            batch.add(l);
        }
        if (batch.isEmpty()) {
            return;
        }
        int base = lines.size();
        lines.addAll(batch);
        String needle = needle();
        if (needle != null) {
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).plain().toLowerCase(Locale.ROOT).contains(needle)) {
                    matchIndexes.add(base + i);
                }
            }
            matches.set(matchIndexes.size());
        }
    }

    private String needle() {
        String s = search.get();
        return s == null || s.isBlank() ? null : s.toLowerCase(Locale.ROOT);
    }

    private void recomputeMatches() {
        matchIndexes.clear();
        String needle = needle();
        if (needle != null) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).plain().toLowerCase(Locale.ROOT).contains(needle)) {
                    matchIndexes.add(i);
                }
            }
        }
        matches.set(matchIndexes.size());
        currentMatch.set(matchIndexes.isEmpty() ? -1 : 0);
    }

    /** The line index of the next match after the current one (wrapping), or -1 when there is none. */
    public int nextMatch(boolean forward) {
        if (matchIndexes.isEmpty()) {
            return -1;
        }
        int n = matchIndexes.size();
        int cur = currentMatch.get();
        int next = cur < 0 ? 0 : forward ? (cur + 1) % n : (cur - 1 + n) % n;
        currentMatch.set(next);
        return matchIndexes.get(next);
    }

    /** The line index of the current match, or -1. */
    public int currentMatchLine() {
        int cur = currentMatch.get();
        return cur < 0 || cur >= matchIndexes.size() ? -1 : matchIndexes.get(cur);
    }

    /**
     * Writes every line to {@code file}: {@code timestamp stream text} (escape sequences removed),
     * one a line. Call off the UI thread with a snapshot of the lines.
     */
    public static void save(List<LogLine> snapshot, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (LogLine l : snapshot) {
                if (l.timestamp() != null) {
                    w.write(l.timestamp());
                    w.write(' ');
                }
                w.write(l.stream() == LogLine.Stream.STDERR ? "stderr " : "stdout ");
                w.write(l.plain());
                w.write('\n');
            }
        }
    }

    /** Saves the lines shown now to {@code file} in the background; the status says how it went. */
    public Future<?> saveTo(Path file) {
        List<LogLine> snapshot = List.copyOf(lines);
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        ui.submit(Text.of("details.logs.saving"), () -> {
            save(snapshot, file);
            return file;
        }, f -> {
            status.set(Text.of("details.logs.saved", snapshot.size(), f.toString()));
            done.complete(null);
        }, e -> {
            status.set(ErrorText.of(e));
            done.completeExceptionally(e);
        });
        return done;
    }

    public ObservableList<LogLine> lines() {
        return lines;
    }

    public BooleanProperty followProperty() {
        return follow;
    }

    public BooleanProperty timestampsProperty() {
        return timestamps;
    }

    public StringProperty searchProperty() {
        return search;
    }

    public IntegerProperty matchesProperty() {
        return matches;
    }

    public IntegerProperty currentMatchProperty() {
        return currentMatch;
    }

    public ObjectProperty<Text> statusProperty() {
        return status;
    }

    public BooleanProperty streamingProperty() {
        return streaming;
    }
}
