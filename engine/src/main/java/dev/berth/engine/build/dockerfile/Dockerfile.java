package dev.berth.engine.build.dockerfile;

import dev.berth.engine.errors.EngineException;

import java.util.List;
import java.util.Optional;

/**
 * A parsed Dockerfile: the escape character and {@code syntax} directive (null when absent), the
 * global ARGs (those before the first FROM, usable only in FROM lines), and the stages in order.
 */
public record Dockerfile(String file, char escape, String syntax, List<Instruction.Arg> globalArgs, List<Stage> stages) {

    public Dockerfile {
        globalArgs = List.copyOf(globalArgs);
        stages = List.copyOf(stages);
    }

    /** The stage with this name (any case) or index, if any. */
    public Optional<Stage> findStage(String nameOrIndex) {
        return stages.stream().filter(s -> s.isNamed(nameOrIndex)).findFirst();
    }

    /**
     * The stage before {@code current} that {@code nameOrIndex} names (a FROM's image or a COPY --from,
     * after expansion), or empty when it names an image instead: stages can only use earlier stages.
     */
    public Optional<Stage> earlierStage(Stage current, String nameOrIndex) {
        return stages.stream().limit(current.index()).filter(s -> s.isNamed(nameOrIndex)).findFirst();
    }

    /**
     * The stage {@code docker build --target} names; the last stage when {@code target} is null or empty.
     *
     * @throws EngineException.InvalidArgument naming the target when no stage has that name
     */
    public Stage target(String target) {
        if (target == null || target.isEmpty()) {
            return stages.getLast();
        }
        return findStage(target).orElseThrow(() -> new EngineException.InvalidArgument(
                "target stage \"" + target + "\" could not be found in " + file));
    }

    /** How many steps Docker's classic builder counts ({@code Step n/N}): global ARGs, then each FROM and instruction. */
    public int stepCount() {
        int n = globalArgs.size();
        for (Stage s : stages) {
            n += 1 + s.instructions().size();
        }
        return n;
    }
}
