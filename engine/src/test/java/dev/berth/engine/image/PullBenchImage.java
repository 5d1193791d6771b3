package dev.berth.engine.image;

import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.Layer;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

/**
 * {@code PullBenchImage DIR HOST REPO:TAG LAYERS MIB}: builds busybox plus LAYERS layers of MIB MiB
 * of random bytes each (gzip, so it cannot compress away), writes the OCI layout into DIR and
 * pushes it to the registry at HOST (plain http). Used by {@code bench/pull.sh}.
 */
public final class PullBenchImage {

    private PullBenchImage() {}

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: PullBenchImage DIR HOST REPO:TAG LAYERS MIB");
            System.exit(2);
        }
        int layers = Integer.parseInt(args[3]);
        int mib = Integer.parseInt(args[4]);
        BusyboxImage.Builder b = BusyboxImage.builder();
        Random random = new Random(20250101L);
        for (int i = 0; i < layers; i++) {
            byte[] data = new byte[mib << 20];
            random.nextBytes(data);
            b.layer(Layer.builder().createdBy("ADD blob" + i + " /data/" + i).file("/data/blob" + i, data).build());
        }
        BusyboxImage image = b.build(Path.of(args[0]));
        long compressed = image.layers().stream().mapToLong(BusyboxImage.LayerBlob::size).sum();
        image.pushTo(args[1], Optional.empty(), args[2]);
        System.out.println("pushed " + args[1] + "/" + args[2] + ": " + image.layers().size() + " layers, "
                + compressed / (1 << 20) + " MiB compressed, manifest " + image.manifest().digest());
    }
}
