package dev.berth.engine.layer;

import dev.berth.engine.layer.Changeset.Change;
import dev.berth.engine.layer.Changeset.Kind;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ChangesetTest {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private final LayerApplier applier = LayerApplier.overlay();

    @TempDir
    Path tmp;

    @Test
    void diffThenApplyReproducesTheTree() throws IOException {
        Path a = Files.createDirectories(tmp.resolve("a"));
        applier.apply(new ByteArrayInputStream(new Tars()
                .dir("usr/bin", 0750, 1000, 1001)
                .file("usr/bin/su", "#!/bin/sh\n", 04755, 0, 0)
                .hardlink("usr/bin/su-again", "usr/bin/su")
                .symlink("usr/bin/sh", "/bin/busybox")
                .dir("tmp", 01777, 0, 0)
                .device("dev/null", TarConstants.LF_CHR, 0666, 1, 3)
                .device("run/fifo", TarConstants.LF_FIFO, 0600, 0, 0)
                .withXattr("etc/labelled", "x", "user.comment", "hello")
                .file("etc/.wh.shadow", "")
                .dir("var/cache", 0755, 0, 0)
                .file("var/cache/.wh..wh..opq", "")
                .file("var/cache/" + "long-name-".repeat(20), "long")
                .tar()), a, "original");
        byte[] cap = HexFormat.of().parseHex("0100000280200000000000000000000000000000");
        Posix.lsetxattr(a.resolve("usr/bin/su"), "security.capability", cap);

        ByteArrayOutputStream layer = new ByteArrayOutputStream();
        Changeset.diff(List.of(), a, layer);
        Path b = Files.createDirectories(tmp.resolve("b"));
        applier.apply(new ByteArrayInputStream(layer.toByteArray()), b, "diffed");

        assertThat(describe(b)).isEqualTo(describe(a)).containsKeys("usr/bin/su", "etc/shadow", "dev/null", "var/cache",
                "usr/bin/sh", "run/fifo");
        assertThat(inode(b, "usr/bin/su-again")).isEqualTo(inode(b, "usr/bin/su"));
        assertThat(Posix.lgetxattr(b.resolve("usr/bin/su"), "security.capability")).hasValueSatisfying(
                v -> assertThat(v).isEqualTo(cap));
    }

    @Test
    void changesListAddedModifiedAndDeletedPathsAgainstTheLowers() throws IOException {
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        applier.apply(new ByteArrayInputStream(new Tars()
                .file("etc/passwd", "root")
                .file("etc/group", "root")
                .file("var/cache/old1", "1")
                .file("var/cache/old2", "2")
                .tar()), lower, "base");
        // an upper dir as overlayfs leaves it: copied-up parents, a whiteout, an opaque directory
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/passwd"), "root\nuser");
        Posix.mknod(upper.resolve("etc/group"), Posix.S_IFCHR, 0, 0, 0);
        Files.writeString(upper.resolve("etc/new"), "new");
        Files.createDirectories(upper.resolve("var/cache"));
        Posix.lsetxattr(upper.resolve("var/cache"), "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(upper.resolve("var/cache/old2"), "recreated");
        Files.createDirectories(upper.resolve("home/user"));

        List<Change> changes = Changeset.changes(List.of(lower), upper);

        assertThat(changes).containsExactly(
                new Change(Kind.MODIFIED, "/etc"),
                new Change(Kind.DELETED, "/etc/group"),
                new Change(Kind.ADDED, "/etc/new"),
                new Change(Kind.MODIFIED, "/etc/passwd"),
                new Change(Kind.ADDED, "/home"),
                new Change(Kind.ADDED, "/home/user"),
                new Change(Kind.MODIFIED, "/var"),
                new Change(Kind.MODIFIED, "/var/cache"),
                new Change(Kind.DELETED, "/var/cache/old1"),
                new Change(Kind.ADDED, "/var/cache/old2"));
    }

    @Test
    void diffWritesWhiteoutsAndOpaqueMarkersInDockerForm() throws IOException {
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Files.createDirectories(upper.resolve("etc"));
        Posix.mknod(upper.resolve("etc/group"), Posix.S_IFCHR, 0, 0, 0);
        Files.createDirectories(upper.resolve("var/cache"));
        Posix.lsetxattr(upper.resolve("var/cache"), "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
        Files.setLastModifiedTime(upper.resolve("etc"), FileTime.from(Tars.T0));

        ByteArrayOutputStream layer = new ByteArrayOutputStream();
        Changeset.diff(List.of(), upper, layer);

        TarReader r = new TarReader(new ByteArrayInputStream(layer.toByteArray()));
        Map<String, TarEntry> entries = new TreeMap<>();
        TarEntry e;
        while ((e = r.next()) != null) {
            entries.put(e.name(), e);
        }
        assertThat(entries.keySet()).containsExactly("etc/", "etc/.wh.group", "var/", "var/cache/", "var/cache/.wh..wh..opq");
        assertThat(entries.get("var/cache/").xattrs()).doesNotContainKey("trusted.overlay.opaque");
        assertThat(entries.get("etc/").mtime().toInstant()).isEqualTo(Tars.T0);
    }

    private static long inode(Path root, String rel) throws IOException {
        return (long) Files.getAttribute(root.resolve(rel), "unix:ino", NOFOLLOW);
    }

    /** Every path with type, mode, owner, mtime (seconds), device, link target, content and xattrs. */
    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(root)) {
                    continue; // the snapshot directory itself is not part of the layer
                }
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,nlink,lastModifiedTime", NOFOLLOW);
                StringBuilder d = new StringBuilder();
                d.append(Integer.toOctalString((int) a.get("mode"))).append(' ').append(a.get("uid")).append(':')
                        .append(a.get("gid")).append(" rdev=").append(a.get("rdev")).append(" nlink=").append(a.get("nlink"))
                        .append(" mtime=").append(((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond());
                if (Files.isSymbolicLink(p)) {
                    d.append(" -> ").append(Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p, NOFOLLOW)) {
                    d.append(" content=").append(Files.readString(p));
                }
                for (String x : Posix.llistxattr(p)) {
                    d.append(' ').append(x).append('=').append(HexFormat.of().formatHex(Posix.lgetxattr(p, x).orElseThrow()));
                }
                out.put(root.relativize(p).toString(), d.toString());
            }
        }
        return out;
    }
}
