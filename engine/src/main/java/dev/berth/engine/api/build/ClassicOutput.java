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

    private final boolean quiet;

    ClassicOutput(boolean quiet) {
        this.quiet = quiet;
    }

    List<BuildMessage> translate(BuildProgress p) {
        if (quiet) {
            return List.of();
        }
        return switch (p) {
            case BuildProgress.StepStarted s -> List.of(BuildMessage.stream("Step " + s.number() + "/" + s.total()
                    + " : " + s.text() + "\n"));
            case BuildProgress.Output o -> List.of(BuildMessage.stream(o.line() + "\n"));
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

    private static List<BuildMessage> done(BuildStep step) {
        List<BuildMessage> out = new ArrayList<>(2);
        if (step.cached()) {
            out.add(BuildMessage.stream(" ---> Using cache\n"));
        }
        if (step.imageId() != null) {
            out.add(BuildMessage.stream(" ---> " + step.imageId().shortId() + "\n"));
        }
        return out;
    }

    List<BuildMessage> finished(BuildResult result) {
        String id = result.imageId().toString();
        if (quiet) {
            return List.of(BuildMessage.imageId(id), BuildMessage.stream(id + "\n"));
        }
        List<BuildMessage> out = new ArrayList<>();
        out.add(BuildMessage.imageId(id));
        out.add(BuildMessage.stream("Successfully built " + result.imageId().shortId() + "\n"));
        for (Reference tag : result.tags()) {
            out.add(BuildMessage.stream("Successfully tagged " + tag.familiar() + "\n"));
        }
        return out;
    }
}
