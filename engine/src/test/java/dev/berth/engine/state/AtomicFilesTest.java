package dev.berth.engine.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFilesTest {

    @TempDir
    Path tmp;

    @Test
    void replacesContentAndLeavesNoTempFiles() throws Exception {
        Path f = tmp.resolve("meta.json");
        AtomicFiles.write(f, "one".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(f, "two".getBytes(StandardCharsets.UTF_8));
        assertThat(f).hasContent("two");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("meta.json");
        }
    }

    @Test
    void regenerableFilesAreReplacedWholeWithMode0644AndNoTempFiles() throws Exception {
        Path f = tmp.resolve("bundle/config.json");
        AtomicFiles.writeRegenerable(f, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.writeRegenerable(f, "{\"b\":2}".getBytes(StandardCharsets.UTF_8));
        assertThat(f).hasContent("{\"b\":2}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("config.json");
        }
    }

    @Test
    void secretsAreWrittenWithTheRequestedMode() throws Exception {
        Path f = tmp.resolve("auth.json");
        AtomicFiles.write(f, "{}".getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-------"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    }

    @Test
    void readersNeverSeeATornFile() throws Exception {
        Path f = tmp.resolve("state.json");
        byte[] a = "A".repeat(256 * 1024).getBytes(StandardCharsets.UTF_8);
        byte[] b = "B".repeat(256 * 1024).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(f, a);
        AtomicBoolean stop = new AtomicBoolean();
        List<String> torn = new ArrayList<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                try {
                    byte[] got = Files.readAllBytes(f);
                    if (!(java.util.Arrays.equals(got, a) || java.util.Arrays.equals(got, b))) {
                        torn.add("read " + got.length + " bytes of mixed content");
                    }
                } catch (Exception e) {
                    torn.add(e.toString());
                }
            }
        });
        for (int i = 0; i < 50; i++) {
            AtomicFiles.write(f, i % 2 == 0 ? b : a);
        }
        stop.set(true);
        reader.join();
        assertThat(torn).isEmpty();
    }

    @Test
    void aFailedWriteNamesTheTargetAndKeepsTheOldContent() throws Exception {
        Path dir = tmp.resolve("ro");
        Files.createDirectories(dir);
        Path f = dir.resolve("x.json");
        AtomicFiles.write(f, "old".getBytes(StandardCharsets.UTF_8));
        // a directory in the way of the rename makes the replace fail
        Path blocked = dir.resolve("blocked");
        Files.createDirectories(blocked.resolve("child"));
        assertThatThrownBy(() -> AtomicFiles.write(blocked, "new".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining(blocked.toString());
        assertThat(f).hasContent("old");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("x.json", "blocked");
        }
    }
}
