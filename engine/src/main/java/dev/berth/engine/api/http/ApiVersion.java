package dev.berth.engine.api.http;

import dev.berth.engine.errors.EngineException;

/**
 * A Docker Engine API version such as {@code 1.47}. Requests may name one in their path
 * ({@code /v1.47/info}); unversioned paths get {@link #CURRENT}.
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {

    /** The newest API version this server speaks (Docker Engine 27.x). */
    public static final ApiVersion CURRENT = new ApiVersion(1, 47);
    /** The oldest API version this server accepts (Docker Engine 1.12). */
    public static final ApiVersion MINIMUM = new ApiVersion(1, 24);

    /**
     * Parses {@code "1.47"}.
     *
     * @throws EngineException.InvalidArgument when it is not two dot-separated numbers
     */
    public static ApiVersion parse(String text) {
        int dot = text.indexOf('.');
        try {
            if (dot > 0 && dot == text.lastIndexOf('.')) {
                return new ApiVersion(Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new EngineException.InvalidArgument("invalid API version " + text + ": expected a version such as "
                + CURRENT);
    }

    /**
     * Checks a version a client asked for against what this server speaks, with Docker's
     * wording for the two failures.
     *
     * @throws EngineException.InvalidArgument when the version is outside [{@link #MINIMUM}, {@link #CURRENT}]
     */
    public static ApiVersion negotiate(String requested) {
        ApiVersion v = parse(requested);
        if (v.compareTo(MINIMUM) < 0) {
            throw new EngineException.InvalidArgument("client version " + requested + " is too old. Minimum supported API version is "
                    + MINIMUM + ", please upgrade your client to a newer version");
        }
        if (v.compareTo(CURRENT) > 0) {
            throw new EngineException.InvalidArgument("client version " + requested + " is too new. Maximum supported API version is "
                    + CURRENT);
        }
        return v;
    }

    public boolean isAtLeast(ApiVersion other) {
        return compareTo(other) >= 0;
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
