package dev.berth.engine.container;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Docker's container states, in Docker's words ({@link #dockerName()}). */
public enum ContainerStatus {
    CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD;

    @JsonValue
    public String dockerName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ContainerStatus parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new dev.berth.engine.errors.EngineException.InvalidArgument("invalid container status '" + s
                    + "': created, restarting, running, removing, paused, exited or dead");
        }
    }

    /** Running in Docker's sense: a process exists (running or paused or about to restart). */
    public boolean isActive() {
        return this == RUNNING || this == PAUSED;
    }
}
