package dev.berth.app.builds;

import java.util.List;
import java.util.Map;

/**
 * A finished build as the history file keeps it: the request, how it ended, when it started and how
 * long it took, the image and its tags, the steps, the error (a bundle key and its arguments) and the
 * failing line, the Dockerfile's text and the last {@link #MAX_LOG_LINES} lines of its log.
 */
public record SavedBuild(Request request, String status, long startedMillis, long durationMillis, String imageId,
                         List<String> tagged, List<Step> steps, String errorKey, List<String> errorArgs,
                         int failingLine, String dockerfile, List<Line> log) {

    /** How many log lines are kept (the last ones). */
    public static final int MAX_LOG_LINES = 2_000;

    /** {@link BuildRequest} in plain values. */
    public record Request(String context, String dockerfile, List<String> tags, Map<String, String> buildArgs,
                          String target, boolean noCache, boolean pull) {}

    /** {@link BuildStepRow} in plain values. */
    public record Step(int number, int total, String instruction, int line, boolean cached, long startedMillis,
                       long durationMillis, boolean failed, String imageId) {}

    /** {@link BuildLogLine} in plain values. */
    public record Line(int step, String kind, String text) {}

    /** This build with missing lists made empty; throws IllegalArgumentException naming what is wrong. */
    SavedBuild validated() {
        if (request == null || request.context() == null || request.context().isBlank()) {
            throw new IllegalArgumentException("no build context");
        }
        BuildStatus s;
        try {
            s = BuildStatus.valueOf(String.valueOf(status));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown status \"" + status + "\"");
        }
        if (!s.finished()) {
            throw new IllegalArgumentException("a build still running cannot be in the history");
        }
        for (Line l : log == null ? List.<Line>of() : log) {
            if (l == null) {
                throw new IllegalArgumentException("an empty log line");
            }
            try {
                BuildLogLine.Kind.valueOf(String.valueOf(l.kind()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown log line kind \"" + l.kind() + "\"");
            }
        }
        if (steps != null && steps.contains(null)) {
            throw new IllegalArgumentException("an empty step");
        }
        return new SavedBuild(request, status, startedMillis, Math.max(0, durationMillis),
                imageId == null ? "" : imageId, tagged == null ? List.of() : tagged, steps == null ? List.of() : steps,
                errorKey, errorArgs == null ? List.of() : errorArgs, failingLine, dockerfile == null ? "" : dockerfile,
                log == null ? List.of() : log);
    }
}
