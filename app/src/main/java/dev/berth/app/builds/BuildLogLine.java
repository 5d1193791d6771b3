package dev.berth.app.builds;

/**
 * One line of a build's log: the step it belongs to (0 before the first step) and its text, with
 * its kind so the log can set steps, cache hits and errors apart from the commands' own output.
 */
public record BuildLogLine(int step, Kind kind, String text) {

    public enum Kind {
        /** {@code Step n/N : ...}. */
        STEP,
        /** What the step's command printed on its standard output. */
        OUTPUT,
        /** What the step's command printed on its standard error (the classic builder colours it red). */
        STDERR,
        /** The builder's own words: {@code ---> Using cache}, {@code ---> 1a2b3c}, {@code Successfully built}. */
        BUILDER,
        /** Why the build failed. */
        ERROR
    }

    public BuildLogLine {
        text = text == null ? "" : text;
    }
}
