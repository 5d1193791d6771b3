/**
 * The engine's error categories: a small sealed hierarchy, in the manner of containerd's
 * {@code errdefs}. Services throw these; {@code api} maps them to HTTP status codes in one
 * place and the app maps them to plain-language messages in one place. Nothing here knows
 * about HTTP or JavaFX.
 */
package dev.berth.engine.errors;
