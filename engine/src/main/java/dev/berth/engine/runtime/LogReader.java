package dev.berth.engine.runtime;

import dev.berth.engine.errors.EngineException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads the container log conmon writes ({@code k8s-file}: one line per write segment,
 * {@code <RFC 3339 time> stdout|stderr F|P <bytes>}, where {@code P} marks a piece of a line that
 * continues in the next record of the same stream). Pieces are joined back into lines.
 *
 * <p>Rotation: conmon 2.1.6 with {@code --log-size-max} starts a new, empty log by renaming
 * {@code <log>.tmp} over {@code <log>}; the old content is dropped, not kept as {@code <log>.1}.
 * {@link #follow} notices the new file (another inode behind the name), finishes the old one it
 * still has open, and continues at the start of the new one. A log truncated in place is read
 * again from its start once it is seen shorter than what was already read. Two rotations within
 * one poll interval (50 ms) lose the middle file, as with any reader of a rotating log.
 *
 * <p>A malformed line (a torn write after a crash) is skipped and logged with its line number.
 */
public final class LogReader {

    private static final System.Logger LOG = System.getLogger(LogReader.class.getName());
    private static final Duration POLL = Duration.ofMillis(50);

    public enum Stream { STDOUT, STDERR }

    /**
     * One line of output. {@code bytes} ends with {@code \n} for a complete line; a {@code partial}
     * entry is output that did not end in a newline (yet): the end of the stream, or while
     * following, what was written so far.
     */
    public record Entry(Instant time, Stream stream, boolean partial, byte[] bytes) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && time.equals(e.time) && stream == e.stream && partial == e.partial
                    && Arrays.equals(bytes, e.bytes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(time, stream, partial, Arrays.hashCode(bytes));
        }

        @Override
        public String toString() {
            return time + " " + stream + (partial ? " P " : " F ") + text();
        }
    }

    /**
     * Which entries: {@code since} (inclusive) and {@code until} (inclusive) times, {@code null}
     * for no bound; {@code tail} the last n entries, negative for all.
     */
    public record Query(Instant since, Instant until, int tail) {
        public static final Query ALL = new Query(null, null, -1);

        public static Query tail(int n) {
            return new Query(null, null, n);
        }

        boolean before(Entry e) {
            return since != null && e.time().isBefore(since);
        }

        boolean after(Entry e) {
            return until != null && e.time().isAfter(until);
        }
    }

    private LogReader() {}

    /** The entries of {@code log} that match {@code query}; an absent log has none. */
    public static List<Entry> read(Path log, Query query) {
        List<Entry> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            Parser parser = new Parser(log);
            drain(ch, parser, out::add);
            parser.finish(out::add);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read log " + log + ": " + e.getMessage(), e);
        }
        return select(out, query);
    }

    private static List<Entry> select(List<Entry> all, Query query) {
        Deque<Entry> kept = new ArrayDeque<>();
        for (Entry e : all) {
            if (query.before(e)) {
                continue;
            }
            if (query.after(e)) {
                break;
            }
            kept.addLast(e);
            if (query.tail() >= 0 && kept.size() > query.tail()) {
                kept.removeFirst();
            }
        }
        return List.copyOf(kept);
    }

    /**
     * Emits the matching entries already in {@code log}, then new ones as they are written, until
     * {@code keepFollowing} turns false (checked whenever the log is idle; the log is read to its
     * end once more before returning), an entry is later than {@code query.until()}, or the thread
     * is interrupted. Waits for the log to appear if it does not exist yet.
     */
    public static void follow(Path log, Query query, BooleanSupplier keepFollowing, Consumer<Entry> sink)
            throws InterruptedException {
        FileChannel ch = null;
        try {
            while (ch == null) {
                try {
                    ch = FileChannel.open(log, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    if (!keepFollowing.getAsBoolean()) {
                        return;
                    }
                    Thread.sleep(POLL.toMillis());
                }
            }
            Object key = fileKey(log);
            Parser parser = new Parser(log);
            List<Entry> existing = new ArrayList<>();
            drain(ch, parser, existing::add);
            boolean[] done = {false};
            Consumer<Entry> filtered = e -> {
                if (done[0] || query.before(e)) {
                    return;
                }
                if (query.after(e)) {
                    done[0] = true;
                    return;
                }
                sink.accept(e);
            };
            for (Entry e : select(existing, new Query(query.since(), null, query.tail()))) {
                filtered.accept(e);
            }
            long pause = 1;
            while (!done[0]) {
                boolean got = drain(ch, parser, filtered);
                if (got) {
                    pause = 1;
                    continue;
                }
                Object now = fileKey(log);
                if (now != null && !now.equals(key)) {
                    // rotated: the old file is finished (conmon writes only to the new one now)
                    drain(ch, parser, filtered);
                    parser.finishCarry(filtered);
                    ch.close();
                    ch = FileChannel.open(log, StandardOpenOption.READ);
                    key = now;
                    continue;
                }
                if (ch.size() < ch.position()) {
                    ch.position(0); // truncated in place
                    continue;
                }
                parser.flushPartials(filtered);
                if (!keepFollowing.getAsBoolean()) {
                    drain(ch, parser, filtered);
                    parser.finish(filtered);
                    return;
                }
                // a short pause after activity (a container that just started, output that just came),
                // doubling to POLL while the log stays idle
                Thread.sleep(pause);
                pause = Math.min(pause * 2, POLL.toMillis());
            }
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot follow log " + log + ": " + e.getMessage(), e);
        } finally {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // read-only channel
                }
            }
        }
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads what is available now; true when any bytes were read. */
    private static boolean drain(FileChannel ch, Parser parser, Consumer<Entry> sink) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        boolean any = false;
        while (ch.read(buf) > 0) {
            any = true;
            buf.flip();
            parser.feed(buf, sink);
            buf.clear();
        }
        return any;
    }

    /** Splits bytes into lines, parses them, and joins {@code P} pieces per stream. */
    private static final class Parser {
        private final Path log;
        private final ByteArrayOutputStream carry = new ByteArrayOutputStream();
        private final Map<Stream, ByteArrayOutputStream> pending = new EnumMap<>(Stream.class);
        private final Map<Stream, Instant> pendingTime = new EnumMap<>(Stream.class);
        private long lineNo;

        Parser(Path log) {
            this.log = log;
        }

        void feed(ByteBuffer buf, Consumer<Entry> sink) {
            while (buf.hasRemaining()) {
                byte b = buf.get();
                if (b == '\n') {
                    lineNo++;
                    line(carry.toByteArray(), sink);
                    carry.reset();
                } else {
                    carry.write(b);
                }
            }
        }

        private void line(byte[] line, Consumer<Entry> sink) {
            int s1 = indexOf(line, ' ', 0);
            int s2 = s1 < 0 ? -1 : indexOf(line, ' ', s1 + 1);
            if (s2 < 0 || s2 + 1 >= line.length) {
                malformed("too few fields");
                return;
            }
            Instant time;
            try {
                time = OffsetDateTime.parse(new String(line, 0, s1, StandardCharsets.US_ASCII)).toInstant();
            } catch (DateTimeParseException e) {
                malformed("bad time");
                return;
            }
            String streamName = new String(line, s1 + 1, s2 - s1 - 1, StandardCharsets.US_ASCII);
            Stream stream = switch (streamName) {
                case "stdout" -> Stream.STDOUT;
                case "stderr" -> Stream.STDERR;
                default -> null;
            };
            if (stream == null) {
                malformed("unknown stream " + streamName);
                return;
            }
            byte tag = line[s2 + 1];
            boolean partial;
            if (tag == 'P') {
                partial = true;
            } else if (tag == 'F') {
                partial = false;
            } else {
                malformed("unknown tag " + (char) tag);
                return;
            }
            int contentStart = Math.min(line.length, s2 + 3);
            ByteArrayOutputStream acc = pending.computeIfAbsent(stream, k -> new ByteArrayOutputStream());
            pendingTime.putIfAbsent(stream, time);
            acc.write(line, contentStart, line.length - contentStart);
            if (!partial) {
                acc.write('\n');
                sink.accept(new Entry(pendingTime.remove(stream), stream, false, acc.toByteArray()));
                acc.reset();
            }
        }

        /** Emits joined pieces still waiting for their line's end, as partial entries. */
        void flushPartials(Consumer<Entry> sink) {
            for (Stream s : Stream.values()) {
                ByteArrayOutputStream acc = pending.get(s);
                if (acc != null && acc.size() > 0) {
                    sink.accept(new Entry(pendingTime.remove(s), s, true, acc.toByteArray()));
                    acc.reset();
                }
            }
        }

        /** A last line without its newline (a write cut short) is parsed as is. */
        void finishCarry(Consumer<Entry> sink) {
            if (carry.size() > 0) {
                lineNo++;
                line(carry.toByteArray(), sink);
                carry.reset();
            }
        }

        void finish(Consumer<Entry> sink) {
            finishCarry(sink);
            flushPartials(sink);
        }

        private void malformed(String why) {
            LOG.log(System.Logger.Level.WARNING, "skipping malformed line " + lineNo + " of " + log + ": " + why);
        }

        private static int indexOf(byte[] a, char c, int from) {
            for (int i = from; i < a.length; i++) {
                if (a[i] == c) {
                    return i;
                }
            }
            return -1;
        }
    }
}
