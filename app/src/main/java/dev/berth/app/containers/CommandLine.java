package dev.berth.app.containers;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command typed in one line into arguments the way a POSIX shell does for words:
 * blanks separate, single quotes keep everything, double quotes keep everything but {@code \"}
 * and {@code \\}, a backslash outside quotes keeps the next character.
 */
public final class CommandLine {

    private CommandLine() {}

    /**
     * @throws InvalidInput when a quote is not closed or the line ends in a lone backslash
     */
    public static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        if (line == null) {
            return out;
        }
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote == '\'') {
                if (ch == '\'') {
                    quote = 0;
                } else {
                    word.append(ch);
                }
            } else if (quote == '"') {
                if (ch == '"') {
                    quote = 0;
                } else if (ch == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                inWord = true;
            } else if (ch == '\\') {
                if (i + 1 >= line.length()) {
                    throw new InvalidInput("run.validation.command.backslash");
                }
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(ch);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new InvalidInput("run.validation.command.quote", String.valueOf(quote));
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }
}
