package dev.berth.app.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A source scan (a heuristic, on purpose simple): views pass no string literal with letters
 * to the text setters or constructors of labelled controls, and every bundle key the app's
 * sources name exists in the English bundle.
 */
class NoHardCodedTextTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/berth/app");
    private static final Pattern TEXT_LITERAL = Pattern.compile(
            "(?:\\.set(?:Text|PromptText|Title|HeaderText|ContentText)\\(\\s*\"[^\"]*\\p{L}"
                    + "|new\\s+(?:Label|Button|ToggleButton|RadioButton|CheckBox|Hyperlink|MenuItem|Menu|Tab|Tooltip|TitledPane|TableColumn(?:<[^>]*>)?)\\(\\s*\"[^\"]*\\p{L})");
    private static final Pattern KEY_USE = Pattern.compile(
            "(?:text|get|Text\\.of|create)\\(\\s*(?:i18n,\\s*)?\"([a-z][a-zA-Z]*(?:\\.[a-zA-Z_]+)+)\"");

    private static List<Path> sources(String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(SOURCES)) {
            return s.filter(p -> p.toString().endsWith(suffix)).toList();
        }
    }

    @Test
    void viewsPassNoHardCodedTextToControls() throws IOException {
        List<Path> views = sources("View.java");
        assertThat(views).hasSizeGreaterThan(8);
        List<String> offenders = new ArrayList<>();
        for (Path view : views) {
            Matcher m = TEXT_LITERAL.matcher(Files.readString(view));
            while (m.find()) {
                offenders.add(view.getFileName() + ": " + m.group());
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void theScanCatchesALiteral() {
        assertThat(TEXT_LITERAL.matcher("label.setText(\"Hello\")").find()).isTrue();
        assertThat(TEXT_LITERAL.matcher("new Button(\"OK\")").find()).isTrue();
        assertThat(TEXT_LITERAL.matcher("new TableColumn<Row, String>(\"Name\")").find()).isTrue();
        assertThat(TEXT_LITERAL.matcher("label.setText(\"\")").find()).isFalse();
    }

    @Test
    void everyKeyTheSourcesNameExistsInTheBundle() throws IOException {
        Properties en = new Properties();
        try (var in = dev.berth.ui.UiResources.require("i18n/messages.properties").openStream()) {
            en.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        List<String> missing = new ArrayList<>();
        int seen = 0;
        for (Path source : sources(".java")) {
            Matcher m = KEY_USE.matcher(Files.readString(source));
            while (m.find()) {
                seen++;
                if (!en.containsKey(m.group(1))) {
                    missing.add(source.getFileName() + ": " + m.group(1));
                }
            }
        }
        assertThat(seen).isGreaterThan(20);
        assertThat(missing).isEmpty();
    }
}
