/**
 * The networks routes of the Docker Engine API ({@code /networks}, {@code /networks/create},
 * {@code /networks/{id}}, {@code /networks/prune}, {@code DELETE /networks/{id}}): Docker's
 * create body ({@link dev.berth.engine.api.networks.NetworkCreateBody}) checked and turned into
 * the engine's {@link dev.berth.engine.network.NetworkCreateRequest}, and Docker's network
 * object (the engine's {@link dev.berth.engine.network.NetworkInspect}) written back.
 *
 * <p>Reads and changes networks only through {@link dev.berth.engine.api.networks.NetworksBackend};
 * never touches netavark, namespaces or the network state files itself, and holds no rule beyond
 * refusing what the engine cannot do (IPv6, several IPAM pools, swarm scopes) with the reason.
 */
package dev.berth.engine.api.networks;
