package dev.berth.engine.api.containers;

import dev.berth.engine.container.ContainerState;

import java.time.Duration;
import java.time.Instant;

/** Docker's human strings for {@code docker ps}: "Up 3 seconds", "Exited (0) 2 minutes ago". */
public final class HumanStatus {

    private HumanStatus() {}

    /** The STATUS column of {@code docker ps} for {@code s} at {@code now}. */
    public static String of(ContainerState s, Instant now) {
        return switch (s.status()) {
            case RUNNING -> "Up " + duration(since(s.startedAt(), now));
            case PAUSED -> "Up " + duration(since(s.startedAt(), now)) + " (Paused)";
            case RESTARTING -> "Restarting (" + s.exitCode() + ") " + duration(since(s.finishedAt(), now)) + " ago";
            case CREATED -> "Created";
            case REMOVING -> "Removal In Progress";
            case DEAD -> "Dead";
            case EXITED -> s.finishedAt() == null ? "Exited (" + s.exitCode() + ")"
                    : "Exited (" + s.exitCode() + ") " + duration(since(s.finishedAt(), now)) + " ago";
        };
    }

    private static Duration since(Instant t, Instant now) {
        return t == null ? Duration.ZERO : Duration.between(t, now);
    }

    /** Docker's (go-units) HumanDuration. */
    public static String duration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 1) {
            return "Less than a second";
        }
        if (seconds == 1) {
            return "1 second";
        }
        if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = d.toMinutes();
        if (minutes == 1) {
            return "About a minute";
        }
        if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(d.toMillis() / 3_600_000.0);
        if (hours == 1) {
            return "About an hour";
        }
        if (hours < 48) {
            return hours + " hours";
        }
        if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        }
        if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return d.toHours() / 24 / 365 + " years";
    }
}
