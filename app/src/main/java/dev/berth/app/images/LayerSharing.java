package dev.berth.app.images;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which layers an image shares with others. Two images share a layer when they have the same
 * layer on the same parents, i.e. the same chain ID (the OCI image spec's
 * {@code ChainID(n) = sha256(ChainID(n-1) + " " + DiffID(n))}): that is what the engine
 * keys snapshots by, so a shared layer is stored and unpacked once.
 */
public final class LayerSharing {

    /** One history step before layers are attached: {@code emptyLayer} is null when unknown. */
    public record Step(String id, java.time.Instant created, String createdBy, long size, String comment,
                       List<String> tags, Boolean emptyLayer) {}

    private LayerSharing() {}

    /** The chain IDs of {@code diffIds} (bottom first). */
    public static List<String> chainIds(List<String> diffIds) {
        List<String> chain = new ArrayList<>(diffIds.size());
        String previous = null;
        for (String diffId : diffIds) {
            previous = previous == null ? diffId : "sha256:" + sha256(previous + " " + diffId);
            chain.add(previous);
        }
        return chain;
    }

    /**
     * For each layer of {@code diffIds}, how many of {@code others} (each another image's diff IDs)
     * have it under the same parents.
     */
    public static int[] sharedCounts(List<String> diffIds, Collection<List<String>> others) {
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> other : others) {
            Set<String> seen = new HashSet<>(chainIds(other));
            seen.forEach(c -> counts.merge(c, 1, Integer::sum));
        }
        List<String> mine = chainIds(diffIds);
        int[] shared = new int[mine.size()];
        for (int i = 0; i < shared.length; i++) {
            shared[i] = counts.getOrDefault(mine.get(i), 0);
        }
        return shared;
    }

    /**
     * Attaches layers (bottom first) to history steps (newest first). Steps marked empty get none;
     * when the marks are unknown, steps that added bytes get the layers in order, or every step
     * gets one when there are as many steps as layers.
     */
    public static List<ImageLayer> attach(List<Step> newestFirst, List<String> diffIds, Collection<List<String>> others) {
        int[] shared = sharedCounts(diffIds, others);
        List<Step> oldestFirst = new ArrayList<>(newestFirst).reversed();
        boolean marksKnown = oldestFirst.stream().allMatch(s -> s.emptyLayer() != null);
        long sized = oldestFirst.stream().filter(s -> s.size() > 0).count();
        List<ImageLayer> out = new ArrayList<>();
        int next = 0;
        for (Step s : oldestFirst) {
            boolean hasLayer;
            if (marksKnown) {
                hasLayer = !s.emptyLayer();
            } else if (oldestFirst.size() == diffIds.size()) {
                hasLayer = true;
            } else {
                hasLayer = sized == diffIds.size() ? s.size() > 0 : s.size() > 0 || !s.createdBy().contains("#(nop)");
            }
            String diffId = null;
            int sharedWith = 0;
            if (hasLayer && next < diffIds.size()) {
                diffId = diffIds.get(next);
                sharedWith = shared[next];
                next++;
            }
            out.add(new ImageLayer(s.id(), s.created(), s.createdBy(), s.size(), s.comment(), s.tags(), diffId, sharedWith));
        }
        return out.reversed();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
