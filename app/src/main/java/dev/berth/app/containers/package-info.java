/**
 * The Containers pane: a {@code ContainersView} bound to a {@code ContainersViewModel}. For now the pane
 * shows its empty state; the list, details and actions for containers land here.
 * Never: engine calls from the view.
 */
package dev.berth.app.containers;
