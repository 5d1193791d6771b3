package dev.berth.app.images;

import dev.berth.app.i18n.Text;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** How the Images pane writes sizes, ages and ids: Docker's decimal units and "3 days ago". */
public final class Formats {

    private Formats() {}

    /** Bytes in Docker's units (decimal, as {@code docker images} shows them): 4.26MB is 4 260 000 bytes. */
    public static String size(long bytes) {
        if (bytes < 0) {
            return "";
        }
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        if (u == 0) {
            return bytes + " B";
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, units[u]);
    }

    /** How long ago {@code then} was, as a bundle text ({@code time.ago.*}); {@code time.unknown} for null. */
    public static Text ago(Instant then, Instant now) {
        if (then == null) {
            return Text.of("time.unknown");
        }
        Duration d = Duration.between(then, now);
        if (d.isNegative() || d.toSeconds() < 60) {
            return Text.of("time.ago.justNow");
        }
        long minutes = d.toMinutes();
        if (minutes < 60) {
            return minutes == 1 ? Text.of("time.ago.minute") : Text.of("time.ago.minutes", minutes);
        }
        long hours = d.toHours();
        if (hours < 48) {
            return hours == 1 ? Text.of("time.ago.hour") : Text.of("time.ago.hours", hours);
        }
        long days = d.toDays();
        if (days < 14) {
            return Text.of("time.ago.days", days);
        }
        if (days < 60) {
            return Text.of("time.ago.weeks", days / 7);
        }
        if (days < 730) {
            return days / 30 == 1 ? Text.of("time.ago.month") : Text.of("time.ago.months", days / 30);
        }
        return days / 365 == 1 ? Text.of("time.ago.year") : Text.of("time.ago.years", days / 365);
    }

    /** A digest or id shortened to 12 hex characters, as Docker shows layer and image ids. */
    public static String shortDigest(String id) {
        if (id == null) {
            return "";
        }
        int colon = id.indexOf(':');
        String hex = colon >= 0 ? id.substring(colon + 1) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
