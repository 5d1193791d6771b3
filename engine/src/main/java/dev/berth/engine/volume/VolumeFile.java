package dev.berth.engine.volume;

import java.time.Instant;

/**
 * One entry of a directory inside a volume, as the volume browser shows it. Symbolic links are
 * reported as links and never followed.
 *
 * @param name     the entry's file name
 * @param type     {@code directory}, {@code file}, {@code symlink} or {@code other} (devices, sockets, fifos)
 * @param size     bytes for a regular file; the link's own size for a symbolic link; 0 for a directory
 * @param mode     permission bits (e.g. {@code 0644}), without the type bits
 * @param modified last modification time
 */
public record VolumeFile(String name, String type, long size, int mode, Instant modified) {

    public static final String DIRECTORY = "directory";
    public static final String FILE = "file";
    public static final String SYMLINK = "symlink";
    public static final String OTHER = "other";
}
