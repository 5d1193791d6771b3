package dev.berth.testkit;

import dev.berth.engine.Engine;
import dev.berth.engine.content.Writer;
import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.image.Reference;
import dev.berth.engine.layer.LayerApplier;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.snapshot.Unpacker;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Puts a locally built image into an engine's image store without a registry or the pull
 * service: the config and manifest into the content store, the layers unpacked into committed
 * snapshots, an {@link ImageRecord} and a tag into the image store.
 */
public final class LocalImages {

    private LocalImages() {}

    /** Builds the plain busybox image under {@code workDir} and installs it as {@code ref} (e.g. {@code busybox:latest}). */
    public static ImageRecord busybox(Engine engine, Path workDir, String ref) {
        return install(engine, BusyboxImage.build(workDir), ref);
    }

    /** Installs {@code image} (its linux/amd64 manifest) as {@code ref}. */
    public static ImageRecord install(Engine engine, BusyboxImage image, String ref) {
        store(engine, image.config().digest(), image.configBytes());
        store(engine, image.manifest().digest(), image.manifestBytes());
        List<Unpacker.Layer> layers = image.layers().stream()
                .map(l -> new Unpacker.Layer(l.diffId(), l.digest().toString(),
                        () -> new ByteArrayInputStream(image.blob(l.digest()))))
                .toList();
        new Unpacker(engine.snapshots(), LayerApplier.overlay()).unpack(layers);
        long size = image.layers().stream().mapToLong(BusyboxImage.LayerBlob::size).sum();
        ImageRecord record = new ImageRecord(image.config().digest(), image.manifest().digest(), image.manifest().mediaType(),
                image.layers().stream().map(BusyboxImage.LayerBlob::digest).toList(),
                image.layers().stream().map(BusyboxImage.LayerBlob::diffId).toList(), size, null, null);
        engine.images().put(record);
        engine.images().tag(Reference.parse(ref), record.id());
        return record;
    }

    private static void store(Engine engine, Digest digest, byte[] bytes) {
        if (engine.content().exists(digest)) {
            return;
        }
        try (Writer w = engine.content().writer("local-" + digest, bytes.length, digest)) {
            w.write(bytes);
            w.commit(bytes.length, digest);
        }
    }
}
