/**
 * OCI runtimes and the per-container monitor: which runtime works on this host (proved by
 * running a container, not by reading a version string), and running containers from bundles
 * through conmon so that they outlive the engine. Knows nothing of HTTP, images or container
 * records; the container service calls it and keeps its own state.
 *
 * <p>The API, in the order a container uses it:
 * <ol>
 *   <li>{@link dev.berth.engine.runtime.spec.BundleSpecBuilder#build} turns a
 *       {@link dev.berth.engine.runtime.spec.RunSpec} (Docker's options) into an OCI config plus
 *       warnings; {@link dev.berth.engine.runtime.Bundles#writeConfig} writes it into a bundle.</li>
 *   <li>{@link dev.berth.engine.runtime.OciRuntime#forHost} (from the detected
 *       {@link dev.berth.engine.runtime.HostTools}) gives the runtime;
 *       {@link dev.berth.engine.runtime.OciRuntime#create} starts conmon, which runs
 *       {@code runc create} and returns once the container exists;
 *       {@link dev.berth.engine.runtime.OciRuntime#start} starts its process.</li>
 *   <li>{@code state}/{@code find}, {@code kill}, {@code stop} (signal, timeout, then SIGKILL),
 *       {@code pause}, {@code resume}, {@code exec}/{@code startExec} (no TTY yet), {@code ps},
 *       {@code attach}, {@code resize}, {@code exitCode}/{@code waitForExit} (conmon's exit file),
 *       and {@code delete}.</li>
 *   <li>{@link dev.berth.engine.runtime.LogReader} reads and follows the k8s-file log conmon
 *       writes; {@link dev.berth.engine.runtime.AttachSocket} speaks conmon's attach protocol on
 *       its SOCK_SEQPACKET socket (FFM: run the JVM with {@code --enable-native-access=ALL-UNNAMED}).</li>
 * </ol>
 *
 * <p>Helper commands (runc's subcommands here; iptables, unshare, nsenter and umount for the
 * network package) go through the one runner, {@link dev.berth.engine.runtime.Commands}: both
 * streams drained while the command runs, a time limit that kills the command's own process tree
 * when it passes, and an error naming the command and the limit.
 *
 * <p>Speed: the probe's verdict is cached in the state root ({@code runtime-probe.json}) and
 * reused while the runtime, conmon and network binaries (path, size, mtime) and the kernel
 * release are unchanged. On a container's path no runc process is started where a file answers:
 * whether runc knows an id is its state directory; an exited container's delete removes runc's
 * state and cgroups directly; exits and runc's pid file are noticed through one inotify watch
 * ({@code ExitWatch}) rather than by polling; a bundle's config is regenerated at each start and
 * written without fsync ({@link dev.berth.engine.state.AtomicFiles#writeRegenerable}).
 *
 * <p>Files: under the runtime root, runc's state in {@code runc/} and exit codes in
 * {@code exits/<id>}; in each bundle, conmon's {@code attach} socket, {@code ctl} FIFO,
 * {@code pidfile}, {@code conmon.pid} and runc's {@code runtime-create.log}. The container's
 * cgroup is {@code /berth/<id>}.
 *
 * <p>Must never: hold a pipe to conmon (conmon must survive the engine), use runc's default
 * {@code /run/runc} state, start a container with more privilege than its {@code RunSpec} asks
 * for, read a container's files through a symlink out of its rootfs, or kill a process it did
 * not start (conmon is killed only by the pid it wrote, after checking it is conmon).
 */
package dev.berth.engine.runtime;
