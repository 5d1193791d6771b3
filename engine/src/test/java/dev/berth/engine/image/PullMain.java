package dev.berth.engine.image;

import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code PullMain [--warm] ROOT REFERENCE}: starts an engine on ROOT and pulls REFERENCE, printing
 * one line per layer phase change and {@code PULLED <image id> in N ms} at the end. With
 * {@code --warm} it first pulls the image once, removes it and checks that the store is empty
 * again (no blob, no snapshot), so the timed pull runs in a warmed-up engine, as a long-running
 * daemon's would. Run as a separate JVM by tests that kill a pull half way and by
 * {@code bench/pull.sh}.
 */
public final class PullMain {

    private PullMain() {}

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        boolean warm = !a.isEmpty() && a.getFirst().equals("--warm");
        if (warm) {
            a = a.subList(1, a.size());
        }
        if (a.size() != 2) {
            System.err.println("usage: PullMain [--warm] ROOT REFERENCE");
            System.exit(2);
        }
        Path root = Path.of(a.get(0));
        Reference ref = Reference.parse(a.get(1));
        long start = System.nanoTime();
        try (Engine engine = Engine.start(new EngineConfig(root, root.resolve("berth.sock")))) {
            long startup = (System.nanoTime() - start) / 1_000_000;
            if (warm) {
                ImageRecord r = engine.imageService().pull(ref, ImageService.PullOptions.defaults(), null);
                engine.imageService().remove(r.id().toString(), true, false);
                List<String> left = ImageTestSupport.allSnapshots(engine.snapshots());
                if (!engine.content().list().isEmpty() || !left.isEmpty() || !engine.images().list().isEmpty()) {
                    throw new IllegalStateException("the store is not empty after the warm-up: "
                            + engine.content().list() + " " + left);
                }
                System.out.println("warm-up pull done; the store is empty again");
            }
            long pullStart = System.nanoTime();
            ImageService.Phase[] last = {null};
            ImageRecord r = engine.imageService().pull(ref, ImageService.PullOptions.defaults(), p -> {
                if (p.phase() != ImageService.Phase.DOWNLOADING || last[0] != ImageService.Phase.DOWNLOADING) {
                    System.out.println((System.nanoTime() - pullStart) / 1_000_000 + " ms " + p.id() + " " + p.phase()
                            + " " + p.message());
                    System.out.flush();
                }
                last[0] = p.phase();
            });
            System.out.println("PULLED " + r.id() + " in " + (System.nanoTime() - pullStart) / 1_000_000
                    + " ms (engine start " + startup + " ms)");
        }
    }
}
