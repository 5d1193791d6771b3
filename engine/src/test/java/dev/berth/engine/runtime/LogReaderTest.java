package dev.berth.engine.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The k8s-file format conmon writes, read back; rotation the way conmon 2.1.6 does it (rename a new file over). */
class LogReaderTest {

    @TempDir
    Path dir;

    private static String line(int second, String stream, char tag, String text) {
        return String.format("2026-11-23T10:00:%02d.000000001+01:00 %s %c %s%n", second, stream, tag, text);
    }

    @Test
    void parsesStreamsAndJoinsPartialPiecesPerStream() throws Exception {
        Path log = dir.resolve("c.log");
        Files.writeString(log, line(1, "stdout", 'P', "hel")
                + line(2, "stderr", 'F', "oops")
                + line(3, "stdout", 'P', "lo ")
                + line(4, "stdout", 'F', "world")
                + line(5, "stdout", 'F', "")
                + line(6, "stderr", 'P', "no newline at the end"));
        List<LogReader.Entry> e = LogReader.read(log, LogReader.Query.ALL);
        assertThat(e).extracting(LogReader.Entry::toString).containsExactly(
                "2026-11-23T09:00:02.000000001Z STDERR F oops\n",
                "2026-11-23T09:00:01.000000001Z STDOUT F hello world\n",
                "2026-11-23T09:00:05.000000001Z STDOUT F \n",
                "2026-11-23T09:00:06.000000001Z STDERR P no newline at the end");
    }

    @Test
    void keepsBytesThatAreNotText() throws Exception {
        Path log = dir.resolve("bin.log");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("2026-11-23T10:00:00Z stdout F ".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {(byte) 0xff, 0x00, (byte) 0xc3, '\r'});
        b.write('\n');
        Files.write(log, b.toByteArray());
        assertThat(LogReader.read(log, LogReader.Query.ALL).getFirst().bytes()).containsExactly(0xff, 0x00, 0xc3, '\r', '\n');
    }

    @Test
    void sinceUntilAndTailSelectEntries() throws Exception {
        Path log = dir.resolve("c.log");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            sb.append(line(i, "stdout", 'F', "n" + i));
        }
        Files.writeString(log, sb);
        Instant t3 = Instant.parse("2026-11-23T09:00:03.000000001Z");
        Instant t6 = Instant.parse("2026-11-23T09:00:06.000000001Z");
        assertThat(texts(LogReader.read(log, new LogReader.Query(t3, t6, -1)))).containsExactly("n3", "n4", "n5", "n6");
        assertThat(texts(LogReader.read(log, LogReader.Query.tail(2)))).containsExactly("n8", "n9");
        assertThat(texts(LogReader.read(log, new LogReader.Query(t3, t6, 1)))).containsExactly("n6");
        assertThat(LogReader.read(log, LogReader.Query.tail(0))).isEmpty();
        assertThat(LogReader.read(dir.resolve("absent.log"), LogReader.Query.ALL)).isEmpty();
    }

    @Test
    void malformedLinesAreSkippedAndTheRestIsRead() throws Exception {
        Path log = dir.resolve("c.log");
        Files.writeString(log, line(1, "stdout", 'F', "good1")
                + "garbage\n"
                + "not-a-time stdout F x\n"
                + "2026-11-23T10:00:00Z stdweird F x\n"
                + "2026-11-23T10:00:00Z stdout X x\n"
                + line(2, "stdout", 'F', "good2")
                + "2026-11-23T10:00:03Z stdout F torn wri");
        assertThat(texts(LogReader.read(log, LogReader.Query.ALL))).containsExactly("good1", "good2", "torn wri");
    }

    @Test
    void followContinuesAcrossARenamedOverLogAndATruncatedOne() throws Exception {
        Path log = dir.resolve("c.log");
        Files.writeString(log, line(1, "stdout", 'F', "a"));
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread follower = Thread.ofPlatform().daemon().start(() -> {
            try {
                LogReader.follow(log, LogReader.Query.ALL, running::get, e -> seen.add(e.text().strip()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitSize(seen, 1);
        append(log, line(2, "stdout", 'F', "b"));
        awaitSize(seen, 2);
        // conmon's rotation: the last lines go to the old file, then a new file is renamed over the name
        append(log, line(3, "stdout", 'F', "c"));
        Path tmp = dir.resolve("c.log.tmp");
        Files.writeString(tmp, "");
        Files.move(tmp, log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        append(log, line(4, "stderr", 'F', "d"));
        awaitSize(seen, 4);
        // truncation in place (copytruncate-style), noticed because the file is now shorter than what was read
        Files.writeString(log, "", StandardOpenOption.TRUNCATE_EXISTING);
        append(log, "2026-11-23T09:00:05Z stdout F e\n");
        awaitSize(seen, 5);
        running.set(false);
        follower.join(10_000);
        assertThat(follower.isAlive()).isFalse();
        assertThat(seen).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void followStopsAtUntilAndEmitsWaitingPiecesWhenIdle() throws Exception {
        Path log = dir.resolve("c.log");
        Files.writeString(log, line(1, "stdout", 'P', "prompt$ ") + line(2, "stdout", 'F', "x") + line(9, "stdout", 'F', "late"));
        List<LogReader.Entry> seen = new CopyOnWriteArrayList<>();
        LogReader.follow(log, new LogReader.Query(null, Instant.parse("2026-11-23T09:00:05Z"), -1), () -> true, seen::add);
        assertThat(seen).extracting(LogReader.Entry::text).containsExactly("prompt$ x\n");

        Path prompt = dir.resolve("p.log");
        Files.writeString(prompt, line(1, "stdout", 'P', "# "));
        List<LogReader.Entry> got = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread follower = Thread.ofPlatform().daemon().start(() -> {
            try {
                LogReader.follow(prompt, LogReader.Query.ALL, running::get, got::add);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 400 && got.isEmpty(); i++) {
            Thread.sleep(10);
        }
        running.set(false);
        follower.join(10_000);
        assertThat(got).singleElement().satisfies(e -> {
            assertThat(e.partial()).isTrue();
            assertThat(e.text()).isEqualTo("# ");
        });
    }

    private static void append(Path log, String text) throws Exception {
        Files.writeString(log, text, StandardOpenOption.APPEND);
    }

    private static void awaitSize(List<?> list, int n) throws InterruptedException {
        for (int i = 0; i < 400 && list.size() < n; i++) {
            Thread.sleep(10);
        }
        assertThat(list).hasSizeGreaterThanOrEqualTo(n);
    }

    private static List<String> texts(List<LogReader.Entry> entries) {
        return entries.stream().map(e -> e.text().strip()).toList();
    }
}
