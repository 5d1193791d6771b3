package dev.berth.engine.layer;

import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a layer tar, as Berth reads and writes it: the POSIX ustar header plus what
 * PAX extended headers carry (long names, large numbers, sub-second times, extended
 * attributes as raw bytes — {@code security.capability} is binary and must survive intact).
 *
 * @param name path inside the archive, as written (not yet cleaned)
 * @param type what the entry is
 * @param mode the 12 permission bits (setuid, setgid, sticky included)
 * @param linkName symlink target (stored verbatim) or hardlink target (an archive path); empty otherwise
 * @param atime access time, or null when the archive does not carry one
 * @param xattrs extended attributes, name to raw value
 */
public record TarEntry(String name, Type type, int mode, long uid, long gid, long size, FileTime mtime,
                       FileTime atime, String linkName, long devMajor, long devMinor, Map<String, byte[]> xattrs) {

    /** The entry kinds a layer may hold. */
    public enum Type { FILE, HARDLINK, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, DIRECTORY, FIFO }

    public TarEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mtime, "mtime");
        linkName = linkName == null ? "" : linkName;
        xattrs = xattrs == null ? Map.of() : Map.copyOf(xattrs);
    }
}
