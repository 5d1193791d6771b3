package dev.berth.app.images;

import dev.berth.app.images.ImageProgress.Phase;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Folds a pull's (or push's) progress messages into one state per layer and an overall
 * fraction. Downloading counts for the first 80 % of a layer and extracting for the rest;
 * layers weigh by their download size once it is known. Safe to feed from the pulling thread
 * and read from another.
 */
public final class PullProgressModel implements Consumer<ImageProgress> {

    private static final double DOWNLOAD_SHARE = 0.8;

    /** One layer's latest state; {@code size} is its download size once known (0 before). */
    public record Layer(String id, Phase phase, long current, long total, long size) {

        /** How far this layer is, from 0 to 1. */
        public double fraction() {
            if (phase.finished()) {
                return 1;
            }
            double part = total > 0 ? Math.min(1, (double) current / total) : 0;
            return switch (phase) {
                case DOWNLOADING, PUSHING, LOADING -> DOWNLOAD_SHARE * part;
                case VERIFYING -> DOWNLOAD_SHARE;
                case EXTRACTING -> DOWNLOAD_SHARE + (1 - DOWNLOAD_SHARE) * part;
                default -> 0;
            };
        }
    }

    private final Map<String, Layer> layers = new LinkedHashMap<>();
    private String lastStatus = "";

    @Override
    public synchronized void accept(ImageProgress p) {
        // Docker names the tag as the id of lines about the whole image ("latest: Pulling from ...")
        if (p.aboutImage() || p.phase() == Phase.STATUS || p.phase() == Phase.RESOLVING) {
            if (!p.message().isBlank()) {
                lastStatus = p.message();
            }
            return;
        }
        String id = Formats.shortDigest(p.id());
        Layer before = layers.get(id);
        long size = before == null ? 0 : before.size();
        if ((p.phase() == Phase.WAITING || p.phase() == Phase.DOWNLOADING || p.phase() == Phase.PREPARING
                || p.phase() == Phase.PUSHING) && p.total() > 0) {
            size = p.total();
        }
        layers.put(id, new Layer(id, p.phase(), p.current(), p.total(), size));
    }

    /** The layers in the order they were first mentioned. */
    public synchronized List<Layer> layers() {
        return new ArrayList<>(layers.values());
    }

    /** The last message about the whole image ("Digest: ...", "Status: ..."). */
    public synchronized String lastStatus() {
        return lastStatus;
    }

    /** All layers together, from 0 to 1 (0 before any layer is known). */
    public synchronized double overall() {
        if (layers.isEmpty()) {
            return 0;
        }
        boolean sized = layers.values().stream().allMatch(l -> l.size() > 0 || l.phase().finished());
        double done = 0;
        double all = 0;
        for (Layer l : layers.values()) {
            double weight = sized ? Math.max(l.size(), 1) : 1;
            done += weight * l.fraction();
            all += weight;
        }
        return done / all;
    }

    /** Whether every layer is finished. */
    public synchronized boolean allFinished() {
        return !layers.isEmpty() && layers.values().stream().allMatch(l -> l.phase().finished());
    }
}
