/**
 * The Networks pane: a {@code NetworksView} bound to a {@code NetworksViewModel}. For now the pane
 * shows its empty state; the list, details and actions for networks land here.
 * Never: engine calls from the view.
 */
package dev.berth.app.networks;
