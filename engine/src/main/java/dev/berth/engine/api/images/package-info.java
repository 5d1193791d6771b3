/**
 * The images routes of the Docker Engine API ({@code /images/...}) and {@code /auth}: Docker's
 * shapes of image summaries, inspect, history, removals, prune and search results
 * ({@link dev.berth.engine.api.images.ImageSummaryResponse} and friends), the JSON progress
 * stream of pull, push and load ({@link dev.berth.engine.api.images.JsonMessage},
 * {@link dev.berth.engine.api.images.ProgressMessages}) and the {@code X-Registry-Auth} header
 * ({@link dev.berth.engine.api.images.RegistryAuth}). Reads and changes images only through
 * {@link dev.berth.engine.api.images.ImagesBackend}; never touches the image store, the content
 * store or a registry itself, and never logs a credential.
 */
package dev.berth.engine.api.images;
