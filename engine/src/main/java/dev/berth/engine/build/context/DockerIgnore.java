package dev.berth.engine.build.context;

import dev.berth.engine.errors.EngineException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore} file with Docker's semantics.
 *
 * <ul>
 *   <li>One pattern per line; a line starting with {@code #} is a comment; blanks around a pattern are
 *       trimmed; empty lines are skipped; a UTF-8 byte order mark is dropped.</li>
 *   <li>Each pattern is cleaned like Go's {@code filepath.Clean} ({@code ./a//b/} is {@code a/b},
 *       {@code a/../b} is {@code b}) and a leading {@code /} is dropped: patterns are relative to the
 *       context root.</li>
 *   <li>{@code *} matches within one path component, {@code ?} one character other than {@code /},
 *       {@code [...]} a character class, {@code **} any number of components (also none), a backslash
 *       makes the next character literal.</li>
 *   <li>A pattern that matches a directory excludes everything under it; {@code !pattern} re-includes;
 *       the last pattern that matches a path (or one of its parent directories) decides.</li>
 * </ul>
 * The Dockerfile and {@code .dockerignore} are always sent to the builder (it needs them), but when a
 * pattern excludes them COPY and ADD do not see them, as with Docker.
 */
public final class DockerIgnore {

    /** One line of the file: the cleaned pattern, whether it re-includes ({@code !}), and its line number. */
    public record Rule(String pattern, boolean exception, int line, Pattern regex) {}

    private static final DockerIgnore NONE = new DockerIgnore(List.of());

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Nothing ignored. */
    public static DockerIgnore none() {
        return NONE;
    }

    /**
     * Parses the content of a {@code .dockerignore}; {@code file} names it in errors.
     *
     * @throws EngineException.InvalidArgument naming the file and line of a malformed pattern
     */
    public static DockerIgnore parse(String content, String file) {
        List<Rule> rules = new ArrayList<>();
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.startsWith("#")) {
                continue;
            }
            String p = line.strip();
            if (p.isEmpty()) {
                continue;
            }
            boolean exception = p.charAt(0) == '!';
            if (exception) {
                p = p.substring(1).strip();
                if (p.isEmpty()) {
                    throw new EngineException.InvalidArgument(file + ":" + (i + 1) + ": illegal exclusion pattern \"!\": "
                            + "a ! must be followed by a pattern");
                }
            }
            p = clean(p);
            if (p.length() > 1 && p.charAt(0) == '/') {
                p = p.substring(1);
            }
            try {
                rules.add(new Rule(p, exception, i + 1, Pattern.compile(regex(p))));
            } catch (IllegalArgumentException e) {
                throw new EngineException.InvalidArgument(file + ":" + (i + 1) + ": invalid pattern \"" + p + "\": " + e.getMessage());
            }
        }
        return new DockerIgnore(rules);
    }

    /** The rules in file order. */
    public List<Rule> rules() {
        return rules;
    }

    /** Whether some rule re-includes ({@code !}): then an excluded directory may still hold included files. */
    public boolean hasExceptions() {
        return rules.stream().anyMatch(Rule::exception);
    }

    /**
     * Whether {@code path} (relative to the context root, {@code /}-separated, no leading {@code /}) is
     * excluded: the last rule matching it, or one of its parent directories, is not an exception.
     */
    public boolean excludes(String path) {
        String p = clean(path);
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        String[] parents = p.split("/");
        boolean excluded = false;
        for (Rule r : rules) {
            boolean match = r.regex.matcher(p).matches();
            if (!match && parents.length > 1) {
                StringBuilder prefix = new StringBuilder();
                for (int k = 0; k < parents.length - 1 && !match; k++) {
                    if (k > 0) {
                        prefix.append('/');
                    }
                    prefix.append(parents[k]);
                    match = r.regex.matcher(prefix).matches();
                }
            }
            if (match) {
                excluded = !r.exception;
            }
        }
        return excluded;
    }

    /** Lexical cleaning as Go's {@code path.Clean}. */
    static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.getLast().equals("..")) {
                    out.removeLast();
                } else if (!rooted) {
                    out.add("..");
                }
                continue;
            }
            out.add(part);
        }
        String joined = String.join("/", out);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /** The pattern as an anchored regular expression over {@code /}-separated paths. */
    static String regex(String pattern) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i++);
            switch (c) {
                case '*' -> {
                    if (i < n && pattern.charAt(i) == '*') {
                        i++;
                        if (i < n && pattern.charAt(i) == '/') {
                            i++;
                        }
                        re.append(i >= n ? ".*" : "(?:.*/)?");
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '\\' -> {
                    if (i >= n) {
                        throw new IllegalArgumentException("a backslash at the end escapes nothing");
                    }
                    re.append(Pattern.quote(String.valueOf(pattern.charAt(i++))));
                }
                case '[' -> i = charClass(pattern, i, re);
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    /** Copies the class after {@code [} (at {@code i}) as a Java class; returns the index after {@code ]}. */
    private static int charClass(String p, int i, StringBuilder re) {
        StringBuilder cls = new StringBuilder("[");
        if (i < p.length() && (p.charAt(i) == '^' || p.charAt(i) == '!')) {
            cls.append('^');
            i++;
        }
        int items = 0;
        while (i < p.length()) {
            char c = p.charAt(i++);
            if (c == ']' && items > 0) {
                re.append(cls).append(']');
                return i;
            }
            if (c == '\\') {
                if (i >= p.length()) {
                    break;
                }
                literal(cls, p.charAt(i++));
            } else if (c == '-' && items > 0 && i < p.length() && p.charAt(i) != ']') {
                cls.append('-');
            } else {
                literal(cls, c);
            }
            items++;
        }
        throw new IllegalArgumentException("unterminated character class [");
    }

    private static void literal(StringBuilder cls, char c) {
        if (Character.isLetterOrDigit(c)) {
            cls.append(c);
        } else {
            cls.append('\\').append(c);
        }
    }
}
