/**
 * The OCI runtime-spec {@code config.json} as records ({@link dev.berth.engine.runtime.spec.OciConfig})
 * and its generation from Docker-shaped options ({@link dev.berth.engine.runtime.spec.RunSpec} →
 * {@link dev.berth.engine.runtime.spec.BundleSpecBuilder}), with Docker's defaults for
 * capabilities, mounts, devices, masked and read-only paths. Also the host facts that shape a
 * config: the engine's own rlimits ({@link dev.berth.engine.runtime.spec.HostLimits}, requested
 * limits are clamped to them), the cgroup layout ({@link dev.berth.engine.runtime.spec.Cgroups}),
 * and user lookup in the container's own passwd and group files
 * ({@link dev.berth.engine.runtime.spec.UserResolver}, via {@link dev.berth.engine.runtime.spec.RootfsPath}).
 *
 * <p>Must never: start processes, write to a rootfs, follow a symlink in a rootfs to the host's
 * files, or grant CAP_SYS_ADMIN, unmasked /proc or device access unless privileged or asked.
 */
package dev.berth.engine.runtime.spec;
