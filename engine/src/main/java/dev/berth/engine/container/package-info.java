/**
 * Containers: records (an immutable config and a mutable state per container, saved atomically
 * under {@code <root>/containers/<id>/}), their lifecycle (create, start, stop, kill, restart,
 * pause, rename, wait, remove, prune), logs, exec, attach, restart policies and recovery after an
 * engine restart, on top of {@code snapshot} (the writable layer) and {@code runtime} (runc via
 * conmon). Networking: {@code none} (the default until the networks feature brings {@code bridge})
 * and {@code host}; {@code --init} is refused (no init binary is installed).
 *
 * <p>Must never: format output for a client (the API and the app do), keep state only in memory
 * (every change is on disk before it is published), or stop containers when the engine exits
 * (they belong to conmon; {@code recover()} finds them again).
 */
package dev.berth.engine.container;
