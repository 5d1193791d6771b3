package dev.berth.engine.layer;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TarReaderTest {

    private static final String LONG_DIR = "very-long-directory-name-".repeat(6);

    private static byte[] longNames(int longFileMode, int bigNumberMode) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(b)) {
            out.setLongFileMode(longFileMode);
            out.setBigNumberMode(bigNumberMode);
            byte[] content = "content".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry f = new TarArchiveEntry(LONG_DIR + "/file-with-a-long-name-" + "x".repeat(90));
            f.setSize(content.length);
            f.setUserId(3_000_000L);
            f.setGroupId(70_000);
            out.putArchiveEntry(f);
            out.write(content);
            out.closeArchiveEntry();
            TarArchiveEntry l = new TarArchiveEntry("link", TarConstants.LF_SYMLINK);
            l.setLinkName("/" + LONG_DIR + "/target-" + "y".repeat(90));
            out.putArchiveEntry(l);
            out.closeArchiveEntry();
        }
        return b.toByteArray();
    }

    private static List<TarEntry> read(byte[] tar) throws IOException {
        TarReader r = new TarReader(new ByteArrayInputStream(tar));
        List<TarEntry> out = new ArrayList<>();
        TarEntry e;
        while ((e = r.next()) != null) {
            out.add(e);
        }
        return out;
    }

    @Test
    void readsGnuLongNamesAndStarBigNumbers() throws IOException {
        List<TarEntry> entries = read(longNames(TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.BIGNUMBER_STAR));

        assertThat(entries).extracting(TarEntry::name).containsExactly(
                LONG_DIR + "/file-with-a-long-name-" + "x".repeat(90), "link");
        assertThat(entries.get(0).uid()).isEqualTo(3_000_000L);
        assertThat(entries.get(1).linkName()).isEqualTo("/" + LONG_DIR + "/target-" + "y".repeat(90));
    }

    @Test
    void readsPaxLongNamesAndNumbers() throws IOException {
        List<TarEntry> entries = read(longNames(TarArchiveOutputStream.LONGFILE_POSIX, TarArchiveOutputStream.BIGNUMBER_POSIX));

        assertThat(entries).extracting(TarEntry::name).containsExactly(
                LONG_DIR + "/file-with-a-long-name-" + "x".repeat(90), "link");
        assertThat(entries.get(0).uid()).isEqualTo(3_000_000L);
        assertThat(entries.get(0).gid()).isEqualTo(70_000L);
        assertThat(entries.get(1).linkName()).isEqualTo("/" + LONG_DIR + "/target-" + "y".repeat(90));
    }

    @Test
    void writerOutputIsReadBackByCommonsCompress() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        String longName = LONG_DIR + "/" + LONG_DIR + "/f";
        try (TarWriter w = new TarWriter(b)) {
            byte[] c = "abc".getBytes(StandardCharsets.UTF_8);
            w.write(new TarEntry(longName, TarEntry.Type.FILE, 04755, 5_000_000L, 7, c.length,
                    java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_123L), null, "", 0, 0,
                    java.util.Map.of("user.k", "v".getBytes(StandardCharsets.UTF_8))), new ByteArrayInputStream(c));
        }
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(b.toByteArray()))) {
            TarArchiveEntry e = in.getNextEntry();
            assertThat(e.getName()).isEqualTo(longName);
            assertThat(e.getMode() & 07777).isEqualTo(04755);
            assertThat(e.getLongUserId()).isEqualTo(5_000_000L);
            assertThat(e.getLastModifiedTime().toMillis()).isEqualTo(1_600_000_000_123L);
            assertThat(e.getExtraPaxHeader("SCHILY.xattr.user.k")).isEqualTo("v");
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abc");
            assertThat(in.getNextEntry()).isNull();
        }
    }
}
