package dev.berth.engine.api.build;

import dev.berth.engine.build.BuildProgress;
import dev.berth.engine.build.BuildResult;
import dev.berth.engine.build.BuildStep;
import dev.berth.engine.image.Reference;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the builder's reports into the lines Docker's classic builder streams: {@code Step n/N : text},
 * {@code  ---> Running in <container>} when a RUN's container is made, a step's output,
 * {@code Removing intermediate container <container>} when it goes, {@code  ---> Using cache} and {@code  ---> <short id>} when a step ends, then the
 * image id ({@code aux}), {@code Successfully built} and one {@code Successfully tagged} per tag. Quiet
 * ({@code q=1}) keeps only the image id: {@code aux} and the full id as text, which {@code docker build -q}
 * prints.
 */
final class ClassicOutput {

    /** Docker wraps what a RUN writes to stderr in these (bright red, then reset), one write at a time. */
    static final String STDERR_START = "\u001b[91m";
    static final String STDERR_END = "\u001b[0m";

    private final boolean quiet;
    /** The {@code  ---> <id>} of the step that ended last, held back until it is known not to be followed by triggers. */
    private BuildMessage pendingId;
    private int pendingStep;
    /** The FROM step whose image's ONBUILD triggers are running (-1: none). */
    private int triggersOf = -1;

    ClassicOutput(boolean quiet) {
        this.quiet = quiet;
    }

    /**
     * The stream lines for one report. A step's {@code  ---> <id>} is sent with the next report, because Docker
     * shows a FROM whose image has ONBUILD triggers as one step (observed against dockerd 20.10): {@code Step 1/2 :
     * FROM parent}, {@code # Executing 3 build triggers}, the triggers' own output with no Step lines, and then the
     * one {@code  ---> <id>} of the image after the last trigger. The builder reports each trigger as a step of
     * the FROM's number; those Step lines and ids in between are left out here.
     */
    List<BuildMessage> translate(BuildProgress p) {
        if (quiet) {
            return List.of();
        }
        List<BuildMessage> out = new ArrayList<>(3);
        int n = number(p);
        boolean executing = pendingId != null && n == pendingStep && p instanceof BuildProgress.Output o && !o.stderr()
                && o.line().startsWith("# Executing ");
        if (executing) {
            triggersOf = n;
        }
        boolean triggerStarts = p instanceof BuildProgress.StepStarted && n == triggersOf;
        if (p instanceof BuildProgress.StepStarted && n != triggersOf) {
            triggersOf = -1;
        }
        if (pendingId != null) {
            if (!executing && !triggerStarts) {
                out.add(pendingId);
            }
            pendingId = null;
        }
        if (triggerStarts) {
            return out;
        }
        out.addAll(lines(p));
        return out;
    }

    private static int number(BuildProgress p) {
        return switch (p) {
            case BuildProgress.StepStarted s -> s.number();
            case BuildProgress.Output o -> o.number();
            case BuildProgress.ContainerCreated c -> c.number();
            case BuildProgress.ContainerRemoved c -> c.number();
            case BuildProgress.StepDone d -> d.step().number();
            case BuildProgress.Warning w -> -1;
        };
    }

    private List<BuildMessage> lines(BuildProgress p) {
        return switch (p) {
            case BuildProgress.StepStarted s -> List.of(BuildMessage.stream("Step " + s.number() + "/" + s.total()
                    + " : " + s.text() + "\n"));
            case BuildProgress.Output o -> List.of(BuildMessage.stream(o.stderr()
                    ? STDERR_START + o.line() + "\n" + STDERR_END : o.line() + "\n"));
            case BuildProgress.ContainerCreated c -> List.of(BuildMessage.stream(" ---> Running in " + shortId(c.containerId())
                    + "\n"));
            case BuildProgress.ContainerRemoved c -> List.of(BuildMessage.stream("Removing intermediate container "
                    + shortId(c.containerId()) + "\n"));
            case BuildProgress.StepDone d -> done(d.step());
            case BuildProgress.Warning w -> List.of(BuildMessage.stream(w.message() + "\n"));
        };
    }

    /** Docker's {@code stringid.TruncateID}: the first 12 characters of the hex id. */
    private static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring("sha256:".length()) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    private List<BuildMessage> done(BuildStep step) {
        List<BuildMessage> out = new ArrayList<>(1);
        if (step.cached()) {
            out.add(BuildMessage.stream(" ---> Using cache\n"));
        }
        if (step.imageId() != null) {
            pendingId = BuildMessage.stream(" ---> " + step.imageId().shortId() + "\n");
            pendingStep = step.number();
        } else if (BuildStep.BASE_IMAGE.equals(step.reason())) {
            // FROM scratch: Docker prints the arrow with no id (observed against dockerd 20.10)
            pendingId = BuildMessage.stream(" ---> \n");
            pendingStep = step.number();
        }
        return out;
    }

    List<BuildMessage> finished(BuildResult result) {
        String id = result.imageId().toString();
        if (quiet) {
            return List.of(BuildMessage.imageId(id), BuildMessage.stream(id + "\n"));
        }
        List<BuildMessage> out = new ArrayList<>();
        if (pendingId != null) {
            out.add(pendingId);
            pendingId = null;
        }
        out.add(BuildMessage.imageId(id));
        out.add(BuildMessage.stream("Successfully built " + result.imageId().shortId() + "\n"));
        for (Reference tag : result.tags()) {
            out.add(BuildMessage.stream("Successfully tagged " + tag.familiar() + "\n"));
        }
        return out;
    }
}
