package dev.berth.engine.build;

/**
 * What a build reports while it runs, in order: for each step a {@link StepStarted}, the step's
 * {@link Output} lines (a RUN's stdout and stderr, a pull's status), then {@link StepDone}; a RUN step also
 * reports its container: {@link ContainerCreated} before its output, {@link ContainerRemoved} when it goes
 * (before {@link StepDone} when the step succeeded); and
 * {@link Warning}s (build args no ARG used). The API turns these into the classic builder's
 * {@code Step n/N : ...} stream, the app into its timeline.
 */
public sealed interface BuildProgress {

    /** Step {@code number} of {@code total} starts: {@code text} is the instruction as written. */
    record StepStarted(int number, int total, String text) implements BuildProgress {}

    /** One line of output of the running step (without its line end). */
    record Output(int number, String line, boolean stderr) implements BuildProgress {}

    /** The step's container was created ({@code containerId} is its full id); it is started next. */
    record ContainerCreated(int number, String containerId) implements BuildProgress {}

    /** The step's container was removed ({@code --rm} after a success, {@code --force-rm}, or a cancel). */
    record ContainerRemoved(int number, String containerId) implements BuildProgress {}

    /** The step finished: its record (cached or not, why, its image). */
    record StepDone(BuildStep step) implements BuildProgress {}

    /** Something the user should know that does not fail the build. */
    record Warning(String message) implements BuildProgress {}
}
