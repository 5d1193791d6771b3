/**
 * The build context: the files a build may copy. {@link dev.berth.engine.build.context.BuildContext} is a
 * directory (a folder on disk, or an uploaded tar extracted with the layer reader's rules) seen through
 * its {@link dev.berth.engine.build.context.DockerIgnore}; it finds COPY/ADD sources (wildcards included)
 * without leaving the context, walks them, and computes their content checksum for the layer cache.
 * {@link dev.berth.engine.build.context.ContextArchive} writes a directory as the tar the API expects.
 *
 * <p>Must never: follow a symbolic link out of the context (an absolute link, or one that climbs above
 * the root, is refused when a source is looked up through it; links inside copied directories are
 * copied as links); write outside the directory it extracts into; let an excluded file be copied (the
 * Dockerfile and .dockerignore are read by the builder even when excluded, but COPY does not see them);
 * put modification times into the content checksum.
 */
package dev.berth.engine.build.context;
