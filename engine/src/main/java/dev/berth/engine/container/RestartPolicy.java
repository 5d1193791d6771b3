package dev.berth.engine.container;

import dev.berth.engine.errors.EngineException;

/**
 * Docker's restart policy: {@code no}, {@code always}, {@code unless-stopped} or
 * {@code on-failure[:N]} (N = 0 means no limit).
 */
public record RestartPolicy(String name, int maximumRetryCount) {

    public static final RestartPolicy NO = new RestartPolicy("no", 0);
    public static final RestartPolicy ALWAYS = new RestartPolicy("always", 0);
    public static final RestartPolicy UNLESS_STOPPED = new RestartPolicy("unless-stopped", 0);

    public RestartPolicy {
        name = name == null || name.isBlank() ? "no" : name.strip();
        switch (name) {
            case "no", "always", "unless-stopped" -> {
                if (maximumRetryCount != 0) {
                    throw new EngineException.InvalidArgument("maximum retry count cannot be used with restart policy '" + name + "'");
                }
            }
            case "on-failure" -> {
                if (maximumRetryCount < 0) {
                    throw new EngineException.InvalidArgument("invalid restart policy: maximum retry count cannot be negative");
                }
            }
            default -> throw new EngineException.InvalidArgument("invalid restart policy '" + name + "'");
        }
    }

    public static RestartPolicy onFailure(int maxRetries) {
        return new RestartPolicy("on-failure", maxRetries);
    }

    /** Parses the CLI form: {@code no}, {@code always}, {@code unless-stopped}, {@code on-failure}, {@code on-failure:3}. */
    public static RestartPolicy parse(String s) {
        if (s == null || s.isBlank()) {
            return NO;
        }
        String v = s.strip();
        int colon = v.indexOf(':');
        if (colon < 0) {
            return new RestartPolicy(v, 0);
        }
        String name = v.substring(0, colon);
        try {
            return new RestartPolicy(name, Integer.parseInt(v.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidArgument("invalid restart policy '" + s + "': the retry count must be a number");
        }
    }

    public boolean isNone() {
        return name.equals("no");
    }

    /**
     * Whether a container that just exited with {@code exitCode} restarts under this policy.
     *
     * @param restartCount    how often the policy restarted it already
     * @param manuallyStopped the user stopped it (stop, kill)
     * @param engineStart     the decision is taken while the engine starts (Docker restarts
     *                        {@code always} containers then, even after a manual stop)
     */
    public boolean shouldRestart(int exitCode, int restartCount, boolean manuallyStopped, boolean engineStart) {
        return switch (name) {
            case "always" -> !manuallyStopped || engineStart;
            case "unless-stopped" -> !manuallyStopped;
            case "on-failure" -> !manuallyStopped && exitCode != 0
                    && (maximumRetryCount == 0 || restartCount < maximumRetryCount);
            default -> false;
        };
    }

    @Override
    public String toString() {
        return name.equals("on-failure") && maximumRetryCount > 0 ? name + ":" + maximumRetryCount : name;
    }
}
