/**
 * Inspection operations on one container, each given explicit inputs (pid, cgroup path, root
 * filesystem, overlay upper and lower directories, stores) so the container service can call
 * them: {@link dev.berth.engine.container.inspect.CgroupStats} and
 * {@link dev.berth.engine.container.inspect.StatsSampler} ({@code docker stats}),
 * {@link dev.berth.engine.container.inspect.ProcessTable} ({@code docker top}),
 * {@link dev.berth.engine.container.inspect.ContainerDiff} ({@code docker diff}),
 * {@link dev.berth.engine.container.inspect.ContainerArchive} ({@code docker cp}),
 * {@link dev.berth.engine.container.inspect.RootfsExport} ({@code docker export}) and
 * {@link dev.berth.engine.container.inspect.ImageCommitter} ({@code docker commit}), and
 * {@link dev.berth.engine.container.inspect.Xray} (Berth's X-ray: namespaces, cgroup files, overlay layers).
 *
 * <p>Must never: follow a symbolic link of a container out of its root (every path is resolved
 * inside the root, links as the container sees them); write anything outside the directory a
 * caller names; change a container's state (start, stop, pause are the runtime's); keep state of
 * its own. Knows nothing of container records, names or the API.
 */
package dev.berth.engine.container.inspect;
