package dev.berth.engine.layer;

import com.github.luben.zstd.ZstdOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.zip.GZIPOutputStream;

/** Builds test layer tars with Apache Commons Compress (an independent writer, so the reader is checked against it). */
final class Tars {

    static final Instant T0 = Instant.parse("2021-03-04T05:06:07Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream out;

    Tars() {
        out = new TarArchiveOutputStream(bytes);
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        out.setAddPaxHeadersForNonAsciiNames(true);
    }

    Tars dir(String name, int mode, int uid, int gid) {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
        return put(e, mode, uid, gid, null);
    }

    Tars file(String name, String content) {
        return file(name, content, 0644, 0, 0);
    }

    Tars file(String name, String content, int mode, int uid, int gid) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        return put(e, mode, uid, gid, content.getBytes(StandardCharsets.UTF_8));
    }

    Tars symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        return put(e, 0777, 0, 0, null);
    }

    Tars hardlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
        e.setLinkName(target);
        return put(e, 0644, 0, 0, null);
    }

    Tars device(String name, byte type, int mode, int major, int minor) {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        return put(e, mode, 0, 0, null);
    }

    Tars withXattr(String name, String content, String xattr, String value) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        e.addPaxHeader("SCHILY.xattr." + xattr, value);
        return put(e, 0644, 0, 0, content.getBytes(StandardCharsets.UTF_8));
    }

    Tars put(TarArchiveEntry e, int mode, int uid, int gid, byte[] content) {
        try {
            e.setMode(mode);
            e.setUserId(uid);
            e.setGroupId(gid);
            e.setModTime(Date.from(T0));
            if (content != null) {
                e.setSize(content.length);
            }
            out.putArchiveEntry(e);
            if (content != null) {
                out.write(content);
            }
            out.closeArchiveEntry();
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    byte[] tar() {
        try {
            out.finish();
            out.close();
            return bytes.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static byte[] gzip(byte[] tar) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(tar);
        }
        return b.toByteArray();
    }

    static byte[] zstd(byte[] tar) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(b)) {
            z.write(tar);
        }
        return b.toByteArray();
    }
}
