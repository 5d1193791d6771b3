/**
 * The OCI distribution client, in Jib's shape: each registry call is a small immutable endpoint
 * ({@code Endpoints}), and one caller ({@code RegistryCaller}) runs them all — answering Bearer and
 * Basic challenges (tokens cached per scope until they expire), following blob redirects to storage,
 * retrying connection failures, 5xx and 429 with backoff (never other 4xx), and turning registry
 * errors into {@link dev.berth.engine.errors.EngineException} categories with plain messages.
 * {@link dev.berth.engine.registry.RegistryClient} is the API: manifests (OCI, Docker v2 schema 2,
 * indexes and lists; schema 1 refused; 4 MiB cap; digest-verified), platform selection, blob streams
 * that verify their digest as they are read (or only their size, for a caller that hashes the bytes
 * into a content-store writer anyway, so a pull hashes them once), pushes with existence checks and cross-repository
 * mounts, tag and catalog listing, and logins in a docker-compatible {@code auth.json} (0600).
 *
 * <p>Hosts: loopback registries and the configured insecure ones speak http, others https; Docker
 * Hub is {@code docker.io} in names and {@code registry-1.docker.io} on the wire, with configured
 * mirrors tried first for pulls (never for pushes), as Docker's {@code registry-mirrors} do.
 *
 * <p>The JDK HTTP client's read buffer is raised to 256 KiB ({@code jdk.httpclient.bufsize}, unless
 * set by the user) when this package loads: per buffer it runs a reactive pipeline, and at 16 KiB
 * that cost more CPU than hashing the bytes.
 *
 * <p>Never: store blobs (the caller does — this package hands out verified streams and knows nothing
 * of the content store), re-serialize a manifest to find its digest, or put a password or token in a
 * log line, a message or a {@code toString()}.
 */
package dev.berth.engine.registry;
