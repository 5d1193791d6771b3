/**
 * What the engine is and what it runs on: host facts read from the kernel, version, and the
 * data behind {@code docker version} and {@code docker info}. Read-only.
 */
package dev.berth.engine.system;
