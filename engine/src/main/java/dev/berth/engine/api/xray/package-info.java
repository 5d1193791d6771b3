/**
 * Berth's X-ray route, {@code GET /containers/{id}/xray}: an extension of the Docker API that the
 * desktop app's X-ray tab reads (namespaces, cgroup, overlay layers of one container).
 *
 * <p>Must never: change a container or the host (it reads {@code /proc}, cgroup files and snapshot
 * metadata only); hold logic beyond mapping HTTP onto {@link dev.berth.engine.api.xray.XrayBackend}.
 */
package dev.berth.engine.api.xray;
