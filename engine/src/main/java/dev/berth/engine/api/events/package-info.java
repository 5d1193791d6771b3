/**
 * {@code GET /events}: the engine's event bus as Docker's event stream. Owns the mapping from
 * the engine's {@code Event} to Docker's message ({@link dev.berth.engine.api.events.EventMessage})
 * and Docker's event filter semantics. Publishes nothing and keeps no events of its own: it
 * only reads the bus through {@link dev.berth.engine.api.events.EventsBackend}.
 */
package dev.berth.engine.api.events;
