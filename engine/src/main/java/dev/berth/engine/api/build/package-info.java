/**
 * The build routes of the Docker Engine API: {@code POST /build}, which receives the context as a tar and
 * answers with the JSON lines the docker CLI's classic builder prints ({@code Step n/N : ...},
 * {@code  ---> Using cache}, {@code Successfully built ...}), and {@code POST /build/prune}. Builds only through
 * {@link dev.berth.engine.api.build.BuildBackend}; never parses a Dockerfile, runs a step or touches the image
 * store itself, and never extracts a context anywhere but a fresh directory under the engine's state root.
 */
package dev.berth.engine.api.build;
