package dev.berth.engine.build;

import dev.berth.engine.build.context.BuildContext;
import dev.berth.testkit.LocalImages;
import dev.berth.testkit.TempEngine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The build benchmark of issue #6, run by {@code bench/build.sh} (not part of the test suite).
 * {@code BuildBench WORK ROUNDS}: a 14-step Dockerfile on the busybox fixture (config steps, two COPYs,
 * three RUNs) built cold once per round with {@code --no-cache}, and rebuilt fully cached; the engine's
 * own time through the Java API, median and worst. Prints {@code RESULT key value} lines and a table.
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

    private BuildBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: BuildBench WORK ROUNDS");
            System.exit(2);
        }
        Path work = Path.of(args[0]).toAbsolutePath();
        int rounds = Integer.parseInt(args[1]);
        Path ctx = Files.createDirectories(work.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), DOCKERFILE);
        Files.writeString(ctx.resolve("a.txt"), "alpha\n");
        Files.createDirectories(ctx.resolve("src"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(ctx.resolve("src/file" + i + ".txt"), "content " + i + "\n".repeat(i));
        }
        try (TempEngine temp = TempEngine.start()) {
            LocalImages.busybox(temp.engine(), work.resolve("image"), "busybox:latest");
            Builder builder = temp.engine().builder();
            List<Long> cold = new ArrayList<>();
            List<Long> cached = new ArrayList<>();
            for (int round = -1; round < rounds; round++) { // round -1 warms the JVM up
                long t0 = System.nanoTime();
                try (BuildContext c = BuildContext.fromDirectory(ctx)) {
                    BuildResult r = builder.build(BuildRequest.of(c).withNoCache(true).withTags("bench:latest"), e -> { });
                    if (r.steps().size() != 14) {
                        throw new IllegalStateException("expected 14 steps, got " + r.steps().size());
                    }
                }
                long t1 = System.nanoTime();
                try (BuildContext c = BuildContext.fromDirectory(ctx)) {
                    BuildResult r = builder.build(BuildRequest.of(c).withTags("bench:latest"), e -> { });
                    if (!r.fullyCached()) {
                        throw new IllegalStateException("the rebuild was not fully cached: " + r.steps());
                    }
                }
                long t2 = System.nanoTime();
                if (round >= 0) {
                    cold.add(t1 - t0);
                    cached.add(t2 - t1);
                }
            }
            report("cold", cold);
            report("cached", cached);
        }
    }

    private static void report(String what, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2) / 1e9;
        double worst = sorted.getLast() / 1e9;
        System.out.printf("RESULT build_%s_median_s %.4f%n", what, median);
        System.out.printf("RESULT build_%s_max_s %.4f%n", what, worst);
        System.out.printf("%-8s median %8.4f s   max %8.4f s   (%d rounds)%n", what, median, worst, nanos.size());
    }
}
