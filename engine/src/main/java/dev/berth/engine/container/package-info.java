/**
 * Containers: records (an immutable config and a mutable state per container, saved atomically
 * under {@code <root>/containers/<id>/}), their lifecycle (create, start, stop, kill, restart,
 * pause, rename, wait, remove, prune), logs, exec, attach, restart policies and recovery after an
 * engine restart, on top of {@code snapshot} (the writable layer, mounted only while the container
 * runs) and {@code runtime} (runc via conmon).
 *
 * <p>Networks and volumes: the container service decides what a container joins and mounts and
 * hands the work to {@code network} (netavark) and {@code volume}. At create: the network mode
 * ({@code default} and none given mean {@code bridge}; {@code host}, {@code none},
 * {@code container:<id>} or a user network, which must exist), links resolved to the linked
 * container (kept by its current name: a rename of it rewrites the links to it, as Docker keeps
 * links by container), and every
 * mount resolved ({@code -v}, {@code --mount}, {@code --volumes-from}, the image's
 * {@code VOLUME}s as anonymous volumes); volumes are created and acquired then, so a volume is
 * "in use" from create to remove, as in Docker. At start: the first-use copy of the image's
 * content into new volumes, then the network (a namespace under {@code <root>/netns}, addresses,
 * published ports with {@code -P} picking free host ports) and the container's own
 * {@code hosts}, {@code resolv.conf} and {@code hostname} files, bound over {@code /etc}. At the
 * end of a run the network is torn down (addresses and host ports freed); at remove the volumes
 * are released and, with {@code rm -v} or {@code --rm}, its anonymous volumes removed. After an
 * engine restart {@code recover()} reconciles: running containers keep their network, the rest
 * is torn down. {@code docker network connect|disconnect} change a stopped container's networks
 * for its next start and a running one's at once: its {@code resolv.conf} is rewritten in place,
 * and its {@code hosts} gets a line {@code address hostname} for the joined network appended or
 * the left network's line deleted, as Docker does; other lines (links, {@code --add-host}, edits
 * made inside) stay. Its hosts file names each of its addresses, one line per network. When a
 * linked container starts, running containers linking to it get their alias line pointed at its
 * new address (Docker's parent update).
 *
 * <p>Decisions: {@code --init} is refused because no init binary is installed; no-new-privileges
 * is on unless {@code no-new-privileges:false} is asked for; an exec whose command runc cannot
 * start exits 127 (not found) or 126, as Docker's; a TTY exec runs {@code runc exec} on a pty4j
 * pseudo-terminal, whose size runc copies to the container's terminal just after the command
 * starts; {@code container:<id>} joins the other container's namespace through
 * {@code /proc/<pid>/ns/net} and shares its hosts and resolv.conf files, so it needs that
 * container running.
 *
 * <p>Must never: format output for a client (the API and the app do), write firewall rules,
 * links or namespaces itself (the network service and netavark do), keep state only in memory
 * (every change is on disk before it is published), or stop containers when the engine exits
 * (they belong to conmon; {@code recover()} finds them again).
 */
package dev.berth.engine.container;
