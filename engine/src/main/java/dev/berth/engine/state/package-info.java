/**
 * The engine's state root: single ownership through a lock file, and the atomic write
 * (temp file, fsync, rename, fsync dir) that every persisted piece of metadata goes through.
 * Never writes metadata in place.
 */
package dev.berth.engine.state;
