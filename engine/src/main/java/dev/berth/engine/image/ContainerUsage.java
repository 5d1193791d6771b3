package dev.berth.engine.image;

import dev.berth.engine.oci.Digest;

/**
 * The seam through which the image service asks how many containers use an image (for
 * {@code docker rmi} refusing an image in use, {@code docker images}' container counts and
 * {@code docker system df}). {@code Engine} passes the container service's count.
 */
@FunctionalInterface
public interface ContainerUsage {

    /** For an image service used on its own, without a container store (tests, tools). */
    ContainerUsage NONE = imageId -> 0;

    /** How many containers (running or not) were created from image {@code imageId}. */
    int containersUsing(Digest imageId);
}
