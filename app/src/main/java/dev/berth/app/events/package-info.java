/**
 * The Events pane: every change on the engine, live, newest first, capped, filterable and
 * pausable. The view model subscribes through {@link dev.berth.app.backend.Backend#events}
 * and batches arrivals onto the UI thread. Never: engine calls from the view.
 */
package dev.berth.app.events;
