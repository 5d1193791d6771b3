/**
 * The Details of one container (issue #4's Containers pane): Logs (streamed, demultiplexed,
 * ANSI colours, search, save), Terminal tabs (JediTermFX over a hijacked exec or attach),
 * Inspect (a searchable JSON tree), Network (addresses and published ports), Stats (live charts),
 * Processes, Changes (the writable layer as a tree) and X-ray (namespaces, cgroup, overlay: what
 * makes a container). {@link dev.berth.app.containers.details.ContainerDetailsPane} is the one
 * entry point; the Containers pane embeds it.
 *
 * <p>Must never: call the engine's Java API (only the Docker API through
 * {@link dev.berth.app.backend.ApiClient}, so a remote engine works the same); block the UI
 * thread (calls run on {@link dev.berth.app.task.UiExecutor}'s background threads or on the
 * stream threads this package starts and stops); keep a stream or terminal open after
 * {@code close()} or after another container is shown.
 */
package dev.berth.app.containers.details;
