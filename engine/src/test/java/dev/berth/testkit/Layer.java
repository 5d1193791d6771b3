package dev.berth.testkit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One image layer's contents, written as a deterministic, uncompressed tar: entries sorted by
 * path, owner 0:0 unless set, every mtime {@link #FIXED_TIME}. Paths are given as absolute
 * image paths ({@code /etc/passwd}) and written the way Docker writes them ({@code etc/passwd});
 * missing parent directories are added (0755). Whiteouts and opaque directories use the OCI
 * spelling ({@code .wh.NAME}, {@code .wh..wh..opq}).
 *
 * <p>{@link Builder#rawEntry} writes a name exactly as given (e.g. {@code ../../escape}) and is
 * meant for tests that prove hostile layers are refused.
 */
public final class Layer {

    /** The mtime of every entry (and the image's {@code created}). */
    public static final Instant FIXED_TIME = Instant.parse("2025-01-01T00:00:00Z");

    /** One tar entry. {@code type} is a tar type flag ({@link TarConstants#LF_NORMAL}, ...). */
    public record Entry(String name, byte type, String linkName, byte[] content, int mode, int uid, int gid) {}

    private final List<Entry> entries;
    private final String createdBy;

    private Layer(List<Entry> entries, String createdBy) {
        this.entries = List.copyOf(entries);
        this.createdBy = createdBy;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The entries in the order they are written. */
    public List<Entry> entries() {
        return entries;
    }

    /** The history line for this layer in the image config. */
    public String createdBy() {
        return createdBy;
    }

    /** The uncompressed layer tar (its sha256 is the layer's diff ID). */
    public byte[] tar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry t = new TarArchiveEntry(e.name(), e.type(), true);
                if (e.linkName() != null) {
                    t.setLinkName(e.linkName());
                }
                t.setMode(e.mode());
                t.setIds(e.uid(), e.gid());
                t.setUserName("");
                t.setGroupName("");
                t.setLastModifiedTime(FileTime.from(FIXED_TIME));
                t.setSize(e.type() == TarConstants.LF_NORMAL ? e.content().length : 0);
                tar.putArchiveEntry(t);
                if (e.type() == TarConstants.LF_NORMAL) {
                    tar.write(e.content());
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Collects entries; the sorted ones are written first, then raw ones in the order added. */
    public static final class Builder {
        private final Map<String, Entry> sorted = new TreeMap<>();
        private final List<Entry> raw = new ArrayList<>();
        private String createdBy = "COPY . / # berth testkit layer";

        private Builder() {}

        public Builder createdBy(String line) {
            this.createdBy = line;
            return this;
        }

        public Builder file(String path, String content) {
            return file(path, content.getBytes(StandardCharsets.UTF_8), 0644);
        }

        public Builder file(String path, byte[] content) {
            return file(path, content, 0644);
        }

        public Builder file(String path, byte[] content, int mode) {
            return file(path, content, mode, 0, 0);
        }

        public Builder file(String path, byte[] content, int mode, int uid, int gid) {
            return put(new Entry(relative(path), TarConstants.LF_NORMAL, null, content.clone(), mode, uid, gid));
        }

        public Builder dir(String path) {
            return dir(path, 0755);
        }

        public Builder dir(String path, int mode) {
            return dir(path, mode, 0, 0);
        }

        public Builder dir(String path, int mode, int uid, int gid) {
            return put(new Entry(relative(path) + "/", TarConstants.LF_DIR, null, new byte[0], mode, uid, gid));
        }

        /** A symlink at {@code path} pointing to {@code target} (written as given, absolute or relative). */
        public Builder symlink(String path, String target) {
            return put(new Entry(relative(path), TarConstants.LF_SYMLINK, target, new byte[0], 0777, 0, 0));
        }

        /** A hard link at {@code path} to the earlier entry {@code target} (an image path). */
        public Builder hardlink(String path, String target) {
            return put(new Entry(relative(path), TarConstants.LF_LINK, relative(target), new byte[0], 0644, 0, 0));
        }

        /** Deletes {@code path} from the layers below: an empty {@code .wh.NAME} file next to it. */
        public Builder whiteout(String path) {
            String rel = relative(path);
            int slash = rel.lastIndexOf('/');
            String parent = slash < 0 ? "" : rel.substring(0, slash + 1);
            String name = rel.substring(slash + 1);
            return put(new Entry(parent + ".wh." + name, TarConstants.LF_NORMAL, null, new byte[0], 0644, 0, 0));
        }

        /** Hides everything the layers below have under {@code dir}: the directory plus {@code .wh..wh..opq}. */
        public Builder opaque(String dir) {
            dir(dir);
            String rel = relative(dir);
            return put(new Entry(rel + "/.wh..wh..opq", TarConstants.LF_NORMAL, null, new byte[0], 0644, 0, 0));
        }

        /** An entry written with exactly this name and no parent directories (for hostile-layer tests). */
        public Builder rawEntry(String name, byte type, String linkName, byte[] content, int mode) {
            raw.add(new Entry(name, type, linkName, content.clone(), mode, 0, 0));
            return this;
        }

        public Layer build() {
            List<Entry> all = new ArrayList<>(sorted.values());
            all.addAll(raw);
            return new Layer(all, createdBy);
        }

        private Builder put(Entry e) {
            String key = e.name().endsWith("/") ? e.name().substring(0, e.name().length() - 1) : e.name();
            // parents first, so readers never see a child before its directory
            int slash = key.indexOf('/');
            while (slash > 0) {
                String parent = key.substring(0, slash);
                sorted.putIfAbsent(parent, new Entry(parent + "/", TarConstants.LF_DIR, null, new byte[0], 0755, 0, 0));
                slash = key.indexOf('/', slash + 1);
            }
            sorted.put(key, e);
            return this;
        }

        private static String relative(String path) {
            String p = path;
            while (p.startsWith("/")) {
                p = p.substring(1);
            }
            while (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            if (p.isEmpty() || p.equals(".") || p.contains("//") || List.of(p.split("/")).contains("..")) {
                throw new IllegalArgumentException("not a plain image path: " + path + " (use rawEntry for hostile names)");
            }
            return p;
        }
    }
}
