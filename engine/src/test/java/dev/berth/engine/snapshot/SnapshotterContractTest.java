package dev.berth.engine.snapshot;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.layer.Changeset;
import dev.berth.engine.layer.LayerApplier;
import dev.berth.engine.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link Snapshotter} must do, proven against the real kernel: each implementation
 * extends this class and says how to open one on a root directory (opening again on the same
 * root stands for an engine restart).
 */
public abstract class SnapshotterContractTest {

    @TempDir
    protected Path tmp;

    /** Opens the snapshotter under test on {@code root}, as an engine start does (cleanup included). */
    protected abstract Snapshotter open(Path root);

    protected Path root() {
        return tmp.resolve("snapshots-root");
    }

    private static Path writable(Mounts m) {
        return m.upperDir().orElseThrow();
    }

    /** Relative path → file content, or "dir/" for directories, of everything under {@code dir}. */
    protected static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(dir)) {
                    continue;
                }
                String rel = dir.relativize(p).toString();
                out.put(rel, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir/"
                        : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p) : "other");
            }
        }
        return out;
    }

    protected static Path mountPoint(Path tmp, String name) throws IOException {
        return Files.createDirectories(tmp.resolve("mnt-" + name));
    }

    protected static boolean mountedAt(Path target) {
        return Mounter.isMountPoint(target);
    }

    @Test
    void prepareGivesAnEmptyWritableSnapshotAndCommitMakesItAParent() throws IOException {
        Snapshotter s = open(root());
        Mounts m = s.prepare("layer-1", null);
        assertThat(tree(writable(m))).isEmpty();
        Files.writeString(writable(m).resolve("hello"), "world");

        s.commit("sha256:one", "layer-1");

        assertThat(s.stat("sha256:one").kind()).isEqualTo(Snapshotter.Kind.COMMITTED);
        assertThatThrownBy(() -> s.stat("layer-1")).isInstanceOf(EngineException.NotFound.class);
        Mounts child = s.prepare("container", "sha256:one");
        assertThat(s.stat("container").parent()).isEqualTo("sha256:one");
        assertThat(s.stat("container").kind()).isEqualTo(Snapshotter.Kind.ACTIVE);
        assertThat(child.type()).isEqualTo("overlay");
        assertThat(child.lowerDirs()).hasSize(1);
        assertThat(tree(child.lowerDirs().getFirst())).containsExactly(Map.entry("hello", "world"));
        assertThat(tree(writable(child))).isEmpty();
    }

    @Test
    void badRequestsAreRefusedWithTheirCategory() {
        Snapshotter s = open(root());
        s.prepare("a", null);
        assertThatThrownBy(() -> s.prepare("a", null)).isInstanceOf(EngineException.AlreadyExists.class);
        assertThatThrownBy(() -> s.prepare("b", "missing")).isInstanceOf(EngineException.NotFound.class)
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> s.prepare("b", "a")).isInstanceOf(EngineException.FailedPrecondition.class)
                .hasMessageContaining("not committed");
        s.commit("c", "a");
        assertThatThrownBy(() -> s.mounts("c")).isInstanceOf(EngineException.FailedPrecondition.class);
        assertThatThrownBy(() -> s.commit("d", "c")).isInstanceOf(EngineException.FailedPrecondition.class);
        s.prepare("e", "c");
        assertThatThrownBy(() -> s.commit("c", "e")).isInstanceOf(EngineException.AlreadyExists.class);
        assertThatThrownBy(() -> s.remove("nope")).isInstanceOf(EngineException.NotFound.class);
    }

    @Test
    void removingAParentInUseIsRefusedUntilItsChildrenAreGone() {
        Snapshotter s = open(root());
        s.prepare("l1", null);
        s.commit("base", "l1");
        s.prepare("container", "base");

        assertThatThrownBy(() -> s.remove("base")).isInstanceOf(EngineException.FailedPrecondition.class)
                .hasMessageContaining("parent of container");
        assertThat(s.stat("base").kind()).isEqualTo(Snapshotter.Kind.COMMITTED);

        s.remove("container");
        s.remove("base");
        List<String> keys = new ArrayList<>();
        s.walk(i -> keys.add(i.key()));
        assertThat(keys).isEmpty();
    }

    @Test
    void snapshotsSurviveARestartAndWalkListsThemAll() {
        Snapshotter s = open(root());
        s.prepare("l1", null, Map.of("purpose", "test"));
        s.commit("base", "l1");
        s.prepare("container", "base");
        s.view("peek", "base");

        Snapshotter again = open(root());
        List<Snapshotter.Info> infos = new ArrayList<>();
        again.walk(infos::add);

        assertThat(infos).extracting(Snapshotter.Info::key).containsExactly("base", "container", "peek");
        assertThat(infos).extracting(Snapshotter.Info::kind).containsExactly(Snapshotter.Kind.COMMITTED,
                Snapshotter.Kind.ACTIVE, Snapshotter.Kind.VIEW);
        assertThat(again.stat("base").labels()).containsEntry("purpose", "test");
    }

    @Test
    void usageCountsBytesAndInodesOfTheSnapshotsOwnLayer() throws IOException {
        Snapshotter s = open(root());
        Mounts m = s.prepare("l1", null);
        Files.createDirectories(writable(m).resolve("d"));
        Files.write(writable(m).resolve("d/a"), new byte[1000]);
        Files.write(writable(m).resolve("b"), new byte[234]);
        Files.createLink(writable(m).resolve("b-again"), writable(m).resolve("b"));

        assertThat(s.usage("l1")).isEqualTo(new Snapshotter.Usage(1234, 3));
        s.commit("base", "l1");
        assertThat(s.usage("base")).isEqualTo(new Snapshotter.Usage(1234, 3));
    }

    @Test
    void crashBetweenExtractionAndCommitLeavesNothingCommitted() throws IOException {
        Snapshotter s = open(root());
        byte[] tar = new LayerTars().file("half", "written").tar();
        Digest chain = ChainIds.next(null, Digest.sha256(tar));
        Mounts m = s.prepare("extract-1 " + chain, null, Map.of(Snapshotter.TRANSIENT_LABEL, "true"));
        LayerApplier.overlay().apply(new java.io.ByteArrayInputStream(tar), writable(m), "layer");
        // the engine dies here, before commit

        Snapshotter restarted = open(root());

        assertThatThrownBy(() -> restarted.stat("extract-1 " + chain)).isInstanceOf(EngineException.NotFound.class);
        assertThatThrownBy(() -> restarted.stat(chain.toString())).isInstanceOf(EngineException.NotFound.class);
        assertThat(new Unpacker(restarted, LayerApplier.overlay()).isCommitted(chain)).isFalse();
        assertThat(Files.exists(writable(m))).isFalse();
        List<String> keys = new ArrayList<>();
        restarted.walk(i -> keys.add(i.key()));
        assertThat(keys).isEmpty();
    }

    @Test
    void activeSnapshotsOfContainersSurviveCleanup() throws IOException {
        Snapshotter s = open(root());
        Mounts m = s.prepare("container-rootfs", null);
        Files.writeString(writable(m).resolve("data"), "keep");

        Snapshotter restarted = open(root());

        assertThat(restarted.stat("container-rootfs").kind()).isEqualTo(Snapshotter.Kind.ACTIVE);
        assertThat(Files.readString(writable(restarted.mounts("container-rootfs")).resolve("data"))).isEqualTo("keep");
    }

    /** Three layers unpacked with the real applier: layer 2 deletes a file, layer 3 replaces a directory. */
    private Digest threeLayers(Snapshotter s) {
        Unpacker u = new Unpacker(s, LayerApplier.overlay());
        return u.unpack(List.of(
                LayerTars.layer("l1", new LayerTars().dir("etc").file("etc/passwd", "root").file("etc/group", "wheel")
                        .dir("var/cache").file("var/cache/a", "A").dir("var/cache/b").file("var/cache/b/c", "C")
                        .file("bin/sh", "#!").tar()),
                LayerTars.layer("l2", new LayerTars().dir("etc").file("etc/.wh.group", "").tar()),
                LayerTars.layer("l3", new LayerTars().dir("var/cache").file("var/cache/.wh..wh..opq", "")
                        .file("var/cache/new", "N").tar())));
    }

    private static final Map<String, String> MERGED = Map.of(
            "bin", "dir/", "bin/sh", "#!",
            "etc", "dir/", "etc/passwd", "root",
            "var", "dir/", "var/cache", "dir/", "var/cache/new", "N");

    @Test
    void overlayOfThreeLayersShowsExactlyTheMergedTreeAndWritesGoToTheUpperDir() throws IOException {
        Snapshotter s = open(root());
        Digest top = threeLayers(s);
        Mounts m = s.prepare("container", top.toString());
        assertThat(m.lowerDirs()).hasSize(3);
        Map<String, Map<String, String>> lowersBefore = new TreeMap<>();
        for (Path l : m.lowerDirs()) {
            lowersBefore.put(l.toString(), tree(l));
        }
        Path target = mountPoint(tmp, "container");

        Mounter.mount(m, target);
        try {
            assertThat(mountedAt(target)).isTrue();
            assertThat(tree(target)).isEqualTo(MERGED);

            Files.writeString(target.resolve("hello"), "new file");
            Files.delete(target.resolve("etc/passwd"));
            Files.writeString(target.resolve("bin/sh"), "#!changed");
        } finally {
            Mounter.unmount(target);
        }

        assertThat(mountedAt(target)).isFalse();
        Path upper = writable(m);
        assertThat(Files.readString(upper.resolve("hello"))).isEqualTo("new file");
        assertThat(Files.readString(upper.resolve("bin/sh"))).isEqualTo("#!changed");
        for (Path l : m.lowerDirs()) {
            assertThat(tree(l)).as("lower %s is untouched", l).isEqualTo(lowersBefore.get(l.toString()));
        }
        assertThat(Changeset.changes(m.lowerDirs(), upper)).containsExactly(
                new Changeset.Change(Changeset.Kind.MODIFIED, "/bin"),
                new Changeset.Change(Changeset.Kind.MODIFIED, "/bin/sh"),
                new Changeset.Change(Changeset.Kind.MODIFIED, "/etc"),
                new Changeset.Change(Changeset.Kind.DELETED, "/etc/passwd"),
                new Changeset.Change(Changeset.Kind.ADDED, "/hello"));
    }

    @Test
    void viewIsReadOnlyAndShowsTheMergedTree() throws IOException {
        Snapshotter s = open(root());
        Digest top = threeLayers(s);
        Mounts m = s.view("peek", top.toString());
        Path target = mountPoint(tmp, "view");

        Mounter.mount(m, target);
        try {
            assertThat(tree(target)).isEqualTo(MERGED);
            assertThatThrownBy(() -> Files.writeString(target.resolve("x"), "no"))
                    .isInstanceOf(IOException.class).hasMessageContaining("Read-only");
        } finally {
            Mounter.unmount(target);
        }
        assertThat(mountedAt(target)).isFalse();
    }

    @Test
    void aMountedSnapshotCannotBeRemoved() throws IOException {
        Snapshotter s = open(root());
        Digest top = threeLayers(s);
        Mounts m = s.prepare("container", top.toString());
        Path target = mountPoint(tmp, "busy");
        Mounter.mount(m, target);
        try {
            assertThatThrownBy(() -> s.remove("container")).isInstanceOf(EngineException.FailedPrecondition.class)
                    .hasMessageContaining("mounted");
        } finally {
            Mounter.unmount(target);
        }
        s.remove("container");
        assertThatThrownBy(() -> s.stat("container")).isInstanceOf(EngineException.NotFound.class);
    }

    @Test
    void eachLayerIsUnpackedOnceAndSharedByImagesThatHaveIt() {
        Snapshotter s = open(root());
        Unpacker u = new Unpacker(s, LayerApplier.overlay());
        byte[] base = new LayerTars().file("base", "b").tar();
        AtomicInteger baseOpens = new AtomicInteger();
        Unpacker.Layer baseLayer = new Unpacker.Layer(Digest.sha256(base), "base", () -> {
            baseOpens.incrementAndGet();
            return new java.io.ByteArrayInputStream(base);
        });

        Digest app1 = u.unpack(List.of(baseLayer, LayerTars.layer("app1", new LayerTars().file("app", "1").tar())));
        Digest app2 = u.unpack(List.of(baseLayer, LayerTars.layer("app2", new LayerTars().file("app", "2").tar())));

        assertThat(baseOpens).hasValue(1);
        assertThat(app1).isNotEqualTo(app2);
        assertThat(s.stat(app1.toString()).parent()).isEqualTo(Digest.sha256(base).toString());
        assertThat(s.stat(app2.toString()).parent()).isEqualTo(Digest.sha256(base).toString());
        List<String> keys = new ArrayList<>();
        s.walk(i -> keys.add(i.key()));
        assertThat(keys).containsExactlyInAnyOrder(Digest.sha256(base).toString(), app1.toString(), app2.toString());
    }

    @Test
    void aLayerWhoseDiffIdDoesNotMatchIsNotCommittedAndLeavesNothing() {
        Snapshotter s = open(root());
        Unpacker u = new Unpacker(s, LayerApplier.overlay());
        byte[] tar = new LayerTars().file("x", "y").tar();
        Digest lie = Digest.sha256(new byte[] {1});

        assertThatThrownBy(() -> u.unpack(List.of(new Unpacker.Layer(lie, "sha256:blob", () -> new java.io.ByteArrayInputStream(tar)))))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("sha256:blob")
                .hasMessageContaining("DiffID");

        List<String> keys = new ArrayList<>();
        s.walk(i -> keys.add(i.key()));
        assertThat(keys).isEmpty();
    }
}
