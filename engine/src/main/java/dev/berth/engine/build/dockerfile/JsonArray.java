package dev.berth.engine.build.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * The exec form of a Dockerfile instruction: a JSON array of strings. A small hand-written reader,
 * so that an error can point at the exact column.
 */
final class JsonArray {

    /** Not a valid JSON array of strings; {@code index} is where the reader stopped. */
    static final class Problem extends Exception {
        final int index;

        Problem(int index, String message) {
            super(message, null, false, false);
            this.index = index;
        }
    }

    private JsonArray() {}

    /** Whether {@code s} (from {@code from}) starts like a JSON array: {@code [} then {@code "} or {@code ]}. */
    static boolean looksLikeJson(String s, int from) {
        int i = skipSpace(s, from);
        if (i >= s.length() || s.charAt(i) != '[') {
            return false;
        }
        i = skipSpace(s, i + 1);
        return i < s.length() && (s.charAt(i) == '"' || s.charAt(i) == ']');
    }

    /** Parses the array starting at {@code from}; only white space may follow it. */
    static List<String> parse(String s, int from) throws Problem {
        int i = skipSpace(s, from);
        if (i >= s.length() || s.charAt(i) != '[') {
            throw new Problem(i, "expected a JSON array");
        }
        List<String> out = new ArrayList<>();
        i = skipSpace(s, i + 1);
        if (i < s.length() && s.charAt(i) == ']') {
            i++;
        } else {
            while (true) {
                if (i >= s.length()) {
                    throw new Problem(i, "unterminated JSON array: expected a string and a closing ]");
                }
                if (s.charAt(i) != '"') {
                    throw new Problem(i, "expected a quoted string in the JSON array, found " + describe(s, i));
                }
                StringBuilder b = new StringBuilder();
                i = string(s, i, b);
                out.add(b.toString());
                i = skipSpace(s, i);
                if (i >= s.length()) {
                    throw new Problem(i, "unterminated JSON array: expected , or ]");
                }
                char c = s.charAt(i);
                if (c == ']') {
                    i++;
                    break;
                }
                if (c != ',') {
                    throw new Problem(i, "expected , or ] in the JSON array, found " + describe(s, i));
                }
                i = skipSpace(s, i + 1);
            }
        }
        i = skipSpace(s, i);
        if (i < s.length()) {
            throw new Problem(i, "unexpected text after the JSON array: " + describe(s, i));
        }
        return out;
    }

    private static int string(String s, int start, StringBuilder b) throws Problem {
        int i = start + 1;
        while (true) {
            if (i >= s.length()) {
                throw new Problem(start, "unterminated JSON string");
            }
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c < 0x20) {
                throw new Problem(i, "control character in a JSON string");
            }
            if (c != '\\') {
                b.append(c);
                i++;
                continue;
            }
            if (i + 1 >= s.length()) {
                throw new Problem(start, "unterminated JSON string");
            }
            char e = s.charAt(i + 1);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (i + 6 > s.length()) {
                        throw new Problem(i, "bad \\u escape in a JSON string");
                    }
                    try {
                        b.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                    } catch (NumberFormatException bad) {
                        throw new Problem(i, "bad \\u escape in a JSON string");
                    }
                    i += 4;
                }
                default -> throw new Problem(i, "bad escape \\" + e + " in a JSON string");
            }
            i += 2;
        }
    }

    private static String describe(String s, int i) {
        int end = Math.min(s.length(), i + 10);
        return "\"" + s.substring(i, end) + (end < s.length() ? "..." : "") + "\"";
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Formats as Docker prints exec forms: {@code ["a","b"]}. */
    static String format(List<String> args) {
        StringBuilder b = new StringBuilder("[");
        for (int k = 0; k < args.size(); k++) {
            if (k > 0) {
                b.append(',');
            }
            b.append('"');
            for (char c : args.get(k).toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            b.append('"');
        }
        return b.append(']').toString();
    }
}
