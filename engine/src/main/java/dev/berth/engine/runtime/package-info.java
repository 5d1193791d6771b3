/**
 * OCI runtimes and the per-container monitor: which runtime works on this host (proved by
 * running a container, not by reading a version string), and running containers from bundles
 * through conmon so that they outlive the engine. Knows nothing of HTTP, images or container
 * records; the container service calls it.
 *
 * <p>The API, in the order a container uses it:
 * <ol>
 *   <li>{@link dev.berth.engine.runtime.spec.BundleSpecBuilder#build} turns a
 *       {@link dev.berth.engine.runtime.spec.RunSpec} into an OCI config;
 *       {@link dev.berth.engine.runtime.Bundles#writeConfig} writes it into the bundle directory.</li>
 *   <li>{@link dev.berth.engine.runtime.OciRuntime#create} starts conmon, which runs
 *       {@code runc create}; {@link dev.berth.engine.runtime.OciRuntime#start} starts the process.</li>
 *   <li>{@code state}, {@code kill}, {@code stop} (signal, timeout, SIGKILL), {@code pause},
 *       {@code resume}, {@code exec}, {@code ps}, {@code attach}, {@code resize},
 *       {@code exitCode}/{@code waitForExit} (conmon's exit file) and {@code delete}.</li>
 *   <li>{@link dev.berth.engine.runtime.LogReader} reads and follows the log conmon writes;
 *       {@link dev.berth.engine.runtime.AttachSocket} speaks conmon's attach protocol.</li>
 * </ol>
 *
 * <p>Files: runc's state in {@code <root>/runc}, exit codes in {@code <root>/exits/<id>}; in each
 * bundle conmon's {@code attach} socket, {@code ctl} FIFO, {@code pidfile}, {@code conmon.pid}.
 *
 * <p>Must never: hold a pipe to conmon (conmon must survive the engine), run runc with the
 * default {@code /run/runc} state, start a container with more privilege than its
 * {@code RunSpec} asks for, or read a container's files through a symlink out of its rootfs.
 */
package dev.berth.engine.runtime;
