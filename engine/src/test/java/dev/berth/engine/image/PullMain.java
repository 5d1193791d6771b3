package dev.berth.engine.image;

import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;

import java.nio.file.Path;

/**
 * {@code PullMain ROOT REFERENCE}: starts an engine on ROOT and pulls REFERENCE, printing one line
 * per layer phase change and {@code PULLED <image id>} at the end. Run as a separate JVM by tests
 * that kill a pull half way and by {@code bench/pull.sh}.
 */
public final class PullMain {

    private PullMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: PullMain ROOT REFERENCE");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        long start = System.nanoTime();
        try (Engine engine = Engine.start(new EngineConfig(root, root.resolve("berth.sock")))) {
            ImageService.Phase[] last = {null};
            ImageRecord r = engine.imageService().pull(Reference.parse(args[1]), ImageService.PullOptions.defaults(), p -> {
                if (p.phase() != ImageService.Phase.DOWNLOADING || last[0] != ImageService.Phase.DOWNLOADING) {
                    System.out.println(p.id() + " " + p.phase() + " " + p.message());
                    System.out.flush();
                }
                last[0] = p.phase();
            });
            System.out.println("PULLED " + r.id() + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
    }
}
