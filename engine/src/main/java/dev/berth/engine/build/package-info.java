/**
 * {@code docker build}: the Dockerfile front half and the build context. {@code build.dockerfile}
 * turns Dockerfile text into stages of typed instructions and expands their words with Docker's
 * ARG and ENV scoping; {@code build.context} holds the files a build may copy ({@code .dockerignore},
 * a directory or an uploaded tar, safe source lookup, content checksums for the layer cache).
 *
 * <p>Must never: run anything, touch images or containers, or read a file outside the build
 * context. The builder that executes instructions stands on these packages and lives beside them.
 */
package dev.berth.engine.build;
