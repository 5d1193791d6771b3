package dev.berth.engine.build.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * The command of RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD: the exec (JSON) form, a list of
 * arguments run as they are, or the shell form, one string run by the stage's {@code SHELL}.
 */
public record CommandLine(List<String> args, boolean shellForm) {

    public CommandLine {
        args = List.copyOf(args);
        if (shellForm && args.size() != 1) {
            throw new IllegalArgumentException("a shell-form command is one string");
        }
    }

    /** A shell-form command. */
    public static CommandLine shell(String text) {
        return new CommandLine(List.of(text), true);
    }

    /** An exec-form command. */
    public static CommandLine exec(List<String> args) {
        return new CommandLine(args, false);
    }

    /** The argv to run: the exec form as is, the shell form after {@code shell} (e.g. {@code /bin/sh -c}). */
    public List<String> argv(List<String> shell) {
        if (!shellForm) {
            return args;
        }
        List<String> out = new ArrayList<>(shell);
        out.add(args.getFirst());
        return List.copyOf(out);
    }

    /** As Docker prints it in build steps and history: the JSON array or the shell text. */
    @Override
    public String toString() {
        return shellForm ? args.getFirst() : JsonArray.format(args);
    }
}
