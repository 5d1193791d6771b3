package dev.berth.app.containers;

import java.util.Locale;

/** A container's state in Docker's words, as {@code /containers/json} reports it ({@code State}). */
public enum ContainerState {
    CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD, UNKNOWN;

    /** Docker's lower-case name ({@code running}); anything else is {@link #UNKNOWN}. */
    public static ContainerState parse(String s) {
        if (s == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** Docker's word for it. */
    public String dockerName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether its processes exist: running, paused or restarting (stop and kill apply). */
    public boolean alive() {
        return this == RUNNING || this == PAUSED || this == RESTARTING;
    }
}
