package dev.berth.engine.build;

import com.sun.net.httpserver.HttpServer;
import dev.berth.engine.build.context.BuildContext;
import dev.berth.engine.container.ContainerFilter;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.snapshot.ChainIds;
import dev.berth.engine.snapshot.Mounter;
import dev.berth.testkit.LocalImages;
import dev.berth.testkit.Mounts;
import dev.berth.testkit.RootOnly;
import dev.berth.testkit.TempEngine;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ADD <url>} against a JDK HTTP server on 127.0.0.1, on real runc and overlayfs. Needs root. */
@RootOnly
class BuilderAddUrlTest {

    static final Instant LAST_MODIFIED = Instant.parse("2024-03-05T06:07:08Z");

    @TempDir
    static Path work;
    static TempEngine temp;
    static HttpServer server;
    /** Path → body served; a path ending in {@code .lm} is also sent with {@link #LAST_MODIFIED}. */
    static final Map<String, byte[]> served = new ConcurrentHashMap<>();
    static final AtomicInteger requests = new AtomicInteger();
    static final java.util.concurrent.CountDownLatch slowHit = new java.util.concurrent.CountDownLatch(1);
    static final java.util.concurrent.CountDownLatch slowRelease = new java.util.concurrent.CountDownLatch(1);
    static final java.util.concurrent.CountDownLatch gateHit = new java.util.concurrent.CountDownLatch(1);
    static final java.util.concurrent.CountDownLatch gateRelease = new java.util.concurrent.CountDownLatch(1);

    @TempDir
    Path ctx;
    final List<BuildProgress> events = new ArrayList<>();
    final List<BuildResult> made = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        temp = TempEngine.start();
        LocalImages.busybox(temp.engine(), work.resolve("image"), "busybox:latest");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/gate/", ex -> {
            gateHit.countDown();
            try {
                gateRelease.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "through the gate\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/slow/", ex -> {
            slowHit.countDown();
            ex.sendResponseHeaders(200, 10_000_000);
            ex.getResponseBody().write(new byte[1024]);
            ex.getResponseBody().flush();
            try {
                slowRelease.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            String path = ex.getRequestURI().getPath();
            byte[] body = served.get(path);
            if (body == null) {
                byte[] msg = "nothing here\n".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(404, msg.length);
                ex.getResponseBody().write(msg);
            } else {
                if (path.contains(".lm")) {
                    ex.getResponseHeaders().add("Last-Modified",
                            DateTimeFormatter.RFC_1123_DATE_TIME.format(LAST_MODIFIED.atZone(ZoneOffset.UTC)));
                }
                if (path.endsWith("/")) {
                    ex.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"report.txt\"");
                }
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        slowRelease.countDown();
        gateRelease.countDown();
        if (server != null) {
            server.stop(0);
        }
        if (temp != null) {
            temp.close();
        }
    }

    @AfterEach
    void nothingLeft() throws IOException {
        for (Digest id : made.stream().map(BuildResult::imageId).distinct().toList()) {
            temp.engine().imageService().remove(id.toString(), true, false);
        }
        served.clear();
        assertThat(temp.engine().containers().list(ContainerFilter.ALL)).isEmpty();
        assertThat(Mounts.mountPointsUnder(temp.root())).isEmpty();
        try (Stream<Path> left = Files.list(temp.root().resolve("build/mnt"))) {
            assertThat(left.toList()).as("downloads left in the build's scratch directory").isEmpty();
        }
    }

    static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    BuildResult build(String dockerfile) throws Exception {
        Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
        try (BuildContext c = BuildContext.fromDirectory(ctx)) {
            BuildResult r = temp.engine().builder().build(BuildRequest.of(c), events::add);
            made.add(r);
            return r;
        }
    }

    /** A file of an image read through a read-only view: its bytes, mode and mtime; null when absent. */
    record Seen(byte[] content, int mode, Instant mtime, boolean regular) {}

    static Seen file(Digest image, String path) throws IOException {
        var record = temp.engine().images().get(image).orElseThrow();
        String key = "test-view-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        var m = temp.engine().snapshots().view(key, ChainIds.top(record.diffIds()).toString());
        Path mnt = work.resolve(key);
        Files.createDirectories(mnt);
        Mounter.mount(m, mnt);
        try {
            Path f = mnt.resolve(path.substring(1));
            if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            boolean regular = Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS);
            return new Seen(regular ? Files.readAllBytes(f) : null,
                    (Integer) Files.getAttribute(f, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777,
                    Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant(), regular);
        } finally {
            Mounter.unmount(mnt);
            temp.engine().snapshots().remove(key);
        }
    }

    static byte[] tarOf(String name, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            byte[] body = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(body.length);
            out.putArchiveEntry(e);
            out.write(body);
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    static String sha256(byte[] b) {
        return Digest.sha256(b).toString();
    }

    @Test
    void aDownloadIsNamedFromTheUrlMode0600WithItsLastModifiedTimeAndNeverExtracted() throws Exception {
        byte[] tar = tarOf("inner.txt", "inside the archive\n");
        served.put("/files/bundle.lm.tar", tar);
        BuildResult r = build("FROM busybox\nADD --checksum=" + sha256(tar) + " " + url("/files/bundle.lm.tar") + " /dl/\n");
        Seen f = file(r.imageId(), "/dl/bundle.lm.tar");
        assertThat(f).as("the download, by the URL's file name").isNotNull();
        assertThat(f.content()).isEqualTo(tar);
        assertThat(f.mode()).isEqualTo(0600);
        assertThat(f.mtime()).isEqualTo(LAST_MODIFIED);
        assertThat(file(r.imageId(), "/dl/inner.txt")).as("a downloaded tar is not extracted").isNull();
        var history = temp.engine().imageService().inspect(r.imageId().toString()).config().history();
        // a download is named by its hash alone, as dockerd 20.10 writes it
        assertThat(history.getLast().createdBy()).isEqualTo("/bin/sh -c #(nop) ADD " + Digest.sha256(tar).encoded()
                + " in /dl/ ");
    }

    @Test
    void aDestinationWithoutSlashNamesTheFileAndContentDispositionNamesAnUnnamedUrl() throws Exception {
        byte[] a = "first\n".getBytes(StandardCharsets.UTF_8);
        byte[] b = "second\n".getBytes(StandardCharsets.UTF_8);
        served.put("/a.txt", a);
        served.put("/reports/", b);
        BuildResult r = build("FROM busybox\nADD " + url("/a.txt") + " /etc/renamed.conf\nADD " + url("/reports/") + " /out/\n");
        assertThat(file(r.imageId(), "/etc/renamed.conf").content()).isEqualTo(a);
        Seen report = file(r.imageId(), "/out/report.txt");
        assertThat(report.content()).isEqualTo(b);
        assertThat(report.mode()).isEqualTo(0600);
    }

    @Test
    void aChecksumMismatchFailsNamingBothDigestsAndWritesNothing() throws Exception {
        byte[] body = "the real content\n".getBytes(StandardCharsets.UTF_8);
        served.put("/tampered.bin", body);
        String wrong = sha256("what the author expected\n".getBytes(StandardCharsets.UTF_8));
        int imagesBefore = temp.engine().images().list().size();
        assertThatThrownBy(() -> build("FROM busybox\nADD --checksum=" + wrong + " " + url("/tampered.bin") + " /x/\n"))
                .isInstanceOf(EngineException.FailedPrecondition.class)
                .hasMessageContaining("step 2/2")
                .hasMessageContaining("expected " + wrong)
                .hasMessageContaining(sha256(body));
        assertThat(temp.engine().images().list()).as("no image was made").hasSize(imagesBefore);
    }

    @Test
    void theCacheIsKeyedOnTheDownloadedContent() throws Exception {
        served.put("/data.txt", "version one\n".getBytes(StandardCharsets.UTF_8));
        String df = "FROM busybox\nADD " + url("/data.txt") + " /data.txt\nRUN cat /data.txt\n";
        BuildResult first = build(df);
        int before = requests.get();
        BuildResult second = build(df);
        assertThat(requests.get()).as("the URL is fetched again to learn its content").isGreaterThan(before);
        assertThat(second.steps().get(1).cached()).isTrue();
        assertThat(second.imageId()).isEqualTo(first.imageId());

        served.put("/data.txt", "version two\n".getBytes(StandardCharsets.UTF_8));
        events.clear();
        BuildResult third = build(df);
        assertThat(third.steps().get(1).cached()).as("changed content at the same URL").isFalse();
        assertThat(third.steps().get(2).cached()).isFalse();
        assertThat(events).contains(new BuildProgress.Output(3, "version two", false));
    }

    @Test
    void anErrorStatusFailsTheStepNamingTheUrlAndTheStatus() {
        assertThatThrownBy(() -> build("FROM busybox\nADD " + url("/missing.txt") + " /m.txt\n"))
                .isInstanceOf(EngineException.FailedPrecondition.class)
                .hasMessageContaining(url("/missing.txt")).hasMessageContaining("status 404");
    }

    @Test
    void aCancelDuringADownloadEndsTheBuildAndDeletesThePartialFile() throws Exception {
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nADD " + url("/slow/big.bin") + " /big.bin\n");
        Throwable[] outcome = new Throwable[1];
        Thread builder = Thread.ofPlatform().start(() -> {
            try (BuildContext c = BuildContext.fromDirectory(ctx)) {
                temp.engine().builder().build(BuildRequest.of(c), events::add);
            } catch (Throwable t) {
                outcome[0] = t;
            }
        });
        try {
            assertThat(slowHit.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("the download began").isTrue();
            builder.interrupt();
            builder.join(60_000); // a bound on a hang, not a performance figure
            assertThat(builder.isAlive()).as("the build ended").isFalse();
            assertThat(outcome[0]).isInstanceOf(InterruptedException.class);
        } finally {
            slowRelease.countDown();
            builder.join(60_000);
        }
    }

    @Test
    void aPruneWhileABuildWaitsOnADownloadLeavesTheImagesThatBuildMade() throws Exception {
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nRUN echo before > /before.txt\nADD "
                + url("/gate/x.txt") + " /x.txt\n");
        BuildResult[] result = new BuildResult[1];
        Throwable[] failure = new Throwable[1];
        Thread builder = Thread.ofPlatform().start(() -> {
            try (BuildContext c = BuildContext.fromDirectory(ctx)) {
                result[0] = temp.engine().builder().build(BuildRequest.of(c), events::add);
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        try {
            assertThat(gateHit.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("the download began").isTrue();
            // step 2's image is untagged, childless and used by no container: only the running build needs it
            Builder.CachePruneReport report = temp.engine().builder().pruneCache(Builder.CachePruneOptions.DANGLING);
            assertThat(report.spaceReclaimed()).isLessThan(64 * 1024);
        } finally {
            gateRelease.countDown();
            builder.join(60_000);
        }
        assertThat(failure[0]).isNull();
        made.add(result[0]);
        assertThat(file(result[0].imageId(), "/before.txt").content()).isEqualTo("before\n".getBytes(StandardCharsets.UTF_8));
        assertThat(file(result[0].imageId(), "/x.txt").content()).isEqualTo("through the gate\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fileNamesComeFromTheUrlPathOrContentDisposition() {
        assertThat(RemoteSource.fileName("/a/b/tool%20x.tgz", null)).isEqualTo("tool x.tgz");
        assertThat(RemoteSource.fileName("/dir/", "attachment; filename=\"r.txt\"")).isEqualTo("r.txt");
        assertThat(RemoteSource.fileName("/dir/", "attachment; filename=\"../../etc/passwd\"")).isEqualTo("passwd");
        assertThat(RemoteSource.fileName("", null)).isEmpty();
        assertThat(RemoteSource.fileName("/x/%2e%2e", null)).isEmpty();
    }
}
