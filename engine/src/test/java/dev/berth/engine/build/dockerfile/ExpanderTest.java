package dev.berth.engine.build.dockerfile;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpanderTest {

    private final Map<String, String> env = new HashMap<>(Map.of("A", "apple", "EMPTY", "", "SP", "80 443", "N1", "x"));
    private final Expander ex = new Expander('\\');

    private String w(String word) throws Expander.Problem {
        return ex.word(word, env::get);
    }

    @Test
    void plainAndBracedVariables() throws Exception {
        assertThat(w("$A")).isEqualTo("apple");
        assertThat(w("${A}s")).isEqualTo("apples");
        assertThat(w("$As")).isEqualTo("");           // the name is As, unset
        assertThat(w("x$UNSET-y")).isEqualTo("x-y");
        assertThat(w("$N1.txt")).isEqualTo("x.txt");
        assertThat(w("cost: $ 5 and $")).isEqualTo("cost: $ 5 and $");
    }

    @Test
    void defaultAndAlternativeModifiers() throws Exception {
        assertThat(w("${UNSET:-dflt}")).isEqualTo("dflt");
        assertThat(w("${EMPTY:-dflt}")).isEqualTo("dflt");
        assertThat(w("${EMPTY-dflt}")).isEqualTo("");
        assertThat(w("${UNSET-dflt}")).isEqualTo("dflt");
        assertThat(w("${A:-dflt}")).isEqualTo("apple");
        assertThat(w("${A:+alt}")).isEqualTo("alt");
        assertThat(w("${EMPTY:+alt}")).isEqualTo("");
        assertThat(w("${EMPTY+alt}")).isEqualTo("alt");
        assertThat(w("${UNSET+alt}")).isEqualTo("");
        // the word is itself processed: nested variables and quotes
        assertThat(w("${UNSET:-$A pie}")).isEqualTo("apple pie");
        assertThat(w("${UNSET:-\"}\"}")).isEqualTo("}");
    }

    @Test
    void requiredVariablesFailWithTheirMessage() throws Exception {
        assertThat(w("${A:?must be set}")).isEqualTo("apple");
        assertThatThrownBy(() -> w("${UNSET:?set UNSET first}")).isInstanceOf(Expander.Problem.class)
                .hasMessage("UNSET: set UNSET first");
        assertThatThrownBy(() -> w("${EMPTY:?}")).hasMessage("EMPTY: is not allowed to be unset or empty");
        assertThat(w("${EMPTY?}")).isEqualTo("");
    }

    @Test
    void quotesAndEscapes() throws Exception {
        assertThat(w("'$A'")).isEqualTo("$A");
        assertThat(w("\"$A pie\"")).isEqualTo("apple pie");
        assertThat(w("\\$A")).isEqualTo("$A");
        assertThat(w("\"\\$A \\\" \\\\ \\n\"")).isEqualTo("$A \" \\ \\n");
        assertThat(w("a\\ b")).isEqualTo("a b");
        assertThat(w("a'b c'd\"e f\"g")).isEqualTo("ab cde fg");
    }

    @Test
    void theBacktickEscapeReplacesTheBackslash() throws Exception {
        Expander backtick = new Expander('`');
        assertThat(backtick.word("`$A", env::get)).isEqualTo("$A");
        assertThat(backtick.word("c:\\dir\\$A", env::get)).isEqualTo("c:\\dir\\apple");
    }

    @Test
    void unterminatedQuotesAndBracesAreProblems() {
        assertThatThrownBy(() -> w("\"abc")).hasMessageStartingWith("unterminated quote: no double-quote closes the one at character 1");
        assertThatThrownBy(() -> w("'abc")).hasMessageStartingWith("unterminated quote: no single-quote closes the one at character 1");
        assertThatThrownBy(() -> w("${A")).hasMessageStartingWith("missing '}'");
        assertThatThrownBy(() -> w("${A:-x")).hasMessageStartingWith("missing '}'");
        assertThatThrownBy(() -> w("${A%.txt}")).hasMessageStartingWith("unsupported modifier (%)");
        assertThatThrownBy(() -> w("${}")).hasMessageStartingWith("bad substitution");
    }

    @Test
    void wordsSplitOnBlanksOutsideQuotesAndInUnquotedValues() throws Exception {
        assertThat(ex.words("a \"b c\" $SP '$SP' \"$SP\"", env::get)).containsExactly("a", "b c", "80", "443", "$SP", "80 443");
        assertThat(ex.words("\"\" x", env::get)).containsExactly("", "x");
        assertThat(ex.words("$UNSET", env::get)).isEmpty();
    }

    @Test
    void heredocBodiesKeepQuotesAndExpandVariables() throws Exception {
        assertThat(ex.heredoc("say \"$A\" 'and' \\$A \\n\n", env::get)).isEqualTo("say \"apple\" 'and' $A \\n\n");
    }

    @Test
    void wordsOfAnInstructionWithQuotedEnvValues() throws Exception {
        assertThat(List.of(w("\"two words\""), w("a\\ b"), w("'x y'"))).containsExactly("two words", "a b", "x y");
    }
}
