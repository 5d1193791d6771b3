/**
 * Shared support for the app's tests: the real main window over an embedded engine
 * ({@link dev.berth.app.testing.EmbeddedShell}) and what window tests ask of it
 * ({@link dev.berth.app.testing.Gui}: waiting, visibility, labels, README screenshots). No mocks:
 * the engine is the real one, serving its API socket.
 */
package dev.berth.app.testing;
