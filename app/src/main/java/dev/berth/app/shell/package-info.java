/**
 * The main window: navigation, the content area and the status bar, and the UI's
 * composition root ({@link dev.berth.app.shell.AppShell}) that wires settings, theme,
 * localization, the task executor, the backend and every pane. Never: engine calls from views.
 */
package dev.berth.app.shell;
