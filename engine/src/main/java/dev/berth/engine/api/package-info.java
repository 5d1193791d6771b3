/**
 * The Docker Engine API on a unix socket. {@link dev.berth.engine.api.ApiServer} starts it;
 * {@code EngineBackends} is the one place where the engine's services become the narrow
 * backends of the routers. Sub-packages: {@code http} (the small HTTP layer every router
 * uses: routing, versions, streaming, hijack, error mapping), and one package per resource
 * ({@code system}, {@code events}, {@code images}, {@code containers}, {@code exec},
 * {@code networks}, {@code volumes}, and {@code xray}, Berth's own extension route), each with
 * its router, its backend interface and its DTOs (Docker's JSON shapes, separate from the
 * engine's records).
 *
 * <p>Must never hold logic beyond mapping between HTTP and the engine's Java API, which the
 * desktop app calls directly; never open a TCP listener; never log credentials (request
 * headers and query strings are not logged).
 */
package dev.berth.engine.api;
