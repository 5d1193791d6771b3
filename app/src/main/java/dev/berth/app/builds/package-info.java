/**
 * The Builds pane: a {@code BuildsView} bound to a {@code BuildsViewModel}. For now the pane
 * shows its empty state; the list, details and actions for builds land here.
 * Never: engine calls from the view.
 */
package dev.berth.app.builds;
