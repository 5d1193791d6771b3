package dev.berth.app.volumes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.backend.Backend;
import dev.berth.app.backend.EngineEvent;
import dev.berth.app.components.EmptyState;
import dev.berth.app.i18n.ErrorText;
import dev.berth.app.i18n.Text;
import dev.berth.app.images.Formats;
import dev.berth.app.networks.NetworkForm;
import dev.berth.app.task.LiveList;
import dev.berth.app.task.UiExecutor;
import dev.berth.app.volumes.VolumesClient.FileEntry;
import dev.berth.app.volumes.VolumesClient.Volume;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The Volumes pane's state: every volume with its size and the containers using it, read again
 * when the engine publishes a {@code volume} event or a container is removed (which frees its
 * volumes), never on a timer; the pane's commands; and the file browser's directory reads.
 * Every engine call runs on the executor's background threads through {@link VolumesClient}.
 */
public final class VolumesViewModel implements AutoCloseable {

    /** Container actions that change which volumes are used. */
    static final Set<String> CONTAINER_ACTIONS = Set.of("create", "destroy", "start", "die");

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final Pattern SIZE = Pattern.compile("\\d+[kmgKMG]?");

    private final UiExecutor executor;
    private final EmptyState emptyState = EmptyState.forPane("volumes");
    private final LiveList<Volume, VolumesClient> list;
    private final ReadOnlyObjectWrapper<Text> status = new ReadOnlyObjectWrapper<>(this, "status");
    private final ReadOnlyBooleanWrapper statusIsError = new ReadOnlyBooleanWrapper(this, "statusIsError");
    private final BooleanBinding empty;
    private final ObjectBinding<Text> summary;

    public VolumesViewModel(UiExecutor executor) {
        this.executor = executor;
        list = new LiveList<>(executor, Text.of("volumes.task.list"), b -> new VolumesClient(b.api()), VolumesClient::list,
                VolumesViewModel::changesVolumes, this::fail);
        ObservableList<Volume> rows = list.rows();
        empty = Bindings.isEmpty(rows);
        summary = Bindings.createObjectBinding(() -> Text.of("volumes.count", rows.size()), rows);
    }

    public String titleKey() {
        return "volumes.title";
    }

    public String subtitleKey() {
        return "volumes.subtitle";
    }

    public EmptyState emptyState() {
        return emptyState;
    }

    /** Starts showing {@code b}'s volumes and following its volume and container events. */
    public void connect(Backend b) {
        list.connect(b);
    }

    private static boolean changesVolumes(EngineEvent e) {
        return "volume".equals(e.type()) || ("container".equals(e.type()) && CONTAINER_ACTIONS.contains(e.action()));
    }

    private VolumesClient client() {
        return list.client();
    }

    /** Reads the list again in the background. */
    public void refresh() {
        list.refresh();
    }

    /**
     * The create dialog's first problem, or null: a name is optional (the engine makes one up) but
     * must follow Docker's rule; a tmpfs size is a number with k, m or g; labels are {@code key=value} lines.
     */
    public static Text validate(String name, boolean tmpfs, String tmpfsSize, String labels) {
        String n = name == null ? "" : name.strip();
        if (!n.isEmpty() && !NAME.matcher(n).matches()) {
            return Text.of("volumes.validation.name", n);
        }
        if (tmpfs && tmpfsSize != null && !tmpfsSize.isBlank() && !SIZE.matcher(tmpfsSize.strip()).matches()) {
            return Text.of("volumes.validation.size", tmpfsSize.strip());
        }
        try {
            NetworkForm.labels(labels);
        } catch (IllegalArgumentException e) {
            return Text.of("volumes.validation.label", e.getMessage());
        }
        return null;
    }

    /** {@code docker volume create}; {@code onError} gets the engine's refusal in words. */
    public void create(String name, String labels, boolean tmpfs, String tmpfsSize, Runnable onDone, Consumer<Text> onError) {
        executor.submit(Text.of("volumes.task.create", name == null ? "" : name.strip()),
                () -> client().create(name, NetworkForm.labels(labels), tmpfs, tmpfsSize), created -> {
                    report(Text.of("volumes.created", created), false);
                    refresh();
                    onDone.run();
                }, t -> onError.accept(ErrorText.of(t)));
    }

    /** {@code docker volume rm [-f]}; a volume in use is refused and the reason shown. */
    public void remove(Volume v, boolean force) {
        executor.submit(Text.of("volumes.task.remove", v.name()), () -> {
            client().remove(v.name(), force);
            return v;
        }, removed -> {
            report(Text.of("volumes.removed", v.name()), false);
            refresh();
        }, this::fail);
    }

    /** {@code docker volume prune -f [--all]}. */
    public void prune(boolean all, Consumer<VolumesClient.Pruned> onDone) {
        executor.submit(Text.of("volumes.task.prune"), () -> client().prune(all), r -> {
            report(Text.of("volumes.pruned", r.names().size(), Formats.size(r.spaceReclaimed())), false);
            refresh();
            onDone.accept(r);
        }, this::fail);
    }

    public void inspect(Volume v, Consumer<JsonNode> onResult) {
        executor.submit(Text.of("volumes.task.inspect", v.name()), () -> client().inspect(v.name()), onResult, this::fail);
    }

    /** One directory of {@code v} for the file browser; {@code onError} gets why it cannot be read. */
    public void files(Volume v, String path, Consumer<List<FileEntry>> onResult, Consumer<Text> onError) {
        executor.submit(Text.of("volumes.task.files", v.name(), path), () -> client().files(v.name(), path), onResult,
                t -> onError.accept(ErrorText.of(t)));
    }

    private void fail(Throwable t) {
        report(ErrorText.of(t), true);
    }

    private void report(Text text, boolean error) {
        statusIsError.set(error);
        status.set(text);
    }

    // ---- state ----------------------------------------------------------------------------------

    /** Every volume, by name. */
    public ObservableList<Volume> rows() {
        return list.rows();
    }

    /** True while the engine has no volumes (the pane shows its empty state then). */
    public BooleanBinding emptyProperty() {
        return empty;
    }

    public ReadOnlyBooleanProperty loadedProperty() {
        return list.loadedProperty();
    }

    public ReadOnlyObjectProperty<Backend> backendProperty() {
        return list.backendProperty();
    }

    public ReadOnlyObjectProperty<Text> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty statusIsErrorProperty() {
        return statusIsError.getReadOnlyProperty();
    }

    /** "N volumes". */
    public ObjectBinding<Text> summary() {
        return summary;
    }

    @Override
    public void close() {
        list.close();
    }
}
