package dev.berth.app.containers.details;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnsiTextTest {

    @Test
    void sgrColoursBoldAndResetBecomeStyledSpans() {
        List<AnsiText.Span> spans = AnsiText.parse("plain \u001b[1;31mred bold\u001b[0m back \u001b[92mbright\u001b[39m default");
        assertThat(spans).extracting(AnsiText.Span::text).containsExactly("plain ", "red bold", " back ", "bright", " default");
        assertThat(spans.get(0).style()).isEqualTo(AnsiText.Style.PLAIN);
        assertThat(spans.get(1).style()).isEqualTo(new AnsiText.Style(1, -1, true, false));
        assertThat(spans.get(2).style()).isEqualTo(AnsiText.Style.PLAIN);
        assertThat(spans.get(3).style().fg()).isEqualTo(10);
        assertThat(spans.get(4).style().fg()).isEqualTo(-1);
    }

    @Test
    void colourIndexesBackgroundsAndUnderline() {
        List<AnsiText.Span> spans = AnsiText.parse("\u001b[38;5;208;44;4mx\u001b[49;24my");
        assertThat(spans.get(0).style()).isEqualTo(new AnsiText.Style(208, 4, false, true));
        assertThat(spans.get(1).style()).isEqualTo(new AnsiText.Style(208, -1, false, false));
    }

    @Test
    void otherEscapeSequencesAreDroppedNotShown() {
        assertThat(AnsiText.strip("\u001b]0;title\u0007a\u001b[2Kb\u001b[10;5Hc\u001b(Bd")).isEqualTo("abcd");
        assertThat(AnsiText.strip("cut \u001b[3")).isEqualTo("cut ");
        assertThat(AnsiText.strip("no escapes")).isEqualTo("no escapes");
    }
}
