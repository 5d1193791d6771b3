package dev.berth.engine.container.inspect;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds small tars for {@code PUT /archive} and reads tars back, for the tests of this package. */
final class Tars {

    /** A read entry: its tar header and, for a regular file, its content as text. */
    record Read(TarArchiveEntry header, String text) {}

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes);

    Tars() {
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    Tars file(String name, String content, int mode, int uid, int gid) {
        try {
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(b.length);
            e.setMode(0100000 | mode);
            e.setUserId(uid);
            e.setGroupId(gid);
            out.putArchiveEntry(e);
            out.write(b);
            out.closeArchiveEntry();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Tars file(String name, String content) {
        return file(name, content, 0644, 0, 0);
    }

    Tars dir(String name) {
        try {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            e.setMode(040755);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Tars symlink(String name, String target) {
        try {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(target);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Tars hardlink(String name, String target) {
        try {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
            e.setLinkName(target);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ByteArrayInputStream stream() {
        try {
            out.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    /** Every entry of a tar, in order, by name. */
    static Map<String, Read> read(byte[] tar) {
        Map<String, Read> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                String text = e.isFile() ? new String(in.readAllBytes(), StandardCharsets.UTF_8) : null;
                out.put(e.getName(), new Read(e, text));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
