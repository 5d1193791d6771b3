/**
 * {@code docker build}. {@code build.dockerfile} turns Dockerfile text into stages of typed instructions
 * and expands their words with Docker's ARG and ENV scoping; {@code build.context} holds the files a build
 * may copy ({@code .dockerignore}, a directory or an uploaded tar, safe source lookup, content checksums).
 * This package executes them: {@link dev.berth.engine.build.Builder} with the classic builder's semantics
 * (every step an image; RUN in a container of the previous step's image through the same runtime as
 * {@code docker run}, its writable layer committed; COPY and ADD written into a snapshot of the previous
 * image; a layer cache under {@code <root>/build/cache} that says for every step why it was or was not
 * used), reporting {@link dev.berth.engine.build.BuildProgress} step by step and returning a
 * {@link dev.berth.engine.build.BuildResult}.
 *
 * <p>Heredocs: {@code RUN <<EOF} runs the document as the script, other RUN heredocs go to the shell with
 * the command line; {@code COPY <<NAME dest} writes a file NAME (0644).
 *
 * <p>A base image's ONBUILD triggers run right after its FROM, as steps numbered like the FROM, and are
 * not passed on to the new image.
 *
 * <p>{@code ADD <http(s) url>} downloads with the JDK's HTTP client (named from the URL path or
 * {@code Content-Disposition}, 0600, {@code Last-Modified} as its time, never extracted), checks {@code --checksum},
 * and keys the cache on the downloaded content, as the classic builder does.
 *
 * <p>RUN containers join the build's network mode ({@code --network}): the default bridge by default, as Docker's
 * classic builder, or {@code none}, {@code host}, a network's name or id.
 *
 * <p>A local tar that ADD extracts may hold hard links whose target is a file it wrote before, inside the ADD's
 * destination; a link that climbs out of the archive or reaches anything else is refused naming the entry.
 * {@code COPY --from} sources may hold Go-style wildcards ({@code *}, {@code ?}, {@code [...]}) matched in the stage's
 * or image's files.
 *
 * <p>Not yet: ADD from a git URL (refused naming the step), {@code RUN --mount}/{@code --network}/{@code --security}
 * flags (ignored).
 *
 * <p>Must never: follow a symbolic link of an image or of the context out of its root (every COPY/ADD
 * destination is resolved inside the image's root, every source inside the context); leave a build
 * mount or scratch snapshot behind, whether the step succeeds or fails; leave a RUN step's container behind
 * unless asked to, as Docker's {@code --rm}/{@code --force-rm} do (kept only with {@code rm=false}, or after a
 * failed step without {@code forcerm}; never after a cancel, and never in the created state); tag anything before
 * every step succeeded; read a file outside the build context.
 */
package dev.berth.engine.build;
