package dev.berth.engine.runtime;

import dev.berth.engine.runtime.spec.BundleSpecBuilder;
import dev.berth.engine.runtime.spec.RunSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in for the engine process, run in its own JVM by {@link ConmonSurvivesEngineTest}:
 * creates and starts a container that prints a tick every 50 ms, reports its pid, then idles
 * until it is killed. Arguments: runtime root, rootfs, bundle, log, container id, runc, conmon.
 */
public final class EngineProcessMain {

    private EngineProcessMain() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path rootfs = Path.of(args[1]);
        Path bundle = Path.of(args[2]);
        Path log = Path.of(args[3]);
        String id = args[4];
        OciRuntime runtime = new OciRuntime(Path.of(args[5]), Path.of(args[6]), root, dev.berth.engine.runtime.spec.Cgroups.host());
        RunSpec spec = RunSpec.builder(List.of("sh", "-c", "while :; do echo tick; sleep 0.05; done")).build();
        Bundles.writeConfig(bundle, BundleSpecBuilder.forHost().build(id, rootfs, spec).config());
        OciRuntime.Created created = runtime.create(new CreateRequest(id, "survivor", bundle, false, false, false, log, 0));
        runtime.start(id);
        System.out.println("STARTED " + created.pid() + " " + created.conmonPid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
