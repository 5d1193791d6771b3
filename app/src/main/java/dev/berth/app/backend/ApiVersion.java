package dev.berth.app.backend;

import dev.berth.engine.errors.EngineException;

/** A Docker Engine API version such as {@code 1.47}, ordered numerically (1.9 &lt; 1.10). */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {

    public static ApiVersion parse(String s) {
        String v = s == null ? "" : s.strip();
        int dot = v.indexOf('.');
        try {
            if (dot > 0) {
                return new ApiVersion(Integer.parseInt(v.substring(0, dot)), Integer.parseInt(v.substring(dot + 1)));
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw new EngineException.InvalidArgument("'" + s + "' is not a Docker API version (expected e.g. 1.47)");
    }

    /** The lower of the two. */
    public ApiVersion min(ApiVersion other) {
        return compareTo(other) <= 0 ? this : other;
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
