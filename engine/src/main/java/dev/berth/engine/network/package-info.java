/**
 * Container networking on Podman's stack: networks {@code bridge} (the default), {@code host},
 * {@code none} and user-defined bridges; the engine's own address management (IPAM);
 * network namespace files under {@code <root>/netns}; attach and detach through
 * {@code netavark setup|teardown} (veth pairs, bridges, firewall and port forwarding rules)
 * with {@code aardvark-dns} answering container names and aliases on user-defined networks;
 * published-port parsing ({@link dev.berth.engine.network.PortSpec}); {@code /etc/hosts} and
 * {@code /etc/resolv.conf} content.
 *
 * <p>It must never write firewall rules or links by hand (netavark owns them, and its
 * teardown removes them) with one exception: the empty port-forwarding chain netavark 1.4 leaves
 * behind for a network of this engine, deleted once nobody is on that network
 * ({@code PortForwardChains}); never another's chain, never one holding a rule. It must never
 * touch a namespace or address it did not allocate, and never
 * depend on the container service's types: callers hand in plain ids, names, namespace
 * paths, endpoint requests and port mappings.
 */
package dev.berth.engine.network;
