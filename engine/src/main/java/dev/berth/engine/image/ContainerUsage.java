package dev.berth.engine.image;

import dev.berth.engine.oci.Digest;

/**
 * The seam through which the image service asks how many containers use an image (for
 * {@code docker rmi} refusing an image in use, {@code docker images}' container counts and
 * {@code docker system df}). The container service provides the real one; until it exists no
 * container can be created, so {@link #NO_CONTAINERS_YET} is the truthful answer.
 */
@FunctionalInterface
public interface ContainerUsage {

    /** What the engine passes while it has no container store: no container exists, so none uses an image. */
    ContainerUsage NO_CONTAINERS_YET = imageId -> 0;

    /** How many containers (running or not) were created from image {@code imageId}. */
    int containersUsing(Digest imageId);
}
