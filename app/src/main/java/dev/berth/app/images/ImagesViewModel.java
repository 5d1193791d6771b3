package dev.berth.app.images;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.backend.Backend;
import dev.berth.app.components.EmptyState;
import dev.berth.app.i18n.ErrorText;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.LiveList;
import dev.berth.app.task.UiExecutor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The Images pane's state: one row per tag (a dangling image is one {@code <none>} row), a
 * filter, a "show dangling" switch, and the commands of the toolbar and context menu. The list
 * is read again when the engine publishes an image event (pull, tag, untag, delete, load,
 * import), never on a timer ({@link LiveList}). Every engine call runs on the executor's
 * background threads, through {@link ImagesClient}.
 */
public final class ImagesViewModel implements AutoCloseable {

    /** Image event actions after which the list is read again. */
    public static final Set<String> REFRESH_ACTIONS = Set.of("pull", "tag", "untag", "delete", "load", "import", "push");

    /** One row of the table: an image under one of its tags. */
    public record Row(ImageSummary image, String repository, String tag) {

        public static final String NONE = "<none>";

        public String shortId() {
            return image.shortId();
        }

        public Instant created() {
            return image.created();
        }

        public long size() {
            return image.size();
        }

        public boolean dangling() {
            return image.dangling();
        }

        /** What to name the image by in a command: its tag, or its id when it has none. */
        public String reference() {
            return dangling() ? image.id() : repository + ":" + tag;
        }
    }

    /** Newest first, then by repository and tag: the order of {@code docker images}. */
    public static final Comparator<Row> NEWEST_FIRST = Comparator
            .comparing((Row r) -> r.created() == null ? Instant.EPOCH : r.created(), Comparator.reverseOrder())
            .thenComparing(Row::repository).thenComparing(Row::tag);

    private final UiExecutor executor;
    private final EmptyState emptyState = EmptyState.forPane("images");
    private final LiveList<Row, ImagesClient> list;
    private final ObservableList<Row> rows;
    private final FilteredList<Row> filtered;
    private final SortedList<Row> sorted;
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final BooleanProperty showDangling = new SimpleBooleanProperty(this, "showDangling", false);
    private final ReadOnlyObjectWrapper<Text> status = new ReadOnlyObjectWrapper<>(this, "status");
    private final ReadOnlyBooleanWrapper statusIsError = new ReadOnlyBooleanWrapper(this, "statusIsError");
    private final BooleanBinding empty;
    private final ObjectBinding<Text> summary;
    private final ReadOnlyObjectWrapper<String> pendingSelection = new ReadOnlyObjectWrapper<>(this, "pendingSelection");

    public ImagesViewModel(UiExecutor executor) {
        this.executor = executor;
        list = new LiveList<>(executor, Text.of("task.listImages"), ImagesClient::of, c -> rowsOf(c.list()),
                e -> "image".equals(e.type()) && REFRESH_ACTIONS.contains(e.action()), this::fail);
        rows = list.rows();
        filtered = new FilteredList<>(rows);
        sorted = new SortedList<>(filtered, NEWEST_FIRST);
        filter.addListener((obs, old, now) -> updatePredicate());
        showDangling.addListener((obs, old, now) -> updatePredicate());
        updatePredicate();
        empty = Bindings.isEmpty(rows);
        summary = Bindings.createObjectBinding(() -> Text.of("images.count", filtered.size(), rows.size()), filtered, rows);
    }

    public String titleKey() {
        return "images.title";
    }

    public String subtitleKey() {
        return "images.subtitle";
    }

    public EmptyState emptyState() {
        return emptyState;
    }

    /** Starts showing {@code b}'s images and following its image events. */
    public void connect(Backend b) {
        list.connect(b);
    }

    private ImagesClient client() {
        return list.client();
    }

    /** Reads the list again in the background. */
    public void refresh() {
        list.refresh();
    }

    /** Replaces the rows with {@code images}, as a read of the list does. */
    void show(List<ImageSummary> images) {
        list.show(rowsOf(images));
    }

    /** One row per tag, a dangling image one {@code <none>} row; newest first. */
    static List<Row> rowsOf(List<ImageSummary> images) {
        List<Row> next = new ArrayList<>();
        for (ImageSummary image : images) {
            if (image.dangling()) {
                next.add(new Row(image, Row.NONE, Row.NONE));
            }
            for (String t : image.repoTags()) {
                int colon = t.lastIndexOf(':');
                boolean hasTag = colon > t.lastIndexOf('/');
                next.add(new Row(image, hasTag ? t.substring(0, colon) : t, hasTag ? t.substring(colon + 1) : Row.NONE));
            }
        }
        next.sort(NEWEST_FIRST);
        return next;
    }

    /**
     * Asks the pane to select the image {@code imageId} ({@code sha256:...}, e.g. one just built)
     * once its row is listed; the list is read again now so a new image shows without waiting for
     * its event (an untagged build publishes none).
     */
    public void select(String imageId) {
        if (imageId == null || imageId.isBlank()) {
            return;
        }
        pendingSelection.set(imageId);
        refresh();
    }

    /**
     * The row the pane should select for the pending {@link #select}: the image's first row among
     * all rows (null while it is not listed yet). When the filter or the dangling switch hides it,
     * they are cleared so that it shows.
     */
    public Row takePendingSelection() {
        String id = pendingSelection.get();
        if (id == null) {
            return null;
        }
        Row row = sorted.stream().filter(r -> r.image().id().equals(id)).findFirst().orElse(null);
        if (row == null) {
            Row hidden = rows.stream().filter(r -> r.image().id().equals(id)).findFirst().orElse(null);
            if (hidden == null) {
                return null;
            }
            filter.set("");
            if (hidden.dangling()) {
                showDangling.set(true);
            }
            row = hidden;
        }
        pendingSelection.set(null);
        return row;
    }

    /** The image id {@link #select} asked for and the pane has not selected yet; null when none. */
    public ReadOnlyObjectProperty<String> pendingSelectionProperty() {
        return pendingSelection.getReadOnlyProperty();
    }

    private void updatePredicate() {
        String needle = filter.get() == null ? "" : filter.get().strip().toLowerCase(Locale.ROOT);
        boolean dangling = showDangling.get();
        filtered.setPredicate(r -> (dangling || !r.dangling()) && (needle.isEmpty() || matches(r, needle)));
    }

    static boolean matches(Row r, String needle) {
        return r.repository().toLowerCase(Locale.ROOT).contains(needle)
                || r.tag().toLowerCase(Locale.ROOT).contains(needle)
                || r.image().id().contains(needle)
                || (r.repository() + ":" + r.tag()).toLowerCase(Locale.ROOT).contains(needle);
    }

    // ---- commands -------------------------------------------------------------------------------

    /**
     * Checks {@code text} as an image reference with the engine's rules, in the background;
     * {@code onResult} gets null when it is one, else why not.
     */
    public void validateReference(String text, Consumer<Text> onResult) {
        String typed = text == null ? "" : text.strip();
        if (typed.isEmpty() || list.backendProperty().get() == null) {
            onResult.accept(Text.of("pull.validation.empty"));
            return;
        }
        executor.runInBackground(() -> {
            Text problem = null;
            try {
                ImagesClient.normalize(typed);
            } catch (RuntimeException e) {
                problem = Text.of("pull.validation.invalid", e.getMessage());
            }
            Text p = problem;
            executor.runOnUi(() -> onResult.accept(p));
        });
    }

    /** {@code docker tag}: names {@code row}'s image also {@code target}. */
    public void tag(Row row, String target, Runnable onDone) {
        executor.submit(Text.of("task.tagImage", target), () -> {
            client().tag(row.image().id(), target);
            return ImagesClient.normalize(target);
        }, full -> {
            report(Text.of("images.tagged", row.reference(), target), false);
            refresh();
            onDone.run();
        }, this::fail);
    }

    /** {@code docker rmi}: untags {@code row}'s tag, or deletes the image when it is its last (or forced). */
    public void remove(Row row, boolean force) {
        executor.submit(Text.of("task.removeImage", row.reference()), () -> client().remove(row.reference(), force), removed -> {
            long deleted = removed.stream().filter((RemovedImage r) -> !r.deleted().isEmpty()).count();
            report(deleted > 0 ? Text.of("images.removed", row.reference(), deleted) : Text.of("images.untagged", row.reference()), false);
            refresh();
        }, this::fail);
    }

    /** {@code docker push}, with progress in the status bar. */
    public void push(Row row) {
        executor.submitWithProgress(Text.of("task.pushImage", row.reference()), handle -> {
            PullProgressModel progress = new PullProgressModel();
            return client().push(row.reference(), p -> {
                progress.accept(p);
                handle.progress(progress.overall());
            });
        }, digest -> report(Text.of("images.pushed", row.reference(), digest), false), this::fail);
    }

    public void inspect(Row row, Consumer<JsonNode> onResult) {
        executor.submit(Text.of("task.inspectImage", row.reference()), () -> client().inspect(row.image().id()), onResult, this::fail);
    }

    public void history(Row row, Consumer<List<ImageLayer>> onResult) {
        executor.submit(Text.of("task.imageHistory", row.reference()), () -> client().history(row.image().id()), onResult, this::fail);
    }

    /** {@code docker save -o file}, of {@code row} by its tag (so the archive keeps the tag). */
    public void save(Row row, Path file) {
        executor.submit(Text.of("task.saveImage", row.reference()), () -> {
            client().save(List.of(row.reference()), file);
            return file;
        }, f -> report(Text.of("images.saved", row.reference(), f.toString()), false), this::fail);
    }

    /** {@code docker load -i file}. */
    public void load(Path file) {
        executor.submitWithProgress(Text.of("task.loadImages", file.getFileName().toString()),
                handle -> client().load(file, (ImageProgress p) -> { }), loadedNames -> {
                    report(Text.of("images.loaded", loadedNames.size(), String.join(", ", loadedNames)), false);
                    refresh();
                }, this::fail);
    }

    /** {@code docker image prune [-a]}; {@code onDone} gets what was removed. */
    public void prune(boolean all, Consumer<PruneResult> onDone) {
        executor.submit(Text.of("task.pruneImages"), () -> client().prune(all), result -> {
            report(Text.of("images.pruned", result.deletedCount(), Formats.size(result.spaceReclaimed())), false);
            refresh();
            onDone.accept(result);
        }, this::fail);
    }

    private void fail(Throwable t) {
        report(ErrorText.of(t), true);
    }

    private void report(Text text, boolean error) {
        statusIsError.set(error);
        status.set(text);
    }

    // ---- state ----------------------------------------------------------------------------------

    /** The rows that pass the filter and the dangling switch, newest first. */
    public SortedList<Row> visibleRows() {
        return sorted;
    }

    /** Every row, dangling ones included. */
    public ObservableList<Row> allRows() {
        return FXCollections.unmodifiableObservableList(rows);
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public BooleanProperty showDanglingProperty() {
        return showDangling;
    }

    /** True while the engine has no images at all (the pane shows its empty state then). */
    public BooleanBinding emptyProperty() {
        return empty;
    }

    /** Whether the list has been read at least once. */
    public ReadOnlyBooleanProperty loadedProperty() {
        return list.loadedProperty();
    }

    public ReadOnlyObjectProperty<Backend> backendProperty() {
        return list.backendProperty();
    }

    /** The outcome of the last command, in words; null before the first. */
    public ReadOnlyObjectProperty<Text> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty statusIsErrorProperty() {
        return statusIsError.getReadOnlyProperty();
    }

    /** "N of M images". */
    public ObjectBinding<Text> summary() {
        return summary;
    }

    public UiExecutor executor() {
        return executor;
    }

    @Override
    public void close() {
        list.close();
    }
}
