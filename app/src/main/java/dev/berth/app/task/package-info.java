/**
 * Background work for view models. {@link dev.berth.app.task.UiExecutor} runs blocking calls
 * on daemon threads and hands results back on the JavaFX thread; it is the only class that
 * calls {@code Platform.runLater}. It also counts running tasks for the status bar.
 * {@link dev.berth.app.task.LiveList} is the list a pane reads through it and reads again on the
 * engine's events (Networks, Volumes).
 */
package dev.berth.app.task;
