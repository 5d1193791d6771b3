/**
 * The Volumes pane: a {@code VolumesView} bound to a {@code VolumesViewModel}. For now the pane
 * shows its empty state; the list, details and actions for volumes land here.
 * Never: engine calls from the view.
 */
package dev.berth.app.volumes;
