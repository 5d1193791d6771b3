package dev.berth.engine.build.context;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuildContextTest {

    @TempDir
    Path tmp;

    private Path ctx;

    private Path file(String rel, String content) throws IOException {
        Path p = ctx.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    private void link(String rel, String target) throws IOException {
        Path p = ctx.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.createSymbolicLink(p, Path.of(target));
    }

    private BuildContext context() throws IOException {
        return BuildContext.fromDirectory(ctx);
    }

    private void setUp() throws IOException {
        ctx = Files.createDirectories(tmp.resolve("ctx"));
        file("Dockerfile", "FROM busybox\n");
        file("app/main.sh", "echo main\n");
        file("app/lib/util.sh", "echo util\n");
        file("notes.txt", "n\n");
        file("a.txt", "a\n");
        file("b.txt", "b\n");
    }

    private static List<String> walk(BuildContext c, String source) {
        List<String> out = new ArrayList<>();
        for (ContextSource s : c.sources(source)) {
            c.walk(s, e -> out.add(e.path() + (e.type() == ContextEntry.Type.SYMLINK ? " -> " + e.linkTarget() : "")));
        }
        return out;
    }

    @Test
    void sourcesResolveFilesDirectoriesAndWildcards() throws IOException {
        setUp();
        try (BuildContext c = context()) {
            assertThat(c.sources("app")).singleElement().satisfies(s -> {
                assertThat(s.path()).isEqualTo("app");
                assertThat(s.directory()).isTrue();
            });
            assertThat(c.sources("./app/../a.txt")).extracting(ContextSource::path).containsExactly("a.txt");
            assertThat(c.sources("/a.txt")).extracting(ContextSource::path).containsExactly("a.txt");
            assertThat(c.sources("*.txt")).extracting(ContextSource::path).containsExactly("a.txt", "b.txt", "notes.txt");
            assertThat(c.sources("?.txt")).extracting(ContextSource::path).containsExactly("a.txt", "b.txt");
            assertThat(c.sources("app/*/util.sh")).extracting(ContextSource::path).containsExactly("app/lib/util.sh");
            assertThat(walk(c, "app")).containsExactly("app", "app/lib", "app/lib/util.sh", "app/main.sh");
            assertThat(walk(c, ".")).startsWith("", "Dockerfile", "a.txt", "app");
        }
    }

    @Test
    void aMissingSourceOrAPathOutsideTheContextIsRefused() throws IOException {
        setUp();
        try (BuildContext c = context()) {
            assertThatThrownBy(() -> c.sources("nope.txt")).isInstanceOf(EngineException.NotFound.class)
                    .hasMessage("file not found in build context or excluded by .dockerignore: nope.txt");
            assertThatThrownBy(() -> c.sources("*.none")).isInstanceOf(EngineException.NotFound.class);
            assertThatThrownBy(() -> c.sources("a.txt/x")).isInstanceOf(EngineException.NotFound.class);
            assertThatThrownBy(() -> c.sources("../outside")).isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessage("COPY source ../outside is outside the build context");
        }
    }

    @Test
    void dockerignoreHidesSourcesButTheDockerfileIsStillReadable() throws IOException {
        setUp();
        file(".dockerignore", "*.txt\n!b.txt\nDockerfile\n.dockerignore\napp/lib\n");
        try (BuildContext c = context()) {
            assertThat(c.sources("*.txt")).extracting(ContextSource::path).containsExactly("b.txt");
            assertThatThrownBy(() -> c.sources("a.txt")).isInstanceOf(EngineException.NotFound.class);
            assertThatThrownBy(() -> c.sources("Dockerfile")).isInstanceOf(EngineException.NotFound.class);
            assertThatThrownBy(() -> c.sources(".dockerignore")).isInstanceOf(EngineException.NotFound.class);
            assertThat(new String(c.dockerfile(null), StandardCharsets.UTF_8)).isEqualTo("FROM busybox\n");
            assertThat(walk(c, ".")).containsExactly("", "app", "app/main.sh", "b.txt");
        }
    }

    @Test
    void theDockerfileFallsBackToLowerCaseAndANamedOneMustExist() throws IOException {
        ctx = Files.createDirectories(tmp.resolve("lower"));
        file("dockerfile", "FROM a\n");
        file("build/Dockerfile.dev", "FROM b\n");
        try (BuildContext c = context()) {
            assertThat(c.dockerfile("")).asString(StandardCharsets.UTF_8).isEqualTo("FROM a\n");
            assertThat(c.dockerfile("build/Dockerfile.dev")).asString(StandardCharsets.UTF_8).isEqualTo("FROM b\n");
            assertThatThrownBy(() -> c.dockerfile("Missing")).isInstanceOf(EngineException.NotFound.class)
                    .hasMessageContaining("Missing");
        }
    }

    @Test
    void linksInsideTheContextAreFollowedForSources() throws IOException {
        setUp();
        link("current", "app/lib");
        link("app/up", "../a.txt");
        try (BuildContext c = context()) {
            assertThat(c.sources("current/util.sh")).extracting(ContextSource::path).containsExactly("app/lib/util.sh");
            assertThat(c.sources("app/up")).extracting(ContextSource::path).containsExactly("a.txt");
        }
    }

    @Test
    void aSourceThroughALinkThatLeavesTheContextIsRefused() throws IOException {
        setUp();
        Path outside = Files.writeString(tmp.resolve("secret"), "top secret\n");
        link("dotdot", "../secret");
        link("abs", outside.toString());
        link("etc", "/etc");
        link("app/deep", "../../");
        link("chain", "dotdot");
        try (BuildContext c = context()) {
            assertThatThrownBy(() -> c.sources("dotdot")).isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessage("COPY source dotdot is outside the build context: the symbolic link dotdot -> ../secret leads out of it");
            assertThatThrownBy(() -> c.sources("abs")).isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessageContaining("goes through the symbolic link abs -> " + outside + ", an absolute path outside the build context");
            assertThatThrownBy(() -> c.sources("etc/passwd")).isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessageContaining("symbolic link etc -> /etc");
            assertThatThrownBy(() -> c.sources("app/deep/secret")).isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessageContaining("app/deep -> ../.. leads out of it");
            assertThatThrownBy(() -> c.sources("chain")).isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessageContaining("dotdot -> ../secret");
            // wildcards do not smuggle them in either
            assertThatThrownBy(() -> c.sources("dot*")).isInstanceOf(EngineException.InvalidArgument.class);
        }
    }

    @Test
    void hostileLinksThatAreMerelyPresentAreCopiedAsLinks() throws IOException {
        setUp();
        link("app/escape", "../../../etc/passwd");
        link("app/abs", "/etc/shadow");
        try (BuildContext c = context()) {
            assertThat(walk(c, "app")).contains("app/escape -> ../../../etc/passwd", "app/abs -> /etc/shadow");
            assertThat(c.checksum(c.sources("app"))).isNotNull();
        }
    }

    @Test
    void aLinkLoopIsRefused() throws IOException {
        setUp();
        link("loop1", "loop2");
        link("loop2", "loop1");
        try (BuildContext c = context()) {
            assertThatThrownBy(() -> c.sources("loop1")).isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessageContaining("too many levels of symbolic links");
        }
    }

    @Test
    void checksumsIgnoreModificationTimesButSeeContentModeAndNames() throws IOException {
        setUp();
        try (BuildContext c = context()) {
            Digest before = c.checksum(c.sources("app"));
            assertThat(c.checksum(c.sources("app"))).isEqualTo(before);
            Files.setLastModifiedTime(ctx.resolve("app/main.sh"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
            assertThat(c.checksum(c.sources("app"))).as("mtime is not part of the key").isEqualTo(before);
            List<ContextEntry> entries = new ArrayList<>();
            c.walk(c.sources("app/main.sh").getFirst(), entries::add);
            assertThat(entries.getFirst().mtime()).as("but COPY keeps it").isEqualTo(FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));

            Files.writeString(ctx.resolve("app/main.sh"), "echo MAIN\n");
            Digest edited = c.checksum(c.sources("app"));
            assertThat(edited).as("same size, other bytes").isNotEqualTo(before);

            Files.setPosixFilePermissions(ctx.resolve("app/main.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
            Digest chmodded = c.checksum(c.sources("app"));
            assertThat(chmodded).isNotEqualTo(edited);

            Files.move(ctx.resolve("app/lib/util.sh"), ctx.resolve("app/lib/util2.sh"));
            assertThat(c.checksum(c.sources("app"))).isNotEqualTo(chmodded);

            // another file's edit does not change this source's key
            Digest a = c.checksum(c.sources("a.txt"));
            Files.writeString(ctx.resolve("b.txt"), "changed\n");
            assertThat(c.checksum(c.sources("a.txt"))).isEqualTo(a);
        }
    }

    @Test
    void checksumsDoNotDependOnWhereTheContextIs() throws IOException {
        setUp();
        Digest here;
        try (BuildContext c = context()) {
            here = c.checksum(c.sources("."));
        }
        Path copy = tmp.resolve("copy");
        Files.createDirectories(copy.resolve("app/lib"));
        for (String f : List.of("Dockerfile", "app/main.sh", "app/lib/util.sh", "notes.txt", "a.txt", "b.txt")) {
            Files.copy(ctx.resolve(f), copy.resolve(f), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        for (String d : List.of("", "app", "app/lib")) {
            Files.setPosixFilePermissions(copy.resolve(d), Files.getPosixFilePermissions(ctx.resolve(d)));
        }
        try (BuildContext c = BuildContext.fromDirectory(copy)) {
            assertThat(c.checksum(c.sources("."))).isEqualTo(here);
        }
    }

    @Test
    void aDirectoryContextIsNotDeletedOnClose() throws IOException {
        setUp();
        context().close();
        assertThat(ctx.resolve("Dockerfile")).exists();
        assertThatThrownBy(() -> BuildContext.fromDirectory(ctx.resolve("Dockerfile")))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("is not a directory");
    }

    @Test
    void backslashesAreNameCharactersOrEscapeWildcards() throws IOException {
        setUp();
        file("back\\slash", "b");
        file("star*", "s");
        file("starry", "r");
        try (BuildContext c = context()) {
            assertThat(c.sources("back\\slash")).extracting(ContextSource::path).containsExactly("back\\slash");
            assertThat(c.sources("star\\*")).extracting(ContextSource::path).containsExactly("star*");
            assertThat(c.sources("star*")).extracting(ContextSource::path).containsExactly("star*", "starry");
        }
    }

    @Test
    void aLinkedDockerignoreIsFollowedOnlyInsideTheContext() throws IOException {
        setUp();
        file("config/ignore", "*.txt\n");
        link(".dockerignore", "config/ignore");
        try (BuildContext c = context()) {
            assertThatThrownBy(() -> c.sources("a.txt")).isInstanceOf(EngineException.NotFound.class);
        }
        Files.delete(ctx.resolve(".dockerignore"));
        Files.writeString(tmp.resolve("outside-ignore"), "*\n");
        link(".dockerignore", "../outside-ignore");
        assertThatThrownBy(this::context).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("the symbolic link .dockerignore -> ../outside-ignore leads out of it");
    }
}
