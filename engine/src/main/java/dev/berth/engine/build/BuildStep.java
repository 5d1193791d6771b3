package dev.berth.engine.build;

import dev.berth.engine.oci.Digest;

import java.time.Duration;
import java.util.List;

/**
 * One finished step of a build.
 *
 * @param number   1-based, as {@code Step n/N} counts
 * @param text     the instruction as written ({@code RUN echo hi})
 * @param cached   whether the step's image came from the layer cache
 * @param reason   why it was not cached ({@link #NO_CACHE_ENTRY}, {@link #NO_CACHE_ASKED}, ...); null when cached
 *                 or when the step makes no image (a global ARG)
 * @param imageId  the image after this step; null for a step that makes none
 * @param duration how long the step took
 * @param output   the lines the step printed (a RUN's output)
 */
public record BuildStep(int number, String text, boolean cached, String reason, Digest imageId, Duration duration,
                        List<String> output) {

    public static final String NO_CACHE_ENTRY = "no cache entry";
    public static final String NO_CACHE_ASKED = "no-cache asked";
    public static final String CACHED_IMAGE_GONE = "the cached image was removed";
    public static final String BASE_IMAGE = "the base image";
    public static final String NO_IMAGE = "the step makes no image";

    public BuildStep {
        output = List.copyOf(output);
    }
}
