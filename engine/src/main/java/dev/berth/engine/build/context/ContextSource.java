package dev.berth.engine.build.context;

import java.nio.file.Path;

/**
 * A COPY or ADD source found in the build context.
 *
 * @param requested the source as the instruction names it, or the wildcard match (context-relative)
 * @param path where it resolved, symbolic links followed inside the context ({@code ""} is the root)
 * @param file that path on disk
 * @param directory whether it is a directory (its content is copied) or a file
 */
public record ContextSource(String requested, String path, Path file, boolean directory) {}
