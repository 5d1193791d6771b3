/**
 * The Berth desktop app: {@link dev.berth.app.Main} parses the options and launches
 * {@link dev.berth.app.BerthApp}. MVVM per pane ({@code <pane>/XxxView} bound to
 * {@code XxxViewModel}), one {@link dev.berth.app.backend.Backend} seam to the engine, one
 * {@link dev.berth.app.task.UiExecutor} for background work. Views never import engine code.
 */
package dev.berth.app;
