/**
 * Containers: records (an immutable config and a mutable state per container, saved atomically
 * under {@code <root>/containers/<id>/}), their lifecycle (create, start, stop, kill, restart,
 * pause, rename, wait, remove, prune), logs, exec, attach, restart policies and recovery after an
 * engine restart, on top of {@code snapshot} (the writable layer, mounted only while the container
 * runs) and {@code runtime} (runc via conmon).
 *
 * <p>Decisions: the network mode defaults to {@code none} and only {@code none} and {@code host}
 * are accepted until the networks feature brings {@code bridge} (Docker's default); {@code --init}
 * is refused because no init binary is installed; no-new-privileges is on unless
 * {@code no-new-privileges:false} is asked for; an exec whose command runc cannot start exits
 * 127 (not found) or 126, as Docker's; a TTY exec runs {@code runc exec} on a pty4j
 * pseudo-terminal, whose size runc copies to the container's terminal just after the command
 * starts.
 *
 * <p>Must never: format output for a client (the API and the app do), keep state only in memory
 * (every change is on disk before it is published), or stop containers when the engine exits
 * (they belong to conmon; {@code recover()} finds them again).
 */
package dev.berth.engine.container;
