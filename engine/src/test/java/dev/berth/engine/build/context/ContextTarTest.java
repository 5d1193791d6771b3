package dev.berth.engine.build.context;

import dev.berth.engine.errors.EngineException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContextTarTest {

    @TempDir
    Path tmp;

    /** Context tars written with Apache Commons Compress: an independent writer, able to write hostile names. */
    static final class Tar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes);

        Tar() {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        Tar dir(String name) {
            return put(new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR), 0755, null);
        }

        Tar file(String name, String content) {
            return file(name, content, 0644);
        }

        Tar file(String name, String content, int mode) {
            return put(new TarArchiveEntry(name, TarConstants.LF_NORMAL, true), mode, content.getBytes(StandardCharsets.UTF_8));
        }

        Tar symlink(String name, String target) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
            e.setLinkName(target);
            return put(e, 0777, null);
        }

        Tar hardlink(String name, String target) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
            e.setLinkName(target);
            return put(e, 0644, null);
        }

        Tar fifo(String name) {
            return put(new TarArchiveEntry(name, TarConstants.LF_FIFO, true), 0644, null);
        }

        private Tar put(TarArchiveEntry e, int mode, byte[] content) {
            try {
                e.setMode(mode);
                e.setUserId(1000);
                e.setGroupId(1000);
                if (content != null) {
                    e.setSize(content.length);
                }
                out.putArchiveEntry(e);
                if (content != null) {
                    out.write(content);
                }
                out.closeArchiveEntry();
                return this;
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }

        byte[] bytes() {
            try {
                out.finish();
                return bytes.toByteArray();
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }

        byte[] compressed(Function<OutputStream, OutputStream> compressor) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (OutputStream c = compressor.apply(b)) {
                c.write(bytes());
            }
            return b.toByteArray();
        }
    }

    private BuildContext extract(byte[] tar) {
        return BuildContext.fromTar(new ByteArrayInputStream(tar), tmp.resolve("ctx"));
    }

    /** Everything under {@code tmp}, to prove a refused tar wrote nothing outside its directory. */
    private List<String> everythingUnderTmp() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            return s.map(p -> tmp.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void anUploadedTarBecomesAContextAndIsDeletedOnClose() throws IOException {
        byte[] tar = new Tar().file("Dockerfile", "FROM busybox\nCOPY app /app\n").dir("app").file("app/run.sh", "echo hi\n", 0755)
                .symlink("app/link", "run.sh").file(".dockerignore", "*.tmp\n").file("junk.tmp", "x").bytes();
        Path dir;
        try (BuildContext c = extract(tar)) {
            dir = c.root();
            assertThat(new String(c.dockerfile(null), StandardCharsets.UTF_8)).startsWith("FROM busybox");
            Path run = dir.resolve("app/run.sh");
            assertThat(Files.readString(run)).isEqualTo("echo hi\n");
            assertThat(Files.getAttribute(run, "unix:mode")).isEqualTo(0100755);
            assertThat(Files.getAttribute(run, "unix:uid")).isEqualTo(1000);
            assertThat(Files.readSymbolicLink(dir.resolve("app/link"))).isEqualTo(Path.of("run.sh"));
            assertThatThrownBy(() -> c.sources("junk.tmp")).isInstanceOf(EngineException.NotFound.class);
            assertThat(c.sources("app/link")).extracting(ContextSource::path).containsExactly("app/run.sh");
        }
        assertThat(dir).doesNotExist();
    }

    /**
     * A directory keeps the time its tar entry gives, though entries written into it later changed it: COPY keeps the
     * context's times, so a copied directory's subdirectories carry the client's times, as with dockerd 20.10.
     */
    @Test
    void directoriesKeepTheirArchiveTimesAfterTheirContentsAreWritten() throws IOException {
        java.util.Date t2020 = java.util.Date.from(java.time.Instant.parse("2020-01-02T03:04:05Z"));
        java.util.Date t2021 = java.util.Date.from(java.time.Instant.parse("2021-06-07T08:09:10Z"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            for (String[] e : new String[][] {{"a/", "d"}, {"a/b/", "d"}, {"a/b/f", "f"}, {"a/g", "f"}}) {
                TarArchiveEntry entry = new TarArchiveEntry(e[0], e[1].equals("d") ? TarConstants.LF_DIR : TarConstants.LF_NORMAL, true);
                entry.setMode(e[1].equals("d") ? 0755 : 0644);
                entry.setModTime(e[0].equals("a/b/") ? t2021 : t2020);
                entry.setSize(e[1].equals("d") ? 0 : 2);
                out.putArchiveEntry(entry);
                if (e[1].equals("f")) {
                    out.write("x\n".getBytes(StandardCharsets.UTF_8));
                }
                out.closeArchiveEntry();
            }
        }
        try (BuildContext c = extract(bytes.toByteArray())) {
            assertThat(Files.getLastModifiedTime(c.root().resolve("a")).toInstant()).isEqualTo(t2020.toInstant());
            assertThat(Files.getLastModifiedTime(c.root().resolve("a/b")).toInstant()).isEqualTo(t2021.toInstant());
            assertThat(Files.getLastModifiedTime(c.root().resolve("a/b/f")).toInstant()).isEqualTo(t2020.toInstant());
        }
    }

    @Test
    void gzipAndBzip2ContextsAreAccepted() throws IOException {
        Tar t = new Tar().file("Dockerfile", "FROM a\n");
        byte[] gz = t.compressed(o -> {
            try {
                return new GZIPOutputStream(o);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try (BuildContext c = extract(gz)) {
            assertThat(c.dockerfile(null)).asString(StandardCharsets.UTF_8).isEqualTo("FROM a\n");
        }
        byte[] bz = new Tar().file("Dockerfile", "FROM b\n").compressed(o -> {
            try {
                return new BZip2CompressorOutputStream(o);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try (BuildContext c = extract(bz)) {
            assertThat(c.dockerfile(null)).asString(StandardCharsets.UTF_8).isEqualTo("FROM b\n");
        }
    }

    @Test
    void anEntryClimbingOutWithDotDotIsRefusedAndNothingLandsOutside() throws IOException {
        byte[] tar = new Tar().file("Dockerfile", "FROM a\n").file("../escaped", "pwned").bytes();
        assertThatThrownBy(() -> extract(tar)).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("build context entry \"../escaped\" climbs out of the build context with \"..\"");
        assertThat(everythingUnderTmp()).doesNotContain("escaped");
        assertThat(tmp.resolve("ctx")).as("a refused tar leaves nothing half-extracted").doesNotExist();
        byte[] deep = new Tar().file("a/b/../../../escaped2", "pwned").bytes();
        assertThatThrownBy(() -> BuildContext.fromTar(new ByteArrayInputStream(deep), tmp.resolve("ctx2")))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("climbs out");
        assertThat(everythingUnderTmp()).doesNotContain("escaped2");
    }

    @Test
    void anAbsoluteEntryNameStaysInsideTheContext() throws IOException {
        byte[] tar = new Tar().file("/etc/berth-test-file", "inside").bytes();
        try (BuildContext c = extract(tar)) {
            assertThat(Files.readString(c.root().resolve("etc/berth-test-file"))).isEqualTo("inside");
        }
        assertThat(Path.of("/etc/berth-test-file")).doesNotExist();
    }

    @Test
    void anEntryUnderASymlinkIsRefusedAndNotWrittenThroughIt() throws IOException {
        Path victim = Files.createDirectories(tmp.resolve("victim"));
        byte[] tar = new Tar().symlink("out", victim.toString()).file("out/planted", "pwned").bytes();
        assertThatThrownBy(() -> extract(tar)).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("build context entry \"out/planted\" lies under \"out\", a symbolic link; a context entry is never written through a link");
        assertThat(victim.resolve("planted")).doesNotExist();
        byte[] relative = new Tar().symlink("up", "..").file("up/planted2", "pwned").bytes();
        assertThatThrownBy(() -> BuildContext.fromTar(new ByteArrayInputStream(relative), tmp.resolve("ctx3")))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("a symbolic link");
        assertThat(tmp.resolve("planted2")).doesNotExist();
    }

    @Test
    void aFileReplacingASymlinkReplacesTheLinkNotItsTarget() throws IOException {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "original");
        byte[] tar = new Tar().symlink("f", victim.toString()).file("f", "replaced").bytes();
        try (BuildContext c = extract(tar)) {
            assertThat(Files.isSymbolicLink(c.root().resolve("f"))).isFalse();
            assertThat(Files.readString(c.root().resolve("f"))).isEqualTo("replaced");
        }
        assertThat(Files.readString(victim)).isEqualTo("original");
    }

    @Test
    void hardlinksMustNameAnEarlierFileInsideTheContext() throws IOException {
        byte[] ok = new Tar().file("a", "data").hardlink("b", "a").bytes();
        try (BuildContext c = extract(ok)) {
            assertThat(Files.readString(c.root().resolve("b"))).isEqualTo("data");
            assertThat(Files.getAttribute(c.root().resolve("a"), "unix:nlink")).isEqualTo(2);
        }
        Path outside = Files.writeString(tmp.resolve("host-file"), "host");
        byte[] escape = new Tar().hardlink("h", "../host-file").bytes();
        assertThatThrownBy(() -> BuildContext.fromTar(new ByteArrayInputStream(escape), tmp.resolve("c2")))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("build context entry \"h\" links to \"../host-file\", which climbs out of the build context");
        byte[] viaLink = new Tar().symlink("l", tmp.toString()).hardlink("h", "l/host-file").bytes();
        assertThatThrownBy(() -> BuildContext.fromTar(new ByteArrayInputStream(viaLink), tmp.resolve("c3")))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("a symbolic link");
        byte[] missing = new Tar().hardlink("h", "nothing").bytes();
        assertThatThrownBy(() -> BuildContext.fromTar(new ByteArrayInputStream(missing), tmp.resolve("c4")))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("not an earlier file");
        assertThat(Files.getAttribute(outside, "unix:nlink")).isEqualTo(1);
    }

    @Test
    void hostileSymlinksInAnUploadedContextAreRefusedOnlyWhenUsedAsSources() throws IOException {
        byte[] tar = new Tar().file("Dockerfile", "FROM a\n").symlink("passwd", "/etc/passwd").symlink("up", "../../..")
                .dir("d").symlink("d/inner", "../../outside").file("d/ok", "fine").bytes();
        try (BuildContext c = extract(tar)) {
            assertThatThrownBy(() -> c.sources("passwd")).isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessageContaining("passwd -> /etc/passwd, an absolute path outside the build context");
            assertThatThrownBy(() -> c.sources("up/etc/passwd")).isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessageContaining("the symbolic link up -> ../../.. leads out of it");
            List<String> seen = new ArrayList<>();
            for (ContextSource s : c.sources("d")) {
                c.walk(s, e -> seen.add(e.relative() + ":" + e.type() + ":" + e.linkTarget()));
            }
            assertThat(seen).containsExactly(":DIRECTORY:", "inner:SYMLINK:../../outside", "ok:FILE:");
        }
    }

    @Test
    void devicesAndFifosAreRefused() {
        byte[] tar = new Tar().fifo("pipe").bytes();
        assertThatThrownBy(() -> extract(tar)).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("build context entry \"pipe\" is a fifo; a build context may hold files, directories and links only");
    }

    @Test
    void aCorruptOrTruncatedTarIsRefusedClearly() {
        byte[] good = new Tar().file("Dockerfile", "FROM a\n").file("big", "x".repeat(5000)).bytes();
        byte[] truncated = Arrays.copyOf(good, 1700);
        assertThatThrownBy(() -> extract(truncated)).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("the build context is not a valid tar archive (at entry \"big\"): the archive ends in the middle of entry 2");
        byte[] garbage = "this is not a tar archive at all, just some text that is long enough".repeat(10).getBytes();
        assertThatThrownBy(() -> BuildContext.fromTar(new ByteArrayInputStream(garbage), tmp.resolve("g")))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageStartingWith("the build context is not a valid tar archive: tar header");
    }

    @Test
    void theScratchDirectoryMustBeEmpty() throws IOException {
        Path used = Files.createDirectories(tmp.resolve("used"));
        Files.writeString(used.resolve("keep"), "mine");
        assertThatThrownBy(() -> BuildContext.fromTar(new ByteArrayInputStream(new Tar().bytes()), used))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("it is not empty");
        assertThat(Files.readString(used.resolve("keep"))).isEqualTo("mine");
    }

    @Test
    void theArchiveWriterLeavesOutExcludedFilesButAlwaysSendsTheDockerfile() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("Dockerfile"), "FROM a\nCOPY . /\n");
        Files.writeString(src.resolve(".dockerignore"), "Dockerfile\n.dockerignore\n*.log\nsecrets\n!secrets/public.txt\n");
        Files.writeString(src.resolve("app.txt"), "app");
        Files.writeString(src.resolve("debug.log"), "log");
        Files.createDirectories(src.resolve("secrets"));
        Files.writeString(src.resolve("secrets/key.pem"), "private");
        Files.writeString(src.resolve("secrets/public.txt"), "public");
        Files.createSymbolicLink(src.resolve("hostile"), Path.of("/etc/passwd"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ContextArchive.write(src, null, out);
        try (BuildContext c = extract(out.toByteArray())) {
            Path r = c.root();
            assertThat(r.resolve("Dockerfile")).exists();
            assertThat(r.resolve(".dockerignore")).exists();
            assertThat(r.resolve("app.txt")).exists();
            assertThat(r.resolve("debug.log")).doesNotExist();
            assertThat(r.resolve("secrets/key.pem")).doesNotExist();
            assertThat(r.resolve("secrets/public.txt")).exists();
            assertThat(Files.readSymbolicLink(r.resolve("hostile"))).isEqualTo(Path.of("/etc/passwd"));
            assertThat(Files.exists(r.resolve("hostile"), LinkOption.NOFOLLOW_LINKS)).isTrue();
            // the builder reads the Dockerfile, COPY does not see it
            assertThat(c.dockerfile(null)).isNotEmpty();
            assertThatThrownBy(() -> c.sources("Dockerfile")).isInstanceOf(EngineException.NotFound.class);
            // same content, same key, wherever the context came from
            try (BuildContext d = BuildContext.fromDirectory(src)) {
                assertThat(c.checksum(c.sources("app.txt"))).isEqualTo(d.checksum(d.sources("app.txt")));
                assertThat(c.checksum(c.sources("secrets"))).isEqualTo(d.checksum(d.sources("secrets")));
            }
        }
    }
}
