/**
 * OCI runtimes and the per-container monitor: which runtime works on this host (proved by
 * running a container, not by reading a version string), bundle generation, and starting
 * containers through conmon so that they outlive the engine. Knows nothing of HTTP or images.
 */
package dev.berth.engine.runtime;
