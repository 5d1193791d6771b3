package dev.berth.engine.layer;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Digest;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OverlayApplierTest {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private final LayerApplier applier = LayerApplier.overlay();

    @TempDir
    Path tmp;

    private Path snapshot() throws IOException {
        return Files.createDirectories(tmp.resolve("snap-" + System.nanoTime()));
    }

    private static Map<String, Object> unix(Path p) throws IOException {
        return Files.readAttributes(p, "unix:mode,uid,gid,rdev,ino,lastModifiedTime", NOFOLLOW);
    }

    private static int mode(Path p) throws IOException {
        return (int) unix(p).get("mode");
    }

    @Test
    void appliesEveryEntryTypeWithOwnersModesTimesAndXattrs() throws IOException {
        byte[] tar = new Tars()
                .dir("usr", 0755, 0, 0)
                .dir("usr/bin", 0750, 1000, 1001)
                .file("usr/bin/su", "#!/bin/sh\n", 04755, 0, 0)
                .file("usr/bin/group", "g", 02711, 12, 34)
                .dir("tmp", 01777, 0, 0)
                .symlink("usr/bin/sh", "/bin/busybox")
                .hardlink("usr/bin/su2", "usr/bin/su")
                .device("dev/null", TarConstants.LF_CHR, 0666, 1, 3)
                .device("dev/loop0", TarConstants.LF_BLK, 0660, 7, 0)
                .device("run/fifo", TarConstants.LF_FIFO, 0600, 0, 0)
                .withXattr("etc/labelled", "x", "user.comment", "hello world")
                .tar();
        Path root = snapshot();

        ApplyResult r = applier.apply(new ByteArrayInputStream(tar), root, "test-layer");

        assertThat(r.compression()).isEqualTo(Compression.NONE);
        assertThat(r.diffId()).isEqualTo(Digest.sha256(tar));
        assertThat(r.size()).isEqualTo(tar.length);
        Path su = root.resolve("usr/bin/su");
        assertThat(Files.readString(su)).isEqualTo("#!/bin/sh\n");
        assertThat(mode(su)).isEqualTo(Posix.S_IFREG | 04755);
        assertThat(mode(root.resolve("usr/bin/group"))).isEqualTo(Posix.S_IFREG | 02711);
        assertThat(unix(root.resolve("usr/bin/group"))).containsEntry("uid", 12).containsEntry("gid", 34);
        assertThat(mode(root.resolve("tmp"))).isEqualTo(Posix.S_IFDIR | 01777);
        Path bin = root.resolve("usr/bin");
        assertThat(mode(bin)).isEqualTo(Posix.S_IFDIR | 0750);
        assertThat(unix(bin)).containsEntry("uid", 1000).containsEntry("gid", 1001);
        // directory times are set after their contents were written
        assertThat(Files.getLastModifiedTime(bin, NOFOLLOW).toInstant()).isEqualTo(Tars.T0);
        Path sh = root.resolve("usr/bin/sh");
        assertThat(Files.isSymbolicLink(sh)).isTrue();
        assertThat(Files.readSymbolicLink(sh)).isEqualTo(Path.of("/bin/busybox"));
        assertThat(Files.getLastModifiedTime(sh, NOFOLLOW).toInstant()).isEqualTo(Tars.T0);
        assertThat(unix(root.resolve("usr/bin/su2")).get("ino")).isEqualTo(unix(su).get("ino"));
        Map<String, Object> devNull = unix(root.resolve("dev/null"));
        assertThat((int) devNull.get("mode")).isEqualTo(Posix.S_IFCHR | 0666);
        assertThat(Posix.major((long) devNull.get("rdev"))).isEqualTo(1);
        assertThat(Posix.minor((long) devNull.get("rdev"))).isEqualTo(3);
        Map<String, Object> loop = unix(root.resolve("dev/loop0"));
        assertThat((int) loop.get("mode")).isEqualTo(Posix.S_IFBLK | 0660);
        assertThat(Posix.major((long) loop.get("rdev"))).isEqualTo(7);
        assertThat(mode(root.resolve("run/fifo"))).isEqualTo(Posix.S_IFIFO | 0600);
        // a parent that the tar never listed is created 0755
        assertThat(mode(root.resolve("dev"))).isEqualTo(Posix.S_IFDIR | 0755);
        assertThat(Posix.lgetxattr(root.resolve("etc/labelled"), "user.comment"))
                .hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("hello world"));
        assertThat(Files.getLastModifiedTime(su, NOFOLLOW).toInstant()).isEqualTo(Tars.T0);
    }

    @Test
    void binaryCapabilityXattrAndSubsecondTimesSurviveExactly() throws IOException {
        // vfs_cap_data v2 granting cap_setuid (bit 7) and cap_net_raw (bit 13): bytes >= 0x80 included
        byte[] cap = HexFormat.of().parseHex("0100000280200000000000000000000000000000");
        Instant mtime = Instant.parse("2022-01-02T03:04:05.123456789Z");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(b)) {
            byte[] content = "ping".getBytes(StandardCharsets.UTF_8);
            w.write(new TarEntry("bin/ping", TarEntry.Type.FILE, 0755, 0, 0, content.length, FileTime.from(mtime), null,
                    "", 0, 0, Map.of("security.capability", cap)), new ByteArrayInputStream(content));
        }
        Path root = snapshot();

        applier.apply(new ByteArrayInputStream(b.toByteArray()), root, "cap-layer");

        assertThat(Posix.lgetxattr(root.resolve("bin/ping"), "security.capability")).hasValueSatisfying(
                v -> assertThat(v).isEqualTo(cap));
        assertThat(Files.getLastModifiedTime(root.resolve("bin/ping"), NOFOLLOW).toInstant()).isEqualTo(mtime);
    }

    @Test
    void whiteoutsBecomeCharDevicesAndOpaqueMarkersBecomeXattrs() throws IOException {
        byte[] tar = new Tars()
                .dir("etc", 0755, 0, 0)
                .file("etc/.wh.passwd", "")
                .dir("var/cache", 0755, 0, 0)
                .file("var/cache/.wh..wh..opq", "")
                .file("var/cache/fresh", "new")
                .file("a/.wh..wh.plnk", "")
                .tar();
        Path root = snapshot();

        applier.apply(new ByteArrayInputStream(tar), root, "wh-layer");

        Map<String, Object> wh = unix(root.resolve("etc/passwd"));
        assertThat((int) wh.get("mode") & Posix.S_IFMT).isEqualTo(Posix.S_IFCHR);
        assertThat(wh.get("rdev")).isEqualTo(0L);
        assertThat(wh).containsEntry("uid", 0).containsEntry("gid", 0);
        assertThat(Files.exists(root.resolve("etc/.wh.passwd"), NOFOLLOW)).isFalse();
        assertThat(Posix.lgetxattr(root.resolve("var/cache"), "trusted.overlay.opaque"))
                .hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.US_ASCII)).isEqualTo("y"));
        assertThat(Files.exists(root.resolve("var/cache/.wh..wh..opq"), NOFOLLOW)).isFalse();
        assertThat(Files.readString(root.resolve("var/cache/fresh"))).isEqualTo("new");
        assertThat(Files.exists(root.resolve("a/.wh..wh.plnk"), NOFOLLOW)).isFalse();
    }

    @Test
    void laterEntryReplacesEarlierOneWithoutWritingThroughASymlink() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path canary = Files.writeString(outside.resolve("canary"), "precious");
        byte[] tar = new Tars()
                .symlink("victim", canary.toString())
                .file("victim", "overwritten?")
                .tar();
        Path root = snapshot();

        applier.apply(new ByteArrayInputStream(tar), root, "replace-layer");

        assertThat(Files.isSymbolicLink(root.resolve("victim"))).isFalse();
        assertThat(Files.readString(root.resolve("victim"))).isEqualTo("overwritten?");
        assertThat(Files.readString(canary)).isEqualTo("precious");
    }

    @Test
    void hardlinkToASymlinkLinksTheLinkItselfNotItsTarget() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path canary = Files.writeString(outside.resolve("canary"), "precious");
        byte[] tar = new Tars().symlink("s", canary.toString()).hardlink("h", "s").file("h", "replaced").tar();
        Path root = snapshot();

        applier.apply(new ByteArrayInputStream(tar), root, "hardlinked-symlink");

        assertThat(Files.readString(canary)).isEqualTo("precious");
        assertThat(Files.getAttribute(canary, "unix:nlink")).isEqualTo(1);
        assertThat(Files.readSymbolicLink(root.resolve("s"))).isEqualTo(canary);
        assertThat(Files.readString(root.resolve("h"))).isEqualTo("replaced");
    }

    @Test
    void overlayBookkeepingXattrsInATarAreIgnored() throws IOException {
        byte[] tar = new Tars().withXattr("d/f", "x", "trusted.overlay.redirect", "/etc").tar();
        Path root = snapshot();

        applier.apply(new ByteArrayInputStream(tar), root, "sneaky");

        assertThat(Posix.llistxattr(root.resolve("d/f"))).doesNotContain("trusted.overlay.redirect");
    }

    @Test
    void symlinkMayPointAnywhereBecauseItIsOnlyStored() throws IOException {
        byte[] tar = new Tars().symlink("etc/mtab", "../../../../proc/self/mounts").symlink("root", "/").tar();
        Path root = snapshot();

        applier.apply(new ByteArrayInputStream(tar), root, "links");

        assertThat(Files.readSymbolicLink(root.resolve("etc/mtab"))).isEqualTo(Path.of("../../../../proc/self/mounts"));
        assertThat(Files.readSymbolicLink(root.resolve("root"))).isEqualTo(Path.of("/"));
    }

    @Test
    void leadingSlashIsTreatedAsRelativeToTheSnapshot() throws IOException {
        byte[] tar = new Tars().file("/etc/hostname", "box").file("./etc/../etc/hosts", "h").tar();
        Path root = snapshot();

        applier.apply(new ByteArrayInputStream(tar), root, "abs");

        assertThat(Files.readString(root.resolve("etc/hostname"))).isEqualTo("box");
        assertThat(Files.readString(root.resolve("etc/hosts"))).isEqualTo("h");
    }

    /** A hostile layer, built against the directory that lies outside the snapshot. */
    record Hostile(String description, String expectedInMessage, Function<Path, byte[]> tar) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Hostile> hostileLayers() {
        return Stream.of(
                new Hostile("../escape", "climbs out", o -> new Tars().file("../escape", "x").tar()),
                new Hostile("/abs/../../escape", "climbs out", o -> new Tars().file("/abs/../../escape", "x").tar()),
                new Hostile("a -> / then a/<outside>/x", "symbolic link \"a\"",
                        o -> new Tars().symlink("a", "/").file("a" + o + "/x", "x").tar()),
                new Hostile("a -> ../../.. then a/x", "symbolic link \"a\"",
                        o -> new Tars().symlink("a", "../../..").file("a/x", "x").tar()),
                new Hostile("a -> outside then a/canary overwrite", "symbolic link \"a\"",
                        o -> new Tars().symlink("a", o.toString()).file("a/canary", "pwned").tar()),
                new Hostile("d -> outside then d/sub dir", "symbolic link \"d\"",
                        o -> new Tars().symlink("d", o.toString()).dir("d/sub", 0755, 0, 0).tar()),
                new Hostile("hardlink to ../../outside", "climbs out of the layer root",
                        o -> new Tars().hardlink("h", "../../outside/canary").tar()),
                new Hostile("hardlink through a symlink", "hard link through the symbolic link \"s\"",
                        o -> new Tars().symlink("s", o.toString()).hardlink("h", "s/canary").tar()),
                new Hostile("whiteout through a symlink", "symbolic link \"s\"",
                        o -> new Tars().symlink("s", o.toString()).file("s/.wh.canary", "").tar()),
                new Hostile("opaque marker through a symlink", "symbolic link \"s\"",
                        o -> new Tars().symlink("s", o.toString()).file("s/.wh..wh..opq", "").tar()),
                new Hostile("dir a replaced by a -> outside then a/x", "symbolic link \"a\"",
                        o -> new Tars().dir("a", 0755, 0, 0).symlink("a", o.toString()).file("a/canary", "pwned").tar()),
                new Hostile(".wh...", "invalid name \"..\"", o -> new Tars().file("x/.wh...", "").tar()),
                new Hostile(".wh..", "invalid name \".\"", o -> new Tars().file(".wh..", "").tar()),
                new Hostile(".wh.", "invalid name \"\"", o -> new Tars().file("x/.wh.", "").tar()),
                new Hostile("whiteout climbing with ..", "climbs out", o -> new Tars().file("../.wh.canary", "").tar()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileLayers")
    void hostileLayerIsRefusedAndNothingOutsideTheSnapshotChanges(Hostile hostile) throws IOException {
        // tmp/o1/o2/outside/snapshot: "../../.." from the snapshot stays inside tmp, where we can watch it
        Path outside = Files.createDirectories(tmp.resolve("o1/o2/outside"));
        Path canary = Files.writeString(outside.resolve("canary"), "precious");
        Path root = Files.createDirectories(outside.resolve("snapshot"));
        byte[] tar = hostile.tar().apply(outside);
        Map<String, String> before = listing(tmp, root);

        assertThatThrownBy(() -> applier.apply(new ByteArrayInputStream(tar), root, "sha256:hostile"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("sha256:hostile")
                .hasMessageContaining("entry \"")
                .hasMessageContaining(hostile.expectedInMessage());

        assertThat(Files.readString(canary)).isEqualTo("precious");
        assertThat(listing(tmp, root)).isEqualTo(before);
    }

    /** Every path under {@code dir} except the snapshot, with its type, size and mtime. */
    private static Map<String, String> listing(Path dir, Path exclude) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.startsWith(exclude)) {
                    continue;
                }
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime,ino", NOFOLLOW);
                out.put(dir.relativize(p).toString(), a.get("mode") + " " + a.get("size") + " " + a.get("ino")
                        + (Files.isDirectory(p, NOFOLLOW) ? "" : " " + a.get("lastModifiedTime")));
            }
        }
        return out;
    }

    @Test
    void gzipZstdAndPlainLayersHaveTheSameDiffId() throws IOException {
        byte[] tar = new Tars().dir("a", 0755, 0, 0).file("a/b", "some content ".repeat(1000)).tar();

        ApplyResult plain = applier.apply(new ByteArrayInputStream(tar), snapshot(), "plain");
        ApplyResult gz = applier.apply(new ByteArrayInputStream(Tars.gzip(tar)), snapshot(), "gzip");
        ApplyResult zst = applier.apply(new ByteArrayInputStream(Tars.zstd(tar)), snapshot(), "zstd");

        assertThat(plain.diffId()).isEqualTo(Digest.sha256(tar));
        assertThat(gz.diffId()).isEqualTo(plain.diffId());
        assertThat(zst.diffId()).isEqualTo(plain.diffId());
        assertThat(gz.compression()).isEqualTo(Compression.GZIP);
        assertThat(zst.compression()).isEqualTo(Compression.ZSTD);
        assertThat(gz.compressedSize()).isEqualTo(Tars.gzip(tar).length).isLessThan(tar.length);
        assertThat(gz.size()).isEqualTo(tar.length);
    }

    @Test
    void layerIsReadAsItArrivesNotBufferedWhole() throws IOException {
        // a 64 MiB file delivered in small reads: extraction works within a bounded stream, and every byte is hashed
        long size = 64L << 20;
        Path root = snapshot();
        java.util.concurrent.atomic.AtomicBoolean extractedWhileArriving = new java.util.concurrent.atomic.AtomicBoolean();
        InputStream zeros = new InputStream() {
            long left = size;
            boolean waited;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                if (!waited && left <= size / 2) {
                    // half the layer has been sent: its bytes must already be on disk, not held in memory
                    waited = true;
                    extractedWhileArriving.set(awaitFileSize(root.resolve("big"), 1 << 20));
                }
                int n = (int) Math.min(Math.min(len, 1500), left);
                Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
        java.io.PipedInputStream in = new java.io.PipedInputStream(1 << 16);
        java.io.PipedOutputStream pipe = new java.io.PipedOutputStream(in);
        java.security.MessageDigest md = Digest.newSha256();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (java.security.DigestOutputStream d = new java.security.DigestOutputStream(pipe, md);
                 TarWriter w = new TarWriter(d)) {
                w.write(new TarEntry("big", TarEntry.Type.FILE, 0644, 0, 0, size, FileTime.from(Tars.T0), null, "", 0, 0,
                        Map.of()), zeros);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        ApplyResult r = applier.apply(in, root, "streamed");
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }

        assertThat(extractedWhileArriving).isTrue();
        assertThat(Files.size(root.resolve("big"))).isEqualTo(size);
        assertThat(r.diffId()).isEqualTo(Digest.of(md));
    }

    private static boolean awaitFileSize(Path file, long atLeast) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (Files.exists(file) && Files.size(file) >= atLeast) {
                    return true;
                }
                Thread.sleep(10);
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }
        return false;
    }

    @Test
    void truncatedGzipLayerIsReportedAsAnError() throws IOException {
        byte[] gz = Tars.gzip(new Tars().file("a", "x".repeat(100_000)).file("b", "y".repeat(10_000)).tar());
        byte[] cut = Arrays.copyOf(gz, gz.length - 20);

        assertThatThrownBy(() -> applier.apply(new ByteArrayInputStream(cut), snapshot(), "sha256:cut"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("sha256:cut")
                .hasMessageContaining("truncated");
    }

    @Test
    void truncatedZstdLayerIsReportedAsAnError() throws IOException {
        byte[] zst = Tars.zstd(new Tars().file("a", "x".repeat(100_000)).file("b", "y".repeat(10_000)).tar());
        byte[] cut = Arrays.copyOf(zst, zst.length / 2);

        assertThatThrownBy(() -> applier.apply(new ByteArrayInputStream(cut), snapshot(), "sha256:cutzstd"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("sha256:cutzstd")
                .hasMessageContaining("truncated");
    }

    @Test
    void truncatedPlainTarInsideAnEntryIsReportedAsAnError() throws IOException {
        byte[] tar = new Tars().file("a", "x".repeat(5000)).tar();
        byte[] cut = Arrays.copyOf(tar, 1024);

        assertThatThrownBy(() -> applier.apply(new ByteArrayInputStream(cut), snapshot(), "sha256:cut"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void notATarIsRefusedWithAClearMessage() {
        byte[] junk = "this is not a layer, just some text that is long enough to fill a header block".repeat(10)
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> applier.apply(new ByteArrayInputStream(junk), snapshot(), "sha256:junk"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("checksum");
    }
}
