package dev.berth.engine.image;

import dev.berth.engine.errors.EngineException;

import java.util.regex.Pattern;

/**
 * Shell-style patterns as Docker's {@code reference=} filter takes them (Go's {@code path.Match}):
 * {@code *} is any run of characters but {@code /}, {@code ?} one such character, {@code [...]} a
 * class ({@code [!...]} or {@code [^...]} negated), {@code \} escapes.
 */
final class ImageGlob {

    private final Pattern regex;

    private ImageGlob(Pattern regex) {
        this.regex = regex;
    }

    static ImageGlob compile(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '\\' -> {
                    if (++i >= glob.length()) {
                        throw bad(glob);
                    }
                    re.append(Pattern.quote(String.valueOf(glob.charAt(i))));
                }
                case '[' -> {
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) {
                        throw bad(glob);
                    }
                    String body = glob.substring(i + 1, end);
                    boolean negate = body.startsWith("!") || body.startsWith("^");
                    if (negate) {
                        body = body.substring(1);
                    }
                    re.append('[').append(negate ? "^/" : "").append(body.replace("\\", "\\\\").replace("[", "\\[")
                            .replace("&&", "\\&\\&")).append(']');
                    i = end;
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            return new ImageGlob(Pattern.compile(re.toString()));
        } catch (java.util.regex.PatternSyntaxException e) {
            throw bad(glob);
        }
    }

    private static EngineException.InvalidArgument bad(String glob) {
        return new EngineException.InvalidArgument("invalid reference filter pattern \"" + glob + "\"");
    }

    boolean matches(String s) {
        return regex.matcher(s).matches();
    }
}
