package dev.berth.app.builds;

/** Where a build is: running, or how it ended. */
public enum BuildStatus {
    RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean finished() {
        return this != RUNNING;
    }
}
