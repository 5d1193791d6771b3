package dev.berth.app.task;

import dev.berth.app.i18n.Text;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
    private final ObservableList<BackgroundTask> running = FXCollections.observableArrayList(
            t -> new javafx.beans.Observable[] {t.progress()});
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
    public <T> TaskHandle submit(Text title, Callable<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        return submitWithProgress(title, handle -> work.call(), onSuccess, onFailure);
    }

    /** Work that reports progress (and may check for cancellation) through its handle. */
    @FunctionalInterface
    public interface ProgressWork<T> {
        T call(TaskHandle handle) throws Exception;
    }

    /**
     * Like {@link #submit}, for long work: the returned handle cancels it (interrupting its
     * thread), and its progress shows in the status bar.
     */
    public <T> TaskHandle submitWithProgress(Text title, ProgressWork<T> work, Consumer<? super T> onSuccess,
                                             Consumer<Throwable> onFailure) {
        BackgroundTask task = new BackgroundTask(ids.incrementAndGet(), title);
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicReference<Future<?>> future = new AtomicReference<>();
        AtomicBoolean progressScheduled = new AtomicBoolean();
        AtomicReference<Double> latest = new AtomicReference<>(-1.0);
        TaskHandle handle = new TaskHandle() {
            @Override
            public void cancel() {
                if (cancelled.compareAndSet(false, true)) {
                    Future<?> f = future.get();
                    if (f != null) {
                        f.cancel(true);
                    }
                }
            }

            @Override
            public boolean cancelled() {
                return cancelled.get();
            }

            @Override
            public void progress(double fraction) {
                latest.set(fraction);
                // one UI-thread turn per burst of reports
                if (progressScheduled.compareAndSet(false, true)) {
                    runOnUi(() -> {
                        progressScheduled.set(false);
                        task.progress().set(latest.get());
                    });
                }
            }
        };
        if (background.isShutdown()) {
            // the window is closing: late work (an event that arrived during shutdown) has nobody to report to
            LOG.log(System.Logger.Level.DEBUG, "dropped after close: " + title.key());
            cancelled.set(true);
            return handle;
        }
        runOnUi(() -> running.add(task));
        future.set(background.submit(() -> {
            T result;
            try {
                if (cancelled.get()) {
                    throw new InterruptedException("cancelled");
                }
                result = work.call(handle);
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
        }));
        if (cancelled.get()) {
            future.get().cancel(true);
        }
        return handle;
    }

    /** Runs {@code work} in the background without a result and without showing it as a task. */
    public void runInBackground(Runnable work) {
        if (background.isShutdown()) {
            LOG.log(System.Logger.Level.DEBUG, "dropped background work after close");
            return;
        }
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
