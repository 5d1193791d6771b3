package dev.berth.engine.snapshot;

import dev.berth.engine.layer.TarEntry;
import dev.berth.engine.layer.TarWriter;
import dev.berth.engine.oci.Digest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/** Small layer tars for snapshot tests. */
final class LayerTars {

    private static final FileTime T0 = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarWriter w = new TarWriter(bytes);

    LayerTars dir(String name) {
        return add(new TarEntry(name + "/", TarEntry.Type.DIRECTORY, 0755, 0, 0, 0, T0, null, "", 0, 0, Map.of()), null);
    }

    LayerTars file(String name, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return add(new TarEntry(name, TarEntry.Type.FILE, 0644, 0, 0, b.length, T0, null, "", 0, 0, Map.of()), b);
    }

    private LayerTars add(TarEntry e, byte[] content) {
        try {
            w.write(e, content == null ? null : new ByteArrayInputStream(content));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    byte[] tar() {
        try {
            w.close();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    /** An unpacker layer for {@code tar}, with its true DiffID. */
    static Unpacker.Layer layer(String name, byte[] tar) {
        return new Unpacker.Layer(Digest.sha256(tar), name, () -> new ByteArrayInputStream(tar));
    }
}
