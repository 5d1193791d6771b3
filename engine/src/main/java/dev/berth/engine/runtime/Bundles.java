package dev.berth.engine.runtime;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.spec.OciConfig;
import dev.berth.engine.state.AtomicFiles;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading and writing a bundle's {@code config.json} (atomically, like all engine metadata). */
public final class Bundles {

    public static final String CONFIG = "config.json";

    private Bundles() {}

    public static void writeConfig(Path bundle, OciConfig config) {
        try {
            Files.createDirectories(bundle);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create bundle " + bundle + ": " + e.getMessage(), e);
        }
        // regenerated from the container's config at every start: atomic, but no fsync on the start path
        AtomicFiles.writeRegenerable(bundle.resolve(CONFIG), Json.toBytes(config));
    }

    public static OciConfig readConfig(Path bundle) {
        Path file = bundle.resolve(CONFIG);
        if (!Files.isRegularFile(file)) {
            throw new EngineException.NotFound("no runtime config in " + bundle);
        }
        try {
            return Json.read(file, OciConfig.class);
        } catch (UncheckedIOException e) {
            throw new EngineException.InvalidArgument("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The host path of the bundle's root filesystem ({@code root.path} may be relative to the bundle). */
    public static Path rootfs(Path bundle, OciConfig config) {
        return bundle.resolve(config.root().path()).normalize();
    }
}
