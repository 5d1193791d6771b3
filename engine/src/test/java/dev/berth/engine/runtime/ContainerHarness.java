package dev.berth.engine.runtime;

import dev.berth.engine.runtime.spec.BundleSpecBuilder;
import dev.berth.engine.runtime.spec.Cgroups;
import dev.berth.engine.runtime.spec.RunSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Runs real containers (runc + conmon) from busybox root filesystems under one temp directory, and
 * removes every one of them afterwards: runc delete, conmon killed by pid if still alive, cgroups
 * removed.
 */
public final class ContainerHarness implements AutoCloseable {

    private static HostTools tools;

    private final Path dir;
    private final OciRuntime runtime;
    private final BundleSpecBuilder builder = BundleSpecBuilder.forHost();
    private final List<Ctr> created = new ArrayList<>();

    /** A container made by the harness. */
    public record Ctr(String id, Path rootfs, Path bundle, Path log, BundleSpecBuilder.Result built) {}

    /** Output of a container that ran to its end. */
    public record Finished(int exitCode, List<LogReader.Entry> entries) {
        public String stdout() {
            return text(LogReader.Stream.STDOUT);
        }

        public String stderr() {
            return text(LogReader.Stream.STDERR);
        }

        private String text(LogReader.Stream s) {
            return entries.stream().filter(e -> e.stream() == s).map(LogReader.Entry::text).collect(Collectors.joining());
        }
    }

    public ContainerHarness(Path dir) {
        this.dir = dir;
        this.runtime = OciRuntime.forHost(tools(dir), dir.resolve("rt"));
    }

    private static synchronized HostTools tools(Path dir) {
        if (tools == null) {
            tools = new RuntimeDetector(dir.resolve("probe")).detect();
        }
        return tools;
    }

    public OciRuntime runtime() {
        return runtime;
    }

    public static String newId() {
        byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Builds the bundle and creates (not starts) the container. */
    public Ctr create(RunSpec spec) throws IOException {
        return create(spec, 0);
    }

    public Ctr create(RunSpec spec, long logSizeMax) throws IOException {
        String id = newId();
        Path rootfs = BusyboxRootfs.create(dir.resolve("rootfs-" + id.substring(0, 12)));
        return create(id, rootfs, spec, logSizeMax);
    }

    public Ctr create(String id, Path rootfs, RunSpec spec, long logSizeMax) {
        return create(id, rootfs, dir.resolve("b-" + id.substring(0, 12)), spec, logSizeMax);
    }

    public Ctr create(String id, Path rootfs, Path bundle, RunSpec spec, long logSizeMax) {
        Path log = dir.resolve("logs/" + id.substring(0, 12) + ".log");
        BundleSpecBuilder.Result built = builder.build(id, rootfs, spec);
        Bundles.writeConfig(bundle, built.config());
        Ctr c = new Ctr(id, rootfs, bundle, log, built);
        created.add(c);
        runtime.create(new CreateRequest(id, "test-" + id.substring(0, 6), bundle, spec.tty(), spec.openStdin(), false, log, logSizeMax));
        return c;
    }

    /** Creates and starts. */
    public Ctr run(RunSpec spec) throws IOException {
        Ctr c = create(spec);
        runtime.start(c.id());
        return c;
    }

    /** Creates, starts and waits for the container to exit; returns its exit code and log. */
    public Finished runToExit(RunSpec spec) throws IOException, InterruptedException {
        Ctr c = run(spec);
        OptionalInt code = runtime.waitForExit(c.id(), Duration.ofSeconds(20));
        if (code.isEmpty()) {
            throw new AssertionError("container did not exit: " + spec.args());
        }
        return new Finished(code.getAsInt(), LogReader.read(c.log(), LogReader.Query.ALL));
    }

    public static String readString(Path p) {
        try {
            return dev.berth.engine.runtime.spec.HostFiles.read(p).strip();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + p, e);
        }
    }

    @Override
    public void close() {
        Cgroups cgroups = Cgroups.host();
        for (Ctr c : created) {
            OptionalLong conmon = OciRuntime.readPid(c.bundle().resolve(Conmon.CONMON_PIDFILE));
            try {
                runtime.delete(c.id(), true);
            } catch (RuntimeException e) {
                System.err.println("cleanup: cannot delete " + c.id() + ": " + e.getMessage());
            }
            if (conmon.isPresent() && OciRuntime.isAlive(conmon.getAsLong())) {
                ProcessHandle.of(conmon.getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
            }
            cgroups.remove(Cgroups.containerPath(c.id()));
        }
    }
}
