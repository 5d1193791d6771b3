package dev.berth.engine.image;

import dev.berth.engine.content.ContentStore;
import dev.berth.engine.content.Info;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.snapshot.Mounter;
import dev.berth.engine.snapshot.Mounts;
import dev.berth.engine.snapshot.Snapshotter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** Helpers shared by the image service tests: reading a mounted rootfs, re-hashing the store. */
final class ImageTestSupport {

    private ImageTestSupport() {}

    /**
     * Mounts a read-only view of the committed chain {@code top}, describes every path in it
     * ({@code d} for a directory, {@code l:TARGET} for a symlink, {@code f:CONTENT} for a small
     * file, {@code f:sha256:...} for a large one), unmounts and removes the view.
     */
    static Map<String, String> tree(Snapshotter snapshots, Digest top, Path mountPoint) throws IOException {
        String key = "test-view-" + System.nanoTime();
        Mounts m = snapshots.view(key, top.toString());
        Files.createDirectories(mountPoint);
        Mounter.mount(m, mountPoint);
        try {
            Map<String, String> out = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(mountPoint)) {
                for (Path p : walk.toList()) {
                    if (p.equals(mountPoint)) {
                        continue;
                    }
                    String rel = "/" + mountPoint.relativize(p);
                    if (Files.isSymbolicLink(p)) {
                        out.put(rel, "l:" + Files.readSymbolicLink(p));
                    } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        out.put(rel, "d");
                    } else {
                        byte[] b = Files.readAllBytes(p);
                        out.put(rel, b.length <= 256 ? "f:" + new String(b) : "f:" + Digest.sha256(b));
                    }
                }
            }
            return out;
        } finally {
            Mounter.unmount(mountPoint);
            snapshots.remove(key);
        }
    }

    /** Every committed blob whose bytes do not hash to its name (should be none). */
    static List<String> corruptBlobs(ContentStore content) throws IOException {
        List<String> bad = new ArrayList<>();
        for (Info i : content.list()) {
            MessageDigest md = i.digest().newMessageDigest();
            try (InputStream in = content.open(i.digest())) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
            }
            Digest actual = Digest.of(md);
            if (!actual.equals(i.digest())) {
                bad.add(i.digest() + " hashes to " + actual);
            }
        }
        return bad;
    }

    /** Keys of committed snapshots. */
    static List<String> committed(Snapshotter snapshots) {
        List<String> out = new ArrayList<>();
        snapshots.walk(i -> {
            if (i.kind() == Snapshotter.Kind.COMMITTED) {
                out.add(i.key());
            }
        });
        return out;
    }

    /** Every snapshot key, any kind. */
    static List<String> allSnapshots(Snapshotter snapshots) {
        List<String> out = new ArrayList<>();
        snapshots.walk(i -> out.add(i.key()));
        return out;
    }

    /** A progress listener that keeps everything it hears. */
    static final class Recorder implements ImageService.ProgressListener {
        final List<ImageService.Progress> seen = new CopyOnWriteArrayList<>();

        @Override
        public void onProgress(ImageService.Progress p) {
            seen.add(p);
        }

        List<String> statusLines() {
            return seen.stream().filter(p -> p.phase() == ImageService.Phase.STATUS).map(ImageService.Progress::message).toList();
        }

        List<ImageService.Phase> phasesOf(String id) {
            return seen.stream().filter(p -> p.id().equals(id)).map(ImageService.Progress::phase).distinct().toList();
        }
    }
}
