package dev.berth.engine;

import dev.berth.engine.api.ApiServer;
import dev.berth.engine.errors.EngineException;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code berth engine [--root DIR] [--socket PATH]}: the engine alone, in the foreground,
 * serving the Docker Engine API on a unix socket until SIGTERM or SIGINT.
 */
public final class EngineMain {

    private EngineMain() {}

    public static void main(String[] args) {
        Path root = EngineConfig.DEFAULT_ROOT;
        Path socket = EngineConfig.DEFAULT_SOCKET;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(value(args, ++i, "--root"));
                case "--socket" -> socket = Path.of(value(args, ++i, "--socket"));
                case "-h", "--help" -> {
                    System.out.println("usage: berth engine [--root DIR] [--socket PATH]");
                    System.out.println("  --root DIR     state root (default " + EngineConfig.DEFAULT_ROOT + ")");
                    System.out.println("  --socket PATH  unix socket of the Docker-compatible API (default " + EngineConfig.DEFAULT_SOCKET + ")");
                    return;
                }
                default -> fail("unknown option " + args[i] + " (try --help)");
            }
        }
        EngineConfig config = new EngineConfig(root, socket);
        Engine engine;
        ApiServer server;
        try {
            engine = Engine.start(config);
        } catch (EngineException e) {
            fail(e.getMessage());
            return;
        }
        try {
            server = ApiServer.serve(engine, config.socket());
        } catch (EngineException e) {
            engine.close();
            fail(e.getMessage());
            return;
        }
        System.out.println("berth engine " + engine.system().version().engineVersion()
                + " serving unix://" + config.socket() + " with state in " + config.root()
                + " (runtime: " + engine.system().tools().summary() + ")");

        CountDownLatch stopped = new CountDownLatch(1);
        Runnable shutdown = () -> {
            server.close();
            engine.close();
            stopped.countDown();
        };
        Thread hook = new Thread(shutdown, "berth-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // SIGTERM and SIGINT are the normal way to stop the engine: exit 0 after a clean shutdown
        for (String sig : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> {
                Runtime.getRuntime().removeShutdownHook(hook);
                shutdown.run();
                System.out.println("berth engine stopped");
                System.exit(0);
            });
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            fail(option + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println("berth engine: " + message);
        System.exit(1);
    }
}
