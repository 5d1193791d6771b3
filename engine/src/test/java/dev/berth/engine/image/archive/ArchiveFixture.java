package dev.berth.engine.image.archive;

import dev.berth.engine.content.FilesystemContentStore;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.layer.LayerApplier;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.snapshot.Mounter;
import dev.berth.engine.snapshot.Mounts;
import dev.berth.engine.snapshot.OverlaySnapshotter;
import dev.berth.engine.snapshot.Unpacker;
import dev.berth.testkit.TestFiles;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** A content store, image store, snapshotter and unpacker on one directory, as the engine wires them. */
final class ArchiveFixture {

    final Path dir;
    final FilesystemContentStore content;
    final ImageStore images;
    final OverlaySnapshotter snapshots;
    final Unpacker unpacker;
    final EventBus events = new EventBus();
    final ImageArchives archives;

    ArchiveFixture(Path dir) {
        this.dir = dir;
        this.content = new FilesystemContentStore(dir.resolve("content"));
        this.images = new ImageStore(dir.resolve("image"));
        this.snapshots = OverlaySnapshotter.open(dir.resolve("snapshots"));
        this.unpacker = new Unpacker(snapshots, LayerApplier.overlay());
        this.archives = new ImageArchives(content, images, unpacker, events);
    }

    /** Mounts a read-only view of the committed chain {@code top}, runs {@code check} on it, unmounts. */
    void withRootfs(Digest top, Consumer<Path> check) {
        String key = "view-" + System.nanoTime();
        Mounts m = snapshots.view(key, top.toString());
        Path target = dir.resolve(key);
        try {
            Files.createDirectories(target);
            Mounter.mount(m, target);
            try {
                check.accept(target);
            } finally {
                Mounter.unmount(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            snapshots.remove(key);
        }
    }

    /** An uncompressed tar of everything under {@code root}, names relative to it. */
    static byte[] tarOf(Path root) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
             Stream<Path> walk = Files.walk(root)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path p : walk.sorted().toList()) {
                if (p.equals(root)) {
                    continue;
                }
                String name = root.relativize(p).toString();
                if (Files.isDirectory(p)) {
                    tar.putArchiveEntry(new TarArchiveEntry(name + "/"));
                } else {
                    TarArchiveEntry e = new TarArchiveEntry(name);
                    e.setSize(Files.size(p));
                    tar.putArchiveEntry(e);
                    Files.copy(p, tar);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Builds a tar entry by entry, names written exactly as given (hostile ones included). */
    static final class RawTar {
        private final List<TarArchiveEntry> entries = new ArrayList<>();
        private final List<byte[]> contents = new ArrayList<>();

        RawTar file(String name, byte[] content) {
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setSize(content.length);
            entries.add(e);
            contents.add(content);
            return this;
        }

        RawTar file(String name, String content) {
            return file(name, content.getBytes(StandardCharsets.UTF_8));
        }

        RawTar symlink(String name, String target) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
            e.setLinkName(target);
            entries.add(e);
            contents.add(new byte[0]);
            return this;
        }

        RawTar hardlink(String name, String target) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
            e.setLinkName(target);
            entries.add(e);
            contents.add(new byte[0]);
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(out);
            return out.toByteArray();
        }

        void write(OutputStream out) {
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (int i = 0; i < entries.size(); i++) {
                    tar.putArchiveEntry(entries.get(i));
                    tar.write(contents.get(i));
                    tar.closeArchiveEntry();
                }
                tar.finish();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void delete(Path p) {
        TestFiles.deleteTree(p);
    }
}
