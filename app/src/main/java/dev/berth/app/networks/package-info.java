/**
 * The Networks pane: {@code NetworksView} bound to {@code NetworksViewModel}, which reaches the
 * engine only through {@code NetworksClient} (the Docker API's {@code /networks} over
 * {@code Backend.api()}); the create dialog with inline checks ({@code NetworkForm}); inspect
 * through the shared JSON tree; the containers attached to a network with their addresses.
 * The list follows the engine's {@code network} events.
 * Never: engine calls from the view or on the FX thread; engine classes in the view.
 */
package dev.berth.app.networks;
