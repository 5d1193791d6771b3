package dev.berth.app.builds;

import dev.berth.engine.build.dockerfile.Dockerfile;
import dev.berth.engine.build.dockerfile.DockerfileError;
import dev.berth.engine.build.dockerfile.DockerfileParser;
import dev.berth.engine.build.dockerfile.Instruction;
import dev.berth.engine.build.dockerfile.Stage;
import dev.berth.engine.errors.EngineException;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each build step is in the Dockerfile, read on the client with the engine's own parser: step
 * {@code n} is the n-th instruction as the classic builder counts them (the ARGs before the first FROM,
 * then each stage up to the target, its FROM and its instructions). For a Dockerfile the parser refuses,
 * the line and the problem it names instead.
 *
 * @param stepLines   the line of step n at index n - 1 (empty when the file did not parse)
 * @param errorLine   the line of the parse error, 0 when it parsed
 * @param errorReason the parse error in the parser's words, "" when it parsed
 */
record DockerfileMap(List<Integer> stepLines, int errorLine, String errorReason) {

    static final DockerfileMap NONE = new DockerfileMap(List.of(), 0, "");

    DockerfileMap {
        stepLines = List.copyOf(stepLines);
    }

    /** Parses {@code text} (named {@code file} in errors) for a build of {@code target} ("" for the last stage). */
    static DockerfileMap of(String text, String file, String target) {
        Dockerfile df;
        try {
            df = DockerfileParser.parse(text, file);
        } catch (EngineException e) {
            return DockerfileError.of(e)
                    .map(err -> new DockerfileMap(List.of(), err.position().line(), err.problem()))
                    .orElse(NONE);
        }
        Stage last;
        try {
            last = df.target(target);
        } catch (EngineException.InvalidArgument e) {
            last = df.stages().getLast(); // the engine names the unknown target; the steps it would number are these
        }
        List<Integer> lines = new ArrayList<>();
        for (Instruction.Arg a : df.globalArgs()) {
            lines.add(a.position().line());
        }
        for (Stage s : df.stages().subList(0, last.index() + 1)) {
            lines.add(s.from().position().line());
            for (Instruction i : s.instructions()) {
                lines.add(i.position().line());
            }
        }
        return new DockerfileMap(lines, 0, "");
    }

    /** The line of step {@code number} (1-based), 0 when unknown. */
    int lineOf(int number) {
        return number >= 1 && number <= stepLines.size() ? stepLines.get(number - 1) : 0;
    }
}
