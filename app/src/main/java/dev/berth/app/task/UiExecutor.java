package dev.berth.app.task;

import dev.berth.app.i18n.Text;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs view models' blocking work on background daemon threads and delivers results on the
 * UI thread. In the app the UI thread is JavaFX's ({@link #forJavaFx()}, the one place that
 * calls {@code Platform.runLater}); view-model tests pass a direct executor instead.
 */
public final class UiExecutor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(UiExecutor.class.getName());

    private final Executor uiThread;
    private final ExecutorService background;
    private final ObservableList<BackgroundTask> running = FXCollections.observableArrayList();
    private final ObservableList<BackgroundTask> runningView = FXCollections.unmodifiableObservableList(running);
    private final AtomicLong ids = new AtomicLong();

    public UiExecutor(Executor uiThread) {
        this.uiThread = uiThread;
        this.background = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("berth-task-", 1).factory());
    }

    /** The executor of a running JavaFX application. */
    public static UiExecutor forJavaFx() {
        return new UiExecutor(Platform::runLater);
    }

    /** Runs {@code action} on the UI thread, later. */
    public void runOnUi(Runnable action) {
        uiThread.execute(action);
    }

    /**
     * Runs {@code work} in the background, shown as {@code title} among the running tasks, then
     * {@code onSuccess} with its result or {@code onFailure} with its error, on the UI thread.
     */
    public <T> void submit(Text title, Callable<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        BackgroundTask task = new BackgroundTask(ids.incrementAndGet(), title);
        runOnUi(() -> running.add(task));
        background.execute(() -> {
            T result;
            try {
                result = work.call();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.DEBUG, "task failed: " + title.key(), t);
                runOnUi(() -> {
                    running.remove(task);
                    onFailure.accept(t);
                });
                return;
            }
            runOnUi(() -> {
                running.remove(task);
                onSuccess.accept(result);
            });
        });
    }

    /** Runs {@code work} in the background without a result and without showing it as a task. */
    public void runInBackground(Runnable work) {
        background.execute(work);
    }

    /** The tasks running now, oldest first; changes on the UI thread. */
    public ObservableList<BackgroundTask> runningTasks() {
        return runningView;
    }

    @Override
    public void close() {
        background.shutdownNow();
    }
}
