package dev.berth.app.builds;

import java.time.Duration;
import java.time.Instant;

/**
 * One step of a build as the classic builder reports it ({@code Step n/N : INSTRUCTION}): its
 * number and the count, the instruction text, its line in the Dockerfile (0 when unknown), whether
 * it was a cache hit, when it started, how long it took ({@code null} while it runs), whether it
 * failed, and the short id of the image it produced (empty until known).
 */
public record BuildStepRow(int number, int total, String instruction, int line, boolean cached, Instant started,
                           Duration duration, boolean failed, String imageId) {

    public BuildStepRow {
        instruction = instruction == null ? "" : instruction;
        imageId = imageId == null ? "" : imageId;
    }

    /** True until the next step starts or the build ends. */
    public boolean running() {
        return duration == null;
    }

    BuildStepRow withCached() {
        return new BuildStepRow(number, total, instruction, line, true, started, duration, failed, imageId);
    }

    BuildStepRow withImageId(String id) {
        return new BuildStepRow(number, total, instruction, line, cached, started, duration, failed, id);
    }

    BuildStepRow finishedAt(Instant end, boolean failedStep) {
        Duration d = Duration.between(started, end);
        return new BuildStepRow(number, total, instruction, line, cached, started, d.isNegative() ? Duration.ZERO : d,
                failedStep, imageId);
    }
}
