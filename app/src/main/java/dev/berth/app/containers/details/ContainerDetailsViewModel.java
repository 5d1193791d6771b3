package dev.berth.app.containers.details;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.i18n.ErrorText;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.UiExecutor;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.concurrent.Callable;

/**
 * The state of the Details tabs but Logs and Terminal: the container shown, its inspect document
 * (also the source of the Network tab), processes, changed files, X-ray, and the live stats
 * (the last {@value #STATS_POINTS} readings). Every call runs on the background executor; results
 * and errors land in properties on the UI thread, and a result for a container no longer shown
 * is dropped.
 */
public final class ContainerDetailsViewModel {

    /** Stats readings kept for the charts (about two minutes at one a second). */
    public static final int STATS_POINTS = 120;

    private final DetailsClient client;
    private final UiExecutor ui;
    private final LogsViewModel logs;
    private final ReadOnlyStringWrapper containerId = new ReadOnlyStringWrapper(this, "containerId");
    private final Part inspect = new Part();
    private final Part top = new Part();
    private final Part changes = new Part();
    private final Part xray = new Part();
    private final ObservableList<StatsPoint> stats = FXCollections.observableArrayList();
    private final ObjectProperty<Text> statsStatus = new SimpleObjectProperty<>(this, "statsStatus");
    private volatile Thread statsReader;

    /** One loaded document and the error of its last load. */
    public static final class Part {
        private final ObjectProperty<JsonNode> value = new SimpleObjectProperty<>();
        private final ObjectProperty<Text> error = new SimpleObjectProperty<>();

        public ObjectProperty<JsonNode> valueProperty() {
            return value;
        }

        public ObjectProperty<Text> errorProperty() {
            return error;
        }
    }

    public ContainerDetailsViewModel(DetailsClient client, UiExecutor ui) {
        this.client = client;
        this.ui = ui;
        this.logs = new LogsViewModel(client, ui);
    }

    public DetailsClient client() {
        return client;
    }

    public UiExecutor ui() {
        return ui;
    }

    public LogsViewModel logs() {
        return logs;
    }

    /** Shows container {@code id} (null: nothing): loads inspect, then starts the log and stats streams. */
    public void show(String id) {
        stopStreams();
        containerId.set(id);
        for (Part p : new Part[] {inspect, top, changes, xray}) {
            p.value.set(null);
            p.error.set(null);
        }
        stats.clear();
        statsStatus.set(null);
        logs.lines().clear();
        if (id == null) {
            return;
        }
        load(inspect, () -> client.inspect(id), node -> {
            logs.start(id, node.path("Config").path("Tty").asBoolean());
            if (node.path("State").path("Running").asBoolean()) {
                startStats(id);
            } else {
                statsStatus.set(Text.of("details.notRunning"));
            }
        });
    }

    public void refreshInspect() {
        String id = containerId.get();
        if (id != null) {
            load(inspect, () -> client.inspect(id), n -> { });
        }
    }

    public void refreshTop() {
        String id = containerId.get();
        if (id != null) {
            load(top, () -> client.top(id), n -> { });
        }
    }

    public void refreshChanges() {
        String id = containerId.get();
        if (id != null) {
            load(changes, () -> client.changes(id), n -> { });
        }
    }

    public void refreshXray() {
        String id = containerId.get();
        if (id != null) {
            load(xray, () -> client.xray(id), n -> { });
        }
    }

    private void load(Part part, Callable<JsonNode> call, java.util.function.Consumer<JsonNode> then) {
        String id = containerId.get();
        ui.submit(Text.of("details.loading"), call, node -> {
            if (java.util.Objects.equals(id, containerId.get())) {
                part.error.set(null);
                part.value.set(node);
                then.accept(node);
            }
        }, e -> {
            if (java.util.Objects.equals(id, containerId.get())) {
                part.error.set(ErrorText.of(e));
            }
        });
    }

    private void startStats(String id) {
        Thread t = Thread.ofPlatform().daemon().name("berth-stats").unstarted(() -> {
            Throwable failure = null;
            try {
                client.stats(id, p -> ui.runOnUi(() -> {
                    if (id.equals(containerId.get())) {
                        stats.add(p);
                        if (stats.size() > STATS_POINTS) {
                            stats.remove(0, stats.size() - STATS_POINTS);
                        }
                    }
                }));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                failure = e;
            }
            Throwable f = failure;
            ui.runOnUi(() -> {
                if (id.equals(containerId.get())) {
                    statsStatus.set(f == null ? Text.of("details.stats.ended") : ErrorText.of(f));
                }
            });
        });
        statsReader = t;
        t.start();
    }

    /** Stops the log and stats streams. */
    public void stopStreams() {
        logs.stop();
        Thread t = statsReader;
        statsReader = null;
        if (t != null) {
            t.interrupt();
        }
    }

    public ReadOnlyStringProperty containerIdProperty() {
        return containerId.getReadOnlyProperty();
    }

    public Part inspect() {
        return inspect;
    }

    public Part top() {
        return top;
    }

    public Part changes() {
        return changes;
    }

    public Part xray() {
        return xray;
    }

    public ObservableList<StatsPoint> stats() {
        return stats;
    }

    public ObjectProperty<Text> statsStatusProperty() {
        return statsStatus;
    }
}
