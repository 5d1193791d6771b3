package dev.berth.app.images;

import java.time.Instant;
import java.util.List;

/**
 * One step of an image's history, newest first as {@code docker history} shows it.
 *
 * @param id         the image id this step produced, or {@code <missing>}
 * @param createdBy  the command that made it
 * @param size       bytes this step added (0 for steps without a layer: ENV, CMD, ...)
 * @param diffId     the uncompressed digest of its layer, or null for a step without one
 * @param sharedWith how many other images in the cache have this same layer under the same parents
 */
public record ImageLayer(String id, Instant created, String createdBy, long size, String comment, List<String> tags,
                         String diffId, int sharedWith) {

    public ImageLayer {
        createdBy = createdBy == null ? "" : createdBy;
        comment = comment == null ? "" : comment;
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public boolean hasLayer() {
        return diffId != null;
    }
}
