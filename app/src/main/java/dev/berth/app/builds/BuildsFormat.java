package dev.berth.app.builds;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Figures the Builds pane shows, in forms that read the same in every language: {@code 0.42s}, {@code 1m05s}, {@code 14:03:27}. */
final class BuildsFormat {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private BuildsFormat() {}

    /** A duration as Docker's tools print one: seconds with two decimals under ten, whole minutes and seconds above a minute. */
    static String duration(Duration d) {
        if (d == null) {
            return "";
        }
        long millis = Math.max(0, d.toMillis());
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.2fs", millis / 1000.0);
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }

    /** The local time of day of {@code t}. */
    static String clock(Instant t, ZoneId zone) {
        return t == null ? "" : CLOCK.format(t.atZone(zone));
    }
}
