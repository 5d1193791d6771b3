package dev.berth.app.images;

/**
 * One step of a pull, push or load: about one layer (its short digest in {@code id}) or, with
 * an empty {@code id}, about the whole image.
 *
 * @param current bytes done so far in this phase (0 when not counted)
 * @param total   bytes in all, or 0 when unknown
 * @param message the engine's own words for this step ("Pulling from ...", a digest line)
 */
public record ImageProgress(String id, Phase phase, long current, long total, String message) {

    /** Docker's progress phases, in the order a layer goes through them. */
    public enum Phase {
        RESOLVING, WAITING, DOWNLOADING, VERIFYING, EXTRACTING, ALREADY_EXISTS, PULL_COMPLETE,
        PREPARING, PUSHING, PUSHED, MOUNTED, LOADING, DONE, FAILED, STATUS;

        /** A phase after which nothing more happens to the layer. */
        public boolean finished() {
            return this == ALREADY_EXISTS || this == PULL_COMPLETE || this == PUSHED || this == MOUNTED
                    || this == DONE || this == FAILED;
        }
    }

    public ImageProgress {
        id = id == null ? "" : id;
        message = message == null ? "" : message;
    }

    /** About the whole image rather than one layer. */
    public boolean aboutImage() {
        return id.isEmpty();
    }
}
