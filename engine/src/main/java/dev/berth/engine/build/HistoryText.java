package dev.berth.engine.build;

import dev.berth.engine.build.dockerfile.Instruction;
import dev.berth.engine.build.dockerfile.KeyValue;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a config-only step writes after {@code #(nop)} in the image's history ({@code docker history}'s CREATED BY),
 * as Docker's classic builder writes it (observed against dockerd 20.10): the instruction after expansion, not its
 * source text. CMD and ENTRYPOINT show the argv the image gets (the shell form wrapped in the stage's shell) as Go
 * prints a string list with {@code %q} ({@code ["/bin/sh" "-c" "echo hi"]}); ENV and LABEL show the expanded
 * {@code key=value} pairs unquoted; SHELL and VOLUME show their list as Go's {@code %v} ({@code [/bin/sh -c]});
 * USER and STOPSIGNAL their expanded value. The rest (EXPOSE, HEALTHCHECK, ONBUILD, MAINTAINER, ARG) keep the text
 * as written: Docker prints EXPOSE and HEALTHCHECK in forms that change between its versions.
 */
final class HistoryText {

    private HistoryText() {}

    /** The history text of the expanded config instruction {@code x}, run with {@code shell} as the stage's SHELL. */
    static String of(Instruction x, List<String> shell) {
        return switch (x) {
            case Instruction.Cmd c -> "CMD " + goQuoted(c.command().argv(shell));
            case Instruction.Entrypoint e -> "ENTRYPOINT " + goQuoted(e.command().argv(shell));
            case Instruction.Env e -> "ENV " + pairs(e.pairs());
            case Instruction.Label l -> "LABEL " + pairs(l.labels());
            case Instruction.Shell s -> "SHELL [" + String.join(" ", s.shell()) + "]";
            case Instruction.Volume v -> "VOLUME [" + String.join(" ", v.paths()) + "]";
            case Instruction.User u -> "USER " + u.user();
            case Instruction.StopSignal s -> "STOPSIGNAL " + s.signal();
            default -> x.text();
        };
    }

    private static String pairs(List<KeyValue> kvs) {
        return kvs.stream().map(kv -> kv.key() + "=" + kv.value()).collect(Collectors.joining(" "));
    }

    /** A string list as Go's {@code fmt} prints it with {@code %q}: {@code ["a" "b c"]}. */
    static String goQuoted(List<String> list) {
        return list.stream().map(HistoryText::goQuote).collect(Collectors.joining(" ", "[", "]"));
    }

    /** One string as Go's {@code strconv.Quote} writes it: backslash escapes for quotes, backslashes and controls. */
    static String goQuote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case 7 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case 11 -> b.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
