package dev.berth.engine.build.context;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * One file, directory or symbolic link of the build context, as COPY and ADD copy it.
 *
 * @param path the path relative to the context root ({@code /}-separated)
 * @param relative the path relative to the source being copied ({@code ""} for the source itself)
 * @param type what the entry is
 * @param mode the 12 permission bits
 * @param size the content size of a file, 0 otherwise
 * @param linkTarget a symbolic link's target as stored (never followed), empty otherwise
 * @param mtime the modification time, which COPY keeps (it is not part of the content checksum)
 * @param file where the entry is on disk (open files with no-follow semantics)
 */
public record ContextEntry(String path, String relative, Type type, int mode, long uid, long gid, long size,
                           String linkTarget, FileTime mtime, Path file) {

    /** The kinds of entry a build context may hold. */
    public enum Type { FILE, DIRECTORY, SYMLINK }
}
