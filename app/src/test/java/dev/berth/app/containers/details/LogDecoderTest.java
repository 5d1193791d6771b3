package dev.berth.app.containers.details;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogDecoderTest {

    static void frame(ByteArrayOutputStream out, int stream, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        out.write(stream);
        out.write(0);
        out.write(0);
        out.write(0);
        out.write((p.length >>> 24) & 0xff);
        out.write((p.length >>> 16) & 0xff);
        out.write((p.length >>> 8) & 0xff);
        out.write(p.length & 0xff);
        out.writeBytes(p);
    }

    @Test
    void multiplexedFramesAreSplitIntoStdoutAndStderrLinesWithTheirTimestamps() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        frame(body, 1, "2026-11-23T10:00:00.000000001Z hello\n");
        frame(body, 2, "2026-11-23T10:00:00.000000002Z oops\n");
        frame(body, 1, "2026-11-23T10:00:00.000000003Z part");   // a line over two frames
        frame(body, 1, " two\n");
        frame(body, 1, "2026-11-23T10:00:00.000000004Z 日本語 \u001b[31mred\u001b[0m\n");
        List<LogLine> lines = new ArrayList<>();
        new LogDecoder(true, true, lines::add).decode(new ByteArrayInputStream(body.toByteArray()));
        assertThat(lines).extracting(LogLine::stream).containsExactly(
                LogLine.Stream.STDOUT, LogLine.Stream.STDERR, LogLine.Stream.STDOUT, LogLine.Stream.STDOUT);
        assertThat(lines).extracting(LogLine::plain).containsExactly("hello", "oops", "part two", "日本語 red");
        assertThat(lines.get(0).timestamp()).isEqualTo("2026-11-23T10:00:00.000000001Z");
        assertThat(lines.get(3).text()).contains("\u001b[31m");
    }

    @Test
    void ttyStreamIsRawStdoutWithCarriageReturnsRemoved() throws IOException {
        byte[] body = "2026-11-23T10:00:00Z one\r\n2026-11-23T10:00:01Z two\r\nlast".getBytes(StandardCharsets.UTF_8);
        List<LogLine> lines = new ArrayList<>();
        new LogDecoder(false, true, lines::add).decode(new ByteArrayInputStream(body));
        assertThat(lines).extracting(LogLine::plain).containsExactly("one", "two", "last");
        assertThat(lines).allMatch(l -> l.stream() == LogLine.Stream.STDOUT);
        assertThat(lines.get(2).timestamp()).isNull();
    }

    @Test
    void aStreamCutInsideAFrameIsAnErrorThatSaysSo() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        frame(body, 1, "complete\n");
        byte[] cut = java.util.Arrays.copyOf(body.toByteArray(), body.size() + 5);
        cut[body.size()] = 1;
        cut[body.size() + 4] = 0;
        List<LogLine> lines = new ArrayList<>();
        assertThatThrownBy(() -> new LogDecoder(true, false, lines::add).decode(new ByteArrayInputStream(cut)))
                .isInstanceOf(IOException.class).hasMessageContaining("frame header");
        assertThat(lines).extracting(LogLine::plain).containsExactly("complete");
    }
}
