package dev.berth.engine.build.dockerfile;

import java.util.List;

/**
 * One build stage: its FROM and the instructions after it, up to the next FROM. {@code index} counts
 * from 0; {@code name} is the lower-case {@code AS} name, or null.
 */
public record Stage(int index, String name, Instruction.From from, List<Instruction> instructions) {

    public Stage {
        instructions = List.copyOf(instructions);
    }

    /** Whether {@code nameOrIndex} (a stage name in any case, or the stage's number) names this stage. */
    public boolean isNamed(String nameOrIndex) {
        return (name != null && name.equalsIgnoreCase(nameOrIndex)) || Integer.toString(index).equals(nameOrIndex);
    }
}
