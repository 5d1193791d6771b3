package dev.berth.engine.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Docker's word processing for the instructions it expands (ADD, COPY, ENV, ARG, EXPOSE, FROM, LABEL,
 * STOPSIGNAL, USER, VOLUME, WORKDIR), a small subset of a POSIX shell:
 * <ul>
 *   <li>{@code $NAME} and {@code ${NAME}}: the value, or nothing when unset; a {@code $} not followed by a
 *       name is kept;</li>
 *   <li>{@code ${NAME:-word}} word when unset or empty, {@code ${NAME-word}} word when unset,
 *       {@code ${NAME:+word}} word when set and not empty, {@code ${NAME+word}} word when set,
 *       {@code ${NAME:?message}} and {@code ${NAME?message}} an error when unset (or empty); the word is
 *       itself processed;</li>
 *   <li>single quotes keep everything literally; double quotes keep blanks and expand variables, and the
 *       escape character escapes {@code "}, {@code $} and itself inside them; outside quotes the escape
 *       character makes the next character literal ({@code \$} is a dollar sign).</li>
 * </ul>
 * Variables are looked up through a function that returns null for an unset name.
 */
public final class Expander {

    /** A word that cannot be processed (an unterminated quote or {@code ${}, a bad modifier, {@code ${V:?}}). */
    public static final class Problem extends Exception {
        Problem(String message) {
            super(message, null, false, false);
        }
    }

    private final char escape;

    public Expander(char escape) {
        this.escape = escape;
    }

    /** One word: quotes removed, escapes applied, variables replaced. */
    public String word(String word, Function<String, String> lookup) throws Problem {
        Run r = new Run(word, 0, lookup, false, false);
        r.process((char) 0);
        return r.cur.toString();
    }

    /**
     * Like {@link #word} but split into words on blanks outside quotes, also on blanks inside the value of
     * an unquoted variable ({@code EXPOSE $PORTS} with {@code PORTS="80 443"} exposes two ports).
     */
    public List<String> words(String text, Function<String, String> lookup) throws Problem {
        Run r = new Run(text, 0, lookup, true, false);
        r.process((char) 0);
        r.endWord();
        return r.words;
    }

    /**
     * A heredoc body: only variables are replaced ({@code \$} keeps a dollar sign); quotes and other
     * characters stay as they are, as in a shell's unquoted here-document.
     */
    public String heredoc(String content, Function<String, String> lookup) throws Problem {
        Run r = new Run(content, 0, lookup, false, true);
        r.process((char) 0);
        return r.cur.toString();
    }

    /** One pass over {@code s} from {@code i}, writing into {@code cur} (and {@code words} when splitting). */
    private final class Run {
        final String s;
        int i;
        final Function<String, String> lookup;
        final boolean split;
        final boolean raw;
        final StringBuilder cur = new StringBuilder();
        final List<String> words = new ArrayList<>();
        boolean inWord;

        Run(String s, int i, Function<String, String> lookup, boolean split, boolean raw) {
            this.s = s;
            this.i = i;
            this.lookup = lookup;
            this.split = split;
            this.raw = raw;
        }

        void endWord() {
            if (inWord) {
                words.add(cur.toString());
                cur.setLength(0);
                inWord = false;
            }
        }

        void add(char c) {
            cur.append(c);
            inWord = true;
        }

        void addValue(String v) {
            if (!split) {
                cur.append(v);
                return;
            }
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                if (Character.isWhitespace(c)) {
                    endWord();
                } else {
                    add(c);
                }
            }
        }

        /** Processes up to {@code stop} (consumed; 0 means the end); returns whether the stop was found. */
        boolean process(char stop) throws Problem {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (stop != 0 && c == stop) {
                    i++;
                    return true;
                }
                if (raw) {
                    if (c == escape && i + 1 < s.length() && s.charAt(i + 1) == '$') {
                        add('$');
                        i += 2;
                    } else if (c == '$') {
                        addValue(dollar());
                    } else {
                        add(c);
                        i++;
                    }
                    continue;
                }
                if (c == escape) {
                    if (i + 1 < s.length()) {
                        add(s.charAt(i + 1));
                    }
                    i += 2;
                } else if (c == '\'') {
                    single();
                } else if (c == '"') {
                    dbl();
                } else if (c == '$') {
                    addValue(dollar());
                } else if (split && Character.isWhitespace(c)) {
                    endWord();
                    i++;
                } else {
                    add(c);
                    i++;
                }
            }
            return stop == 0;
        }

        private void single() throws Problem {
            int start = i++;
            inWord = true;
            while (i < s.length() && s.charAt(i) != '\'') {
                cur.append(s.charAt(i++));
            }
            if (i >= s.length()) {
                throw new Problem("unterminated quote: no single-quote closes the one at character "
                        + (start + 1) + " of \"" + s + "\"");
            }
            i++;
        }

        private void dbl() throws Problem {
            int start = i++;
            inWord = true;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '"') {
                    i++;
                    return;
                }
                if (c == '$') {
                    cur.append(dollar());
                    continue;
                }
                if (c == escape && i + 1 < s.length()) {
                    char n = s.charAt(i + 1);
                    if (n == '"' || n == '$' || n == escape) {
                        cur.append(n);
                        i += 2;
                        continue;
                    }
                }
                cur.append(c);
                i++;
            }
            throw new Problem("unterminated quote: no double-quote closes the one at character "
                    + (start + 1) + " of \"" + s + "\"");
        }

        /** At a {@code $}: the value it stands for (the {@code $} itself when no name follows). */
        private String dollar() throws Problem {
            int start = i++;
            if (i >= s.length()) {
                return "$";
            }
            if (s.charAt(i) != '{') {
                String name = name();
                if (name.isEmpty()) {
                    return "$";
                }
                String v = lookup.apply(name);
                return v == null ? "" : v;
            }
            i++;
            String name = name();
            if (i >= s.length()) {
                throw new Problem("missing '}' in \"" + s.substring(start) + "\"");
            }
            char c = s.charAt(i);
            if (c == '}') {
                i++;
                if (name.isEmpty()) {
                    throw new Problem("bad substitution \"${}\" in \"" + s + "\"");
                }
                String v = lookup.apply(name);
                return v == null ? "" : v;
            }
            if (name.isEmpty()) {
                throw new Problem("bad substitution in \"" + s.substring(start) + "\": expected a variable name after ${");
            }
            boolean colon = c == ':';
            if (colon) {
                i++;
                if (i >= s.length()) {
                    throw new Problem("missing '}' in \"" + s.substring(start) + "\"");
                }
                c = s.charAt(i);
            }
            if (c != '-' && c != '+' && c != '?') {
                throw new Problem("unsupported modifier (" + (colon ? ":" : "") + c + ") in substitution \""
                        + s.substring(start, Math.min(s.length(), i + 1)) + "...\": Berth supports :- - :+ + :? ?");
            }
            i++;
            Run sub = new Run(s, i, lookup, false, raw);
            if (!sub.process('}')) {
                throw new Problem("missing '}' in \"" + s.substring(start) + "\"");
            }
            i = sub.i;
            String word = sub.cur.toString();
            String v = lookup.apply(name);
            boolean missing = v == null || (colon && v.isEmpty());
            return switch (c) {
                case '-' -> missing ? word : v;
                case '+' -> missing ? "" : word;
                default -> {
                    if (missing) {
                        throw new Problem(name + ": " + (word.isEmpty() ? (colon ? "is not allowed to be unset or empty"
                                : "is not allowed to be unset") : word));
                    }
                    yield v;
                }
            };
        }

        /** A variable name: letters, digits and {@code _}; a name that starts with a digit is digits only. */
        private String name() {
            int start = i;
            if (i < s.length() && Character.isDigit(s.charAt(i))) {
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                return s.substring(start, i);
            }
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            return s.substring(start, i);
        }
    }
}
