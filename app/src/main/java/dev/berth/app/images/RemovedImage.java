package dev.berth.app.images;

/** One line of {@code docker rmi} output: an untagged reference or a deleted image id (the other is empty). */
public record RemovedImage(String untagged, String deleted) {

    public RemovedImage {
        untagged = untagged == null ? "" : untagged;
        deleted = deleted == null ? "" : deleted;
    }
}
