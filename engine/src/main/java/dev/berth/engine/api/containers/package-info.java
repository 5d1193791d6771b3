/**
 * The Docker Engine API's {@code /containers} routes: create, list, inspect, the lifecycle
 * verbs, wait, logs, attach and resize, mapped onto {@link dev.berth.engine.container.ContainerService};
 * also {@code POST /networks/{id}/connect} and {@code /disconnect}, which change a container. Create
 * reads published ports, DNS and hosts options, links, {@code EndpointsConfig}, {@code Binds},
 * {@code Mounts} (as their {@code --mount} form), {@code Volumes} (anonymous {@code -v /path}) and
 * {@code VolumesFrom}; inspect and list show {@code NetworkSettings} (per-network endpoints,
 * {@code Ports} as {@code docker port} reads them) and {@code Mounts}.
 * Handlers only translate between Docker's JSON and wire formats (the multiplexed stream, human
 * status strings) and the service's records; they never touch runtime, snapshot or state files
 * themselves, except that an attach made before start follows the container's log file.
 */
package dev.berth.engine.api.containers;
