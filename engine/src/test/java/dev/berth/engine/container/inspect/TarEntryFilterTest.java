package dev.berth.engine.container.inspect;

import dev.berth.engine.layer.TarEntry;
import dev.berth.engine.layer.TarWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TarEntryFilterTest {

    private static final FileTime T = FileTime.fromMillis(1_700_000_000_000L);

    private static void file(TarWriter w, String name, String content, Map<String, byte[]> xattrs) throws Exception {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        w.write(new TarEntry(name, TarEntry.Type.FILE, 0644, 0, 0, b.length, T, null, "", 0, 0, xattrs), new ByteArrayInputStream(b));
    }

    @Test
    void droppedEntriesLeaveWithTheirPaxHeadersAndContentAndKeptOnesAreCopiedByteForByte() throws Exception {
        String longName = "d/" + "n".repeat(150);
        String longKept = "k/" + "m".repeat(150);
        ByteArrayOutputStream filtered = new ByteArrayOutputStream();
        ByteArrayOutputStream reference = new ByteArrayOutputStream();
        TarEntryFilter f = new TarEntryFilter(filtered, name -> !name.startsWith("d/") && !name.equals("drop-me"));
        TarWriter all = new TarWriter(f);
        TarWriter expected = new TarWriter(reference);
        all.write(new TarEntry("d/", TarEntry.Type.DIRECTORY, 0755, 0, 0, 0, T, null, "", 0, 0, Map.of()), null);
        file(all, longName, "x".repeat(1000), Map.of("user.a", new byte[] {0, 1, 2}));
        file(all, "keep", "y".repeat(513), Map.of());
        file(expected, "keep", "y".repeat(513), Map.of());
        file(all, "drop-me", "z".repeat(512), Map.of());
        file(all, longKept, "w", Map.of("security.capability", new byte[] {1, 0, 0, 2}));
        file(expected, longKept, "w", Map.of("security.capability", new byte[] {1, 0, 0, 2}));
        all.close();
        expected.close();
        f.flush();

        assertThat(filtered.toByteArray()).isEqualTo(reference.toByteArray());
        assertThat(Tars.read(filtered.toByteArray()).keySet()).containsExactly("keep", longKept);
    }
}
