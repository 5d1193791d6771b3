package dev.berth.engine.build;

import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.api.ApiServer;
import dev.berth.engine.build.context.BuildContext;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.LocalImages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The build benchmark of issue #6, run by {@code bench/build.sh} (not part of the test suite).
 * {@code BuildBench WORK ROUNDS [--dockerd SOCKET] [--podman ARGV...]}: a 14-step Dockerfile on the
 * busybox fixture (config steps, two COPYs, three RUNs), built cold ({@code --no-cache}) and then rebuilt
 * fully cached, by each builder in turn in every round (one warm-up round is not counted):
 * <ul>
 *   <li>Berth's Java API on the engine this process runs (the engine's own time);</li>
 *   <li>{@code DOCKER_BUILDKIT=0 docker build} against that same engine's socket (end to end: the CLI
 *       process, the context tar, the JSON stream);</li>
 *   <li>where given, {@code podman build} (its argv, storage in the script's temp dir);</li>
 *   <li>where given, {@code DOCKER_BUILDKIT=0 docker build} against a dockerd (Docker's classic builder).</li>
 * </ul>
 * Every builder runs the RUN steps with {@code --network none} (dockerd runs with {@code --bridge=none}).
 * Each build is checked: all 14 steps ran, and the rebuild used the cache for
 * every step after FROM. Prints {@code RESULT key value} lines and a table with the ratios.
 */
public final class BuildBench {

    static final String DOCKERFILE = """
            FROM busybox
            LABEL org.example.bench=build
            ARG VERSION=1
            ENV APP_HOME=/app MODE=bench
            WORKDIR /app
            COPY a.txt ./
            COPY src/ ./src/
            RUN cat a.txt > copied.txt
            RUN mkdir -p /app/out && echo $VERSION > /app/out/version
            EXPOSE 8080
            USER 1000
            RUN ls /app > /tmp/listing
            ENTRYPOINT ["/bin/sh", "-c"]
            CMD ["cat /app/copied.txt"]
            """;
    static final int STEPS = 14;

    private static final String DOCKER = "/usr/local/bin/docker";
    private static final String BERTH_API = "berth, Java API (engine time)";
    private static final String BERTH_CLI = "berth, docker CLI (classic)";
    private static final String PODMAN = "podman build (runc)";
    private static final String DOCKERD = "dockerd, docker CLI (classic)";
    private static final Map<String, String> SHORT = Map.of(BERTH_API, "berth-api", BERTH_CLI, "berth-cli",
            PODMAN, "podman", DOCKERD, "dockerd");

    private BuildBench() {}

    /** One builder: a cold build and a cached rebuild, each throwing when it did not do what it should. */
    private interface Tool {
        void cold() throws Exception;

        void cached() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: BuildBench WORK ROUNDS [--dockerd SOCKET] [--podman ARGV...]");
            System.exit(2);
        }
        Path work = Path.of(args[0]).toAbsolutePath();
        int rounds = Integer.parseInt(args[1]);
        String dockerd = null;
        List<String> podman = List.of();
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--dockerd" -> dockerd = args[++i];
                case "--podman" -> {
                    podman = List.of(Arrays.copyOfRange(args, i + 1, args.length));
                    i = args.length;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path ctx = context(work.resolve("ctx"));
        Path logs = Files.createDirectories(work.resolve("logs"));
        String loadBefore = loadAverage();

        EngineConfig config = new EngineConfig(work.resolve("berth-root"), work.resolve("b.sock"));
        Engine engine = Engine.start(config);
        ApiServer api = ApiServer.serve(engine, config.socket());
        // interrupted (Ctrl-C), the JVM still removes a RUN step's container and closes the engine before the
        // script unmounts and deletes its directory
        Thread stop = new Thread(() -> stop(engine, api), "bench-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            // one image for every builder: the test suite's busybox-static image, put into Berth's store and saved
            // from there as the docker archive dockerd and podman load (no skopeo: its blob-info cache is the host's)
            BusyboxImage busybox = BusyboxImage.build(work.resolve("busybox-layout"));
            LocalImages.install(engine, busybox, "busybox:latest");
            for (BusyboxImage.LayerBlob l : busybox.layers()) { // the blobs too, which save sends
                engine.content().put("bench-" + l.digest().encoded(), busybox.blob(l.digest()), l.digest());
            }
            Path imageTar = work.resolve("busybox.tar");
            List<String> berthCli = List.of(DOCKER, "-H", "unix://" + config.socket());
            exec(concat(berthCli, "save", "-o", imageTar.toString(), "busybox:latest"), logs.resolve("berth-save.log"));

            Map<String, Tool> tools = new LinkedHashMap<>();
            Map<String, String> notes = new LinkedHashMap<>();
            Builder builder = engine.builder();
            List<List<BuildStep>> coldSteps = new ArrayList<>();
            tools.put(BERTH_API, new Tool() {
                @Override
                public void cold() throws Exception {
                    try (BuildContext c = BuildContext.fromDirectory(ctx)) {
                        BuildResult r = builder.build(request(c, true), e -> { });
                        if (r.steps().size() != STEPS || r.steps().stream().anyMatch(BuildStep::cached)) {
                            throw new IllegalStateException("expected " + STEPS + " uncached steps, got " + r.steps());
                        }
                        coldSteps.add(r.steps());
                    }
                }

                @Override
                public void cached() throws Exception {
                    try (BuildContext c = BuildContext.fromDirectory(ctx)) {
                        BuildResult r = builder.build(request(c, false), e -> { });
                        if (r.steps().size() != STEPS || !r.fullyCached()) {
                            throw new IllegalStateException("the rebuild was not fully cached: " + r.steps());
                        }
                    }
                }
            });
            tools.put(BERTH_CLI, classic(berthCli, ctx, logs.resolve("berth-cli.log")));
            if (!podman.isEmpty()) {
                List<String> p = podman;
                String why = trySetup(() -> exec(concat(p, "load", "-q", "-i", imageTar.toString()), logs.resolve("podman-load.log")));
                if (why == null) {
                    tools.put(PODMAN, podman(p, ctx, logs.resolve("podman.log")));
                } else {
                    notes.put(PODMAN, why);
                }
            }
            if (dockerd != null) {
                List<String> d = List.of(DOCKER, "-H", "unix://" + dockerd);
                String why = trySetup(() -> exec(concat(d, "load", "-q", "-i", imageTar.toString()), logs.resolve("dockerd-load.log")));
                if (why == null) {
                    tools.put(DOCKERD, classic(d, ctx, logs.resolve("dockerd.log")));
                } else {
                    notes.put(DOCKERD, why);
                }
            }

            Map<String, List<Long>> cold = new LinkedHashMap<>();
            Map<String, List<Long>> cached = new LinkedHashMap<>();
            tools.keySet().forEach(k -> {
                cold.put(k, new ArrayList<>());
                cached.put(k, new ArrayList<>());
            });
            for (int round = -1; round < rounds; round++) { // round -1 warms up the JVM, the page cache and each tool
                StringBuilder line = new StringBuilder(round < 0 ? "warm-up:" : "round " + (round + 1) + ":");
                for (Map.Entry<String, Tool> t : tools.entrySet()) {
                    long t0 = System.nanoTime();
                    t.getValue().cold();
                    long t1 = System.nanoTime();
                    t.getValue().cached();
                    long t2 = System.nanoTime();
                    if (round >= 0) {
                        cold.get(t.getKey()).add(t1 - t0);
                        cached.get(t.getKey()).add(t2 - t1);
                    }
                    line.append(String.format("  %s %.3f/%.3f", SHORT.get(t.getKey()), (t1 - t0) / 1e9, (t2 - t1) / 1e9));
                }
                System.out.println(line);
            }
            report(rounds, cold, cached, notes, loadBefore);
            steps(coldSteps.subList(1, coldSteps.size()));
        } finally {
            Runtime.getRuntime().removeShutdownHook(stop);
            stop(engine, api);
        }
    }

    private static boolean stopped;

    private static synchronized void stop(Engine engine, ApiServer api) {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            api.close();
            for (var c : engine.containers().list(dev.berth.engine.container.ContainerFilter.ALL)) {
                engine.containers().remove(c.id(), true, true);
            }
        } finally {
            engine.close();
        }
    }

    private static void report(int rounds, Map<String, List<Long>> cold, Map<String, List<Long>> cached,
                               Map<String, String> notes, String loadBefore) {
        System.out.println();
        System.out.printf("== %d-step Dockerfile on the busybox fixture, --network none: %d rounds after 1 warm-up, builders"
                + " alternating; load average before %s, after %s (%d cores)%n", STEPS, rounds, loadBefore, loadAverage(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%-34s %12s %10s %14s %11s%n", "builder", "cold median", "cold max", "cached median", "cached max");
        Map<String, Double> coldMedian = new LinkedHashMap<>();
        Map<String, Double> cachedMedian = new LinkedHashMap<>();
        cold.forEach((k, v) -> {
            coldMedian.put(k, median(v));
            cachedMedian.put(k, median(cached.get(k)));
            System.out.printf("%-34s %10.3f s %8.3f s %12.3f s %9.3f s%n", k, median(v), max(v), median(cached.get(k)),
                    max(cached.get(k)));
        });
        notes.forEach((k, why) -> System.out.printf("%-34s not run: %s%n", k, why));
        System.out.println();
        for (String other : List.of(PODMAN, DOCKERD)) {
            if (!coldMedian.containsKey(other)) {
                continue;
            }
            String who = other.equals(PODMAN) ? "podman" : "dockerd";
            System.out.printf("cold   berth/%-8s Java API %.2fx   docker CLI %.2fx   (target <= 1.00x)%n", who,
                    coldMedian.get(BERTH_API) / coldMedian.get(other), coldMedian.get(BERTH_CLI) / coldMedian.get(other));
            System.out.printf("cached berth/%-8s Java API %.2fx   docker CLI %.2fx%n", who,
                    cachedMedian.get(BERTH_API) / cachedMedian.get(other), cachedMedian.get(BERTH_CLI) / cachedMedian.get(other));
        }
        System.out.printf("cached rebuild, Berth's engine time: %.3f s (target <= 0.100 s)%n", cachedMedian.get(BERTH_API));
        coldMedian.forEach((k, v) -> {
            System.out.printf("RESULT build_%s_cold_median_s %.4f%n", SHORT.get(k).replace('-', '_'), v);
            System.out.printf("RESULT build_%s_cached_median_s %.4f%n", SHORT.get(k).replace('-', '_'), cachedMedian.get(k));
        });
    }

    /** Where Berth's cold build spends its time: each step's median over the counted rounds. */
    private static void steps(List<List<BuildStep>> builds) {
        System.out.println();
        System.out.println("berth cold build, median time of each step (Java API):");
        for (int i = 0; i < STEPS; i++) {
            int step = i;
            List<Long> nanos = builds.stream().map(b -> b.get(step).duration().toNanos()).toList();
            System.out.printf("  %6.3f s  %s%n", median(nanos), builds.getFirst().get(step).text());
        }
    }

    /** {@code docker build --network none [--no-cache] -t bench:latest}: RUN steps without a network, as for the others. */
    private static BuildRequest request(BuildContext c, boolean noCache) {
        return new BuildRequest(c, null, List.of("bench:latest"), Map.of(), null, noCache, false, Map.of(), true, true, "none");
    }

    /** The benchmark's build context: the Dockerfile, a file and a directory of 20 small files. */
    static Path context(Path ctx) throws IOException {
        Files.createDirectories(ctx.resolve("src"));
        Files.writeString(ctx.resolve("Dockerfile"), DOCKERFILE);
        Files.writeString(ctx.resolve("a.txt"), "alpha\n");
        for (int i = 0; i < 20; i++) {
            Files.writeString(ctx.resolve("src/file" + i + ".txt"), "content " + i + "\n".repeat(i));
        }
        return ctx;
    }

    /** {@code DOCKER_BUILDKIT=0 docker build} against {@code docker} (its argv up to the subcommand). */
    private static Tool classic(List<String> docker, Path ctx, Path log) {
        List<String> build = concat(docker, "build", "--network", "none", "-t", "bench:latest");
        return new Tool() {
            @Override
            public void cold() throws Exception {
                String out = exec(concat(concat(build, "--no-cache"), ctx.toString()), log);
                expect(out, "Step " + STEPS + "/" + STEPS + " :", 1, log);
                expect(out, "Using cache", 0, log);
            }

            @Override
            public void cached() throws Exception {
                String out = exec(concat(build, ctx.toString()), log);
                expect(out, "Step " + STEPS + "/" + STEPS + " :", 1, log);
                expect(out, "Using cache", STEPS - 1, log);
            }
        };
    }

    /** {@code podman build} with podman's argv up to the subcommand; the base image is never pulled. */
    private static Tool podman(List<String> podman, Path ctx, Path log) {
        List<String> build = concat(podman, "build", "--network", "none", "--pull=never", "-t", "bench:latest");
        return new Tool() {
            @Override
            public void cold() throws Exception {
                String out = exec(concat(concat(build, "--no-cache"), ctx.toString()), log);
                expect(out, "STEP " + STEPS + "/" + STEPS + ":", 1, log);
                expect(out, "Using cache", 0, log);
            }

            @Override
            public void cached() throws Exception {
                String out = exec(concat(build, ctx.toString()), log);
                expect(out, "STEP " + STEPS + "/" + STEPS + ":", 1, log);
                expect(out, "Using cache", STEPS - 1, log);
            }
        };
    }

    /** Throws unless {@code what} occurs exactly {@code times} times in a build's output. */
    private static void expect(String out, String what, int times, Path log) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(out);
        int n = 0;
        while (m.find()) {
            n++;
        }
        if (n != times) {
            throw new IllegalStateException("expected \"" + what + "\" " + times + " times in the build's output, found it "
                    + n + " times (output in " + log + "):\n" + out);
        }
    }

    /** Runs {@code cmd} with the classic builder chosen, its output into {@code log}; returns that output. */
    private static String exec(List<String> cmd, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(log.toFile());
        pb.environment().put("DOCKER_BUILDKIT", "0");
        Process p = pb.start();
        int code = p.waitFor();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        if (code != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + code + ": " + out.strip());
        }
        return out;
    }

    @FunctionalInterface
    private interface Setup {
        void run() throws Exception;
    }

    private static String trySetup(Setup setup) {
        try {
            setup.run();
            return null;
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private static double median(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int n = sorted.size();
        return (n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0) / 1e9;
    }

    private static double max(List<Long> nanos) {
        return Collections.max(nanos) / 1e9;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
