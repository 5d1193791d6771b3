package dev.berth.engine.container;

import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;
import dev.berth.testkit.LocalImages;

import java.nio.file.Path;

/**
 * The engine process that {@link EngineKilledWhileContainersRunTest} kills with SIGKILL: starts an
 * engine on the given root, installs busybox, runs a long container and one that exits with 5
 * after 2 s, prints {@code STARTED <long-id> <short-id>}, then idles until killed.
 * Arguments: state root, socket path, work dir.
 */
public final class CrashedEngineMain {

    private CrashedEngineMain() {}

    public static void main(String[] args) throws Exception {
        Engine engine = Engine.start(new EngineConfig(Path.of(args[0]), Path.of(args[1])));
        LocalImages.busybox(engine, Path.of(args[2]), "busybox:latest");
        ContainerService svc = engine.containers();
        Container lng = svc.create(CreateRequest.builder("busybox").name("long")
                .cmd("sh", "-c", "while :; do echo tick; sleep 0.1; done").build());
        Container shrt = svc.create(CreateRequest.builder("busybox").name("short")
                .cmd("sh", "-c", "echo short; sleep 2; exit 5").build());
        svc.start(lng.id());
        svc.start(shrt.id());
        System.out.println("STARTED " + lng.id() + " " + shrt.id());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
