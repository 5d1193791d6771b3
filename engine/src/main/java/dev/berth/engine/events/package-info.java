/**
 * The engine's one event bus. Services publish every state change once; readers (the API's
 * {@code /events}, the desktop app) subscribe with a filter. Publishing never blocks on a slow
 * reader. Nothing here knows who publishes or who reads.
 */
package dev.berth.engine.events;
