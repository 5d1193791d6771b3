/**
 * The Images pane: a {@code ImagesView} bound to a {@code ImagesViewModel}. For now the pane
 * shows its empty state; the list, details and actions for images land here.
 * Never: engine calls from the view.
 */
package dev.berth.app.images;
