/**
 * The Docker Engine API's {@code /containers} routes: create, list, inspect, the lifecycle
 * verbs, wait, logs, attach and resize, mapped onto {@link dev.berth.engine.container.ContainerService}.
 * Handlers only translate between Docker's JSON and wire formats (the multiplexed stream, human
 * status strings) and the service's records; they never touch runtime, snapshot or state files
 * themselves, except that an attach made before start follows the container's log file.
 */
package dev.berth.engine.api.containers;
