package dev.berth.app.containers.details;

import java.util.ArrayList;
import java.util.List;

/**
 * Text with ANSI escape sequences turned into styled spans. Renders the SGR subset log output
 * uses ({@code ESC[...m}: reset, bold, underline, the 8 standard and 8 bright foreground and
 * background colours, 256-colour indexes, default colours); every other escape sequence (cursor
 * movement, OSC titles) is dropped, never shown as garbage.
 */
public final class AnsiText {

    /** A colour index: -1 for the default, 0 to 15 for the ANSI palette, 16 to 255 for the 256-colour cube. */
    public record Style(int fg, int bg, boolean bold, boolean underline) {
        public static final Style PLAIN = new Style(-1, -1, false, false);
    }

    public record Span(String text, Style style) {}

    private AnsiText() {}

    /** The spans of {@code s}, adjacent text of one style merged; plain text is one span. */
    public static List<Span> parse(String s) {
        List<Span> out = new ArrayList<>();
        if (s.indexOf('\u001b') < 0) {
            out.add(new Span(s, Style.PLAIN));
            return out;
        }
        Style style = Style.PLAIN;
        StringBuilder text = new StringBuilder();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c != '\u001b') {
                text.append(c);
                i++;
                continue;
            }
            if (i + 1 < n && s.charAt(i + 1) == '[') {
                int j = i + 2;
                while (j < n && (s.charAt(j) < '@' || s.charAt(j) > '~')) {
                    j++;
                }
                if (j >= n) {
                    break; // unterminated: drop the rest of the sequence
                }
                if (s.charAt(j) == 'm') {
                    Style next = apply(style, s.substring(i + 2, j));
                    if (!next.equals(style) && !text.isEmpty()) {
                        out.add(new Span(text.toString(), style));
                        text.setLength(0);
                    }
                    style = next;
                }
                i = j + 1;
            } else if (i + 1 < n && s.charAt(i + 1) == ']') {
                int j = i + 2; // OSC: up to BEL or ESC \
                while (j < n && s.charAt(j) != '\u0007' && !(s.charAt(j) == '\u001b' && j + 1 < n && s.charAt(j + 1) == '\\')) {
                    j++;
                }
                i = j >= n ? n : s.charAt(j) == '\u0007' ? j + 1 : j + 2;
            } else if (i + 1 < n && "()*+".indexOf(s.charAt(i + 1)) >= 0) {
                i += Math.min(3, n - i); // a character set designation: ESC ( B
            } else {
                i += Math.min(2, n - i); // a two-character escape
            }
        }
        if (!text.isEmpty()) {
            out.add(new Span(text.toString(), style));
        }
        return out;
    }

    /** {@code s} without any escape sequence. */
    public static String strip(String s) {
        if (s.indexOf('\u001b') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (Span span : parse(s)) {
            b.append(span.text());
        }
        return b.toString();
    }

    static Style apply(Style style, String params) {
        String[] p = params.isEmpty() ? new String[] {"0"} : params.split(";", -1);
        int fg = style.fg();
        int bg = style.bg();
        boolean bold = style.bold();
        boolean underline = style.underline();
        for (int k = 0; k < p.length; k++) {
            int code;
            try {
                code = p[k].isEmpty() ? 0 : Integer.parseInt(p[k]);
            } catch (NumberFormatException e) {
                continue;
            }
            switch (code) {
                case 0 -> {
                    fg = -1;
                    bg = -1;
                    bold = false;
                    underline = false;
                }
                case 1 -> bold = true;
                case 4 -> underline = true;
                case 22 -> bold = false;
                case 24 -> underline = false;
                case 39 -> fg = -1;
                case 49 -> bg = -1;
                case 38, 48 -> {
                    if (k + 2 < p.length && p[k + 1].equals("5")) {
                        int idx = parseOr(p[k + 2], -1);
                        if (code == 38) {
                            fg = idx;
                        } else {
                            bg = idx;
                        }
                        k += 2;
                    } else if (k + 4 < p.length && p[k + 1].equals("2")) {
                        k += 4; // true colour: not in the subset, skipped whole
                    }
                }
                default -> {
                    if (code >= 30 && code <= 37) {
                        fg = code - 30;
                    } else if (code >= 40 && code <= 47) {
                        bg = code - 40;
                    } else if (code >= 90 && code <= 97) {
                        fg = code - 90 + 8;
                    } else if (code >= 100 && code <= 107) {
                        bg = code - 100 + 8;
                    }
                }
            }
        }
        return new Style(fg, bg, bold, underline);
    }

    private static int parseOr(String s, int fallback) {
        try {
            int v = Integer.parseInt(s);
            return v >= 0 && v <= 255 ? v : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
