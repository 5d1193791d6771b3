package dev.berth.app.containers.details;

/**
 * One line of a container's log.
 *
 * @param stream    where it came from
 * @param timestamp the engine's RFC 3339 timestamp, null when the line carried none
 * @param text      the line as the container wrote it (ANSI sequences kept, no newline)
 * @param plain     {@code text} without escape sequences, for search and saving
 */
public record LogLine(Stream stream, String timestamp, String text, String plain) {

    public enum Stream { STDOUT, STDERR }

    public static LogLine of(Stream stream, String timestamp, String text) {
        return new LogLine(stream, timestamp, text, AnsiText.strip(text));
    }
}
