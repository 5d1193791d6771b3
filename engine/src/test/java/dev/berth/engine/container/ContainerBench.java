package dev.berth.engine.container;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.api.ApiServer;
import dev.berth.engine.state.Json;
import dev.berth.testkit.BusyboxImage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The containers benchmark of issue #4, run by {@code bench/containers.sh} (not part of the test
 * suite). {@code ContainerBench WORK ROUNDS [--dockerd SOCKET] [--podman ARGV...]}:
 * <ol>
 *   <li>{@code busybox true}, image local, no network, run to exit, alternating in each round:
 *       the engine's Java API (create, start, wait, remove), the docker CLI against Berth's socket
 *       ({@code docker run --rm --network none}), bare {@code runc run} of a prepared bundle, and
 *       where given podman ({@code podman run --rm --network none}) and the docker CLI against
 *       dockerd. Two warm-up rounds are not counted.</li>
 *   <li>100 detached containers started at once through the Java API: create-and-start latency
 *       of each, median and p95; then the engine is closed and started again on the same root
 *       with them running: how many it reports running, and how long each stop takes against
 *       its timeout.</li>
 * </ol>
 * Prints one {@code RESULT key value} line per figure for the script, and a readable table.
 */
public final class ContainerBench {

    private static final String DOCKER = "/usr/local/bin/docker";
    private static final int WARMUP = 2;

    private ContainerBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ContainerBench WORK ROUNDS [--concurrent N] [--dockerd SOCKET] [--podman ARGV...]");
            System.exit(2);
        }
        Path work = Path.of(args[0]).toAbsolutePath();
        int rounds = Integer.parseInt(args[1]);
        String dockerd = null;
        int concurrent = 100;
        List<String> podman = List.of();
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--dockerd" -> dockerd = args[++i];
                case "--concurrent" -> concurrent = Integer.parseInt(args[++i]);
                case "--podman" -> {
                    podman = List.of(Arrays.copyOfRange(args, i + 1, args.length));
                    i = args.length;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        EngineConfig config = new EngineConfig(work.resolve("berth-root"), work.resolve("berth.sock"));
        Engine engine = Engine.start(config);
        ApiServer api = ApiServer.serve(engine, config.socket());
        try {
            // one image tar for every engine: the test suite's busybox-static image, made a docker archive by skopeo
            BusyboxImage image = BusyboxImage.build(work.resolve("busybox-layout"));
            Path imageTar = work.resolve("busybox.tar");
            exec(List.of("skopeo", "--insecure-policy", "copy", "--quiet", "oci:" + image.layout() + ":" + BusyboxImage.LAYOUT_TAG,
                    "docker-archive:" + imageTar + ":busybox:latest"));
            exec(List.of(DOCKER, "-H", "unix://" + config.socket(), "load", "-q", "-i", imageTar.toString()));

            Map<String, Tool> tools = new LinkedHashMap<>();
            ContainerService svc = engine.containers();
            Map<String, List<Long>> phases = new LinkedHashMap<>();
            for (String ph : List.of("create", "start", "wait", "remove")) {
                phases.put(ph, new ArrayList<>());
            }
            tools.put("berth Java API (create/start/wait/rm)", () -> {
                long t0 = System.nanoTime();
                Container c = svc.create(CreateRequest.builder("busybox:latest").cmd("true").networkMode("none").build());
                long t1 = System.nanoTime();
                svc.start(c.id());
                long t2 = System.nanoTime();
                int code = svc.wait(c.id(), ContainerService.WaitCondition.NOT_RUNNING, Duration.ofSeconds(60));
                long t3 = System.nanoTime();
                svc.remove(c.id(), false, false);
                long t4 = System.nanoTime();
                phases.get("create").add((t1 - t0) / 1000);
                phases.get("start").add((t2 - t1) / 1000);
                phases.get("wait").add((t3 - t2) / 1000);
                phases.get("remove").add((t4 - t3) / 1000);
                if (code != 0) {
                    throw new IllegalStateException("busybox true exited " + code);
                }
            });
            List<String> berthCli = List.of(DOCKER, "-H", "unix://" + config.socket(), "run", "--rm", "--network", "none",
                    "busybox:latest", "true");
            tools.put("docker CLI -> berth", () -> exec(berthCli));
            Path bundle = runcBundle(work.resolve("runc-bundle"));
            Path runcRoot = work.resolve("runc-state");
            int[] seq = {0};
            tools.put("bare runc run (prepared bundle)", () -> exec(List.of("runc", "--root", runcRoot.toString(), "run",
                    "--bundle", bundle.toString(), "bench-" + ProcessHandle.current().pid() + "-" + seq[0]++)));
            Map<String, String> notes = new LinkedHashMap<>();
            if (dockerd != null) {
                List<String> d = List.of(DOCKER, "-H", "unix://" + dockerd);
                String why = trySetup(() -> {
                    exec(concat(d, "load", "-q", "-i", imageTar.toString()));
                    exec(concat(d, "run", "--rm", "--network", "none", "busybox:latest", "true"));
                });
                if (why == null) {
                    List<String> run = concat(d, "run", "--rm", "--network", "none", "busybox:latest", "true");
                    tools.put("docker CLI -> dockerd", () -> exec(run));
                } else {
                    notes.put("docker CLI -> dockerd", why);
                }
            }
            if (!podman.isEmpty()) {
                List<String> p = podman;
                String why = trySetup(() -> {
                    exec(concat(p, "load", "-q", "-i", imageTar.toString()));
                    exec(concat(p, "run", "--rm", "--network", "none", "busybox:latest", "true"));
                });
                if (why == null) {
                    List<String> run = concat(p, "run", "--rm", "--network", "none", "busybox:latest", "true");
                    tools.put("podman run --rm", () -> exec(run));
                } else {
                    notes.put("podman run --rm", why);
                }
            }

            Map<String, List<Long>> times = new LinkedHashMap<>();
            tools.keySet().forEach(k -> times.put(k, new ArrayList<>()));
            for (int round = 0; round < rounds + WARMUP; round++) {
                for (Map.Entry<String, Tool> t : tools.entrySet()) {
                    long start = System.nanoTime();
                    t.getValue().run();
                    long ms = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
                    if (round >= WARMUP) {
                        times.get(t.getKey()).add(ms);
                    }
                }
            }
            System.out.println();
            System.out.printf("== busybox true, run to exit: %d rounds (after %d warm-up), alternating, on %d cores%n",
                    rounds, WARMUP, Runtime.getRuntime().availableProcessors());
            System.out.printf("%-40s %10s %10s %10s%n", "path", "median ms", "p95 ms", "min ms");
            Map<String, Double> medians = new LinkedHashMap<>();
            times.forEach((k, v) -> {
                medians.put(k, percentile(v, 50));
                System.out.printf("%-40s %10.1f %10.1f %10.1f%n", k, percentile(v, 50), percentile(v, 95), percentile(v, 0));
            });
            notes.forEach((k, why) -> System.out.printf("%-40s not run: %s%n", k, why));
            StringBuilder split = new StringBuilder("Java API phases (median ms, warm-up included):");
            phases.forEach((k, v) -> split.append(String.format(Locale.ROOT, " %s %.1f", k, percentile(v, 50))));
            System.out.println(split);
            double runc = medians.get("bare runc run (prepared bundle)");
            double java = medians.get("berth Java API (create/start/wait/rm)");
            double cli = medians.get("docker CLI -> berth");
            System.out.printf("Java API / bare runc: %.2f (target <= 2.5)%n", java / runc);
            result("java_api_ms", java);
            result("runc_ms", runc);
            result("cli_berth_ms", cli);
            Double docker = medians.get("docker CLI -> dockerd");
            if (docker != null) {
                System.out.printf("docker CLI -> berth / docker CLI -> dockerd: %.2f (target <= 0.5)%n", cli / docker);
                result("cli_dockerd_ms", docker);
            }
            Double pod = medians.get("podman run --rm");
            if (pod != null) {
                result("podman_ms", pod);
            }

            if (concurrent > 0) {
                api.close();
                api = null;
                engine = concurrentRun(engine, config, concurrent);
            }
        } finally {
            if (api != null) {
                api.close();
            }
            engine.close();
        }
    }

    /** Part 2: N detached containers at once, an engine restart, then all stopped. Returns the engine now running. */
    private static Engine concurrentRun(Engine engine, EngineConfig config, int n) throws Exception {
        ContainerService svc = engine.containers();
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    long start = System.nanoTime();
                    Container c = svc.create(CreateRequest.builder("busybox:latest").name("bench-" + k)
                            .cmd("sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait").networkMode("none").stopTimeout(10).build());
                    ids.add(c.id());
                    svc.start(c.id());
                    latencies.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
                } catch (Exception e) {
                    failures.add("bench-" + k + ": " + e.getMessage());
                }
            }));
        }
        long all = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - all);
        List<Long> lat = new ArrayList<>(latencies);
        int running = svc.list(ContainerFilter.RUNNING).size();
        System.out.println();
        System.out.printf("== %d detached containers started at once (Java API create+start), wall %d ms%n", n, wall);
        System.out.printf("started: %d of %d, running: %d%s%n", lat.size(), n, running,
                failures.isEmpty() ? "" : ", failures: " + failures);
        double p50 = percentile(lat, 50);
        double p95 = percentile(lat, 95);
        System.out.printf("start latency median %.1f ms, p95 %.1f ms, max %.1f ms: p95 / median %.2f (target <= 2.0)%n",
                p50, p95, percentile(lat, 100), p95 / p50);
        result("concurrent_started", lat.size());
        result("concurrent_p50_ms", p50);
        result("concurrent_p95_ms", p95);

        long closeStart = System.nanoTime();
        engine.close();
        long restartStart = System.nanoTime();
        Engine again = Engine.start(config);
        long restartMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartStart);
        ContainerService svc2 = again.containers();
        long conmons = ProcessHandle.allProcesses().filter(ph -> ph.info().command().orElse("").endsWith("conmon")
                && ph.info().arguments().map(a -> String.join(" ", a).contains(config.root().toString())).orElse(false)).count();
        System.out.printf("conmon processes of this engine's containers after the restart: %d%n", conmons);
        int runningAfter = svc2.list(ContainerFilter.RUNNING).size();
        System.out.printf("engine closed in %d ms and started again in %d ms: %d of %d reported running%n",
                TimeUnit.NANOSECONDS.toMillis(restartStart - closeStart), restartMs, runningAfter, lat.size());
        result("restart_ms", restartMs);
        result("running_after_restart", runningAfter);

        ConcurrentLinkedQueue<Long> stops = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> stopFailures = new ConcurrentLinkedQueue<>();
        List<Thread> stoppers = new ArrayList<>();
        for (String id : ids) {
            stoppers.add(Thread.ofPlatform().start(() -> {
                long start = System.nanoTime();
                try {
                    svc2.stop(id, null);
                    stops.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
                } catch (RuntimeException e) {
                    stopFailures.add(id.substring(0, 12) + ": " + e.getMessage());
                }
            }));
        }
        for (Thread t : stoppers) {
            t.join();
        }
        List<Long> stopTimes = new ArrayList<>(stops);
        Map<String, Integer> exitCodes = new java.util.TreeMap<>();
        for (String id : ids) {
            ContainerState st = svc2.inspect(id).state();
            exitCodes.merge(st.status().name().toLowerCase(Locale.ROOT) + " " + st.exitCode(), 1, Integer::sum);
        }
        System.out.printf("after the stops (status exit-code: count): %s%n", exitCodes);
        long stillRunning = svc2.list(ContainerFilter.RUNNING).size();
        double maxStop = percentile(stopTimes, 100);
        System.out.printf("stopped %d (timeout 10 s each, all at once): median %.1f ms, max %.1f ms, %s; still running: %d%s%n",
                stopTimes.size(), percentile(stopTimes, 50), maxStop, maxStop <= 10_000 + 1_000 ? "all within their timeout" : "SOME OVER THEIR TIMEOUT",
                stillRunning, stopFailures.isEmpty() ? "" : ", failures: " + stopFailures);
        result("stopped", stopTimes.size());
        result("stop_max_ms", maxStop);
        List<Thread> removers = new ArrayList<>();
        for (String id : ids) {
            removers.add(Thread.ofPlatform().start(() -> svc2.remove(id, true, false)));
        }
        for (Thread t : removers) {
            t.join();
        }
        return again;
    }

    @FunctionalInterface
    private interface Tool {
        void run() throws Exception;
    }

    private static String trySetup(Tool setup) {
        try {
            setup.run();
            return null;
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    private static void result(String key, double value) {
        System.out.println(String.format(Locale.ROOT, "RESULT %s %.1f", key, value));
    }

    /** Nearest-rank percentile of microsecond samples, in milliseconds. */
    private static double percentile(List<Long> micros, int p) {
        if (micros.isEmpty()) {
            return Double.NaN;
        }
        List<Long> s = new ArrayList<>(micros);
        Collections.sort(s);
        int rank = p == 0 ? 1 : (int) Math.ceil(p / 100.0 * s.size());
        return s.get(Math.min(s.size(), Math.max(1, rank)) - 1) / 1000.0;
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    /** Runs {@code cmd} to exit, output discarded unless it fails. */
    private static void exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": "
                    + new String(out, StandardCharsets.UTF_8).strip());
        }
    }

    /** A runc bundle with a busybox-static rootfs that runs {@code /bin/true}, made from {@code runc spec}. */
    private static Path runcBundle(Path bundle) throws IOException, InterruptedException {
        Path rootfs = bundle.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        for (String d : List.of("proc", "sys", "dev", "tmp", "etc")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
        Files.createSymbolicLink(rootfs.resolve("bin/true"), Path.of("busybox"));
        Files.createSymbolicLink(rootfs.resolve("bin/sh"), Path.of("busybox"));
        Process spec = new ProcessBuilder("runc", "spec").directory(bundle.toFile()).inheritIO().start();
        if (spec.waitFor() != 0) {
            throw new IOException("runc spec failed");
        }
        ObjectNode cfg = (ObjectNode) Json.mapper().readTree(bundle.resolve("config.json").toFile());
        ObjectNode process = (ObjectNode) cfg.get("process");
        process.put("terminal", false);
        ArrayNode a = process.putArray("args");
        a.add("/bin/true");
        // the engine's own hard limit is the ceiling (MACHINE.md): runc spec's default RLIMIT_NOFILE is 1024, fine
        Files.write(bundle.resolve("config.json"), Json.toBytes(cfg));
        return bundle;
    }
}
