/**
 * A small HTTP/1.1 layer for the Docker API, on Netty over an epoll unix domain socket.
 *
 * <p>A resource implements {@link dev.berth.engine.api.http.Router}, returning
 * {@link dev.berth.engine.api.http.Route}s (method, pattern with {@code {param}} segments,
 * {@link dev.berth.engine.api.http.Handler}). Each request runs on its own virtual thread
 * with an {@link dev.berth.engine.api.http.Exchange}: path and query parameters, Docker's
 * {@link dev.berth.engine.api.http.Filters}, headers, the body as a stream read on demand
 * (no aggregation; a slow handler slows the client down), and three ways to answer: a
 * complete body (JSON, text), a chunked {@link dev.berth.engine.api.http.ResponseStream}
 * flushed per write, or a {@link dev.berth.engine.api.http.HijackedConnection} (raw
 * bidirectional stream with half-close, for attach and exec).
 *
 * <p>The dispatcher accepts unversioned paths and {@code /v1.NN/...} between
 * {@link dev.berth.engine.api.http.ApiVersion#MINIMUM} and
 * {@link dev.berth.engine.api.http.ApiVersion#CURRENT}, answers HEAD with a GET route, and
 * maps failures to status codes in one place, {@link dev.berth.engine.api.http.ErrorMapping}.
 *
 * <p>Knows nothing of the engine's services: it must never import them. Netty types stay
 * inside this package.
 */
package dev.berth.engine.api.http;
