package dev.berth.app.builds;

/**
 * What the engine's {@code POST /build} stream says, line by line, as typed events: the classic
 * builder's text ({@code Step n/N : ...}, {@code  ---> Using cache}, {@code  ---> <id>},
 * {@code Successfully tagged ...}), its {@code aux} image id and its {@code error}.
 */
public sealed interface BuildEvent {

    /** {@code Step number/total : instruction}. */
    record StepStarted(int number, int total, String instruction) implements BuildEvent {}

    /** A line the running step's command printed. */
    record Output(String line, boolean stderr) implements BuildEvent {}

    /** {@code  ---> Using cache}: the running step was a cache hit. */
    record UsingCache() implements BuildEvent {}

    /** {@code  ---> <short id>}: the image the running step produced. */
    record StepImage(String shortId) implements BuildEvent {}

    /** The builder's own words that belong to no step's command ({@code Successfully built}, warnings). */
    record Note(String line) implements BuildEvent {}

    /** The built image's id ({@code sha256:...}), from the stream's {@code aux}. */
    record Built(String imageId) implements BuildEvent {}

    /** {@code Successfully tagged <tag>}. */
    record Tagged(String tag) implements BuildEvent {}

    /** The stream's last line for a failed build: the message and a failed RUN's exit code (null for others). */
    record Failed(String message, Integer exitCode) implements BuildEvent {}
}
