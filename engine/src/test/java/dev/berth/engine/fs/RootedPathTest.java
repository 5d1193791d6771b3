package dev.berth.engine.fs;

import dev.berth.engine.fs.RootedPath.ClimbsOut;
import dev.berth.engine.fs.RootedPath.DotDot;
import dev.berth.engine.fs.RootedPath.InvalidName;
import dev.berth.engine.fs.RootedPath.Missing;
import dev.berth.engine.fs.RootedPath.NotADirectory;
import dev.berth.engine.fs.RootedPath.Problem;
import dev.berth.engine.fs.RootedPath.Refused;
import dev.berth.engine.fs.RootedPath.ThroughLink;
import dev.berth.engine.fs.RootedPath.TooManyLinks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Paths inside a root on the real file system: tmp/outside holds a canary that no path may reach,
 * tmp/root is the root, seeded with the links a hostile image or a container would plant.
 */
class RootedPathTest {

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;

    @BeforeEach
    void tree() throws IOException {
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("canary"), "precious");
        root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc/app"));
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("etc/hosts"), "h");
        Files.writeString(root.resolve("usr/lib/libc.so"), "c");
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));           // relative, inside
        Files.createSymbolicLink(root.resolve("abs-lib"), Path.of("/usr/lib"));      // absolute: the root's /usr/lib
        Files.createSymbolicLink(root.resolve("to-root"), Path.of("/"));
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../.."));        // climbs: stops at the root
        Files.createSymbolicLink(root.resolve("host"), outside);                     // a host path: means root + that path
        Files.createSymbolicLink(root.resolve("loop-a"), Path.of("loop-b"));
        Files.createSymbolicLink(root.resolve("loop-b"), Path.of("/loop-a"));
        Files.createSymbolicLink(root.resolve("self"), Path.of("self"));
        Files.createSymbolicLink(root.resolve("etc/app/conf"), Path.of("../hosts"));  // relative to its own directory
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("/no/such/dir"));
    }

    private static Problem problemOf(ThrowingCall call) {
        try {
            call.run();
        } catch (Refused r) {
            return r.problem();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("not refused");
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Refused, IOException;
    }

    // ---- names -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/etc/hosts | etc/hosts",
            "etc//./hosts/ | etc/hosts",
            "./a/b/../c | a/c",
            "/ | ''",
            "'' | ''",
            "a/.. | ''"})
    void namesAreCleanedLexicallyTheSameUnderEveryRule(String path, String expected) throws Refused {
        for (DotDot rule : List.of(DotDot.STOP_AT_ROOT, DotDot.REFUSE_ABOVE_ROOT)) {
            assertThat(String.join("/", RootedPath.names(path, rule))).as(rule.name()).isEqualTo(expected);
        }
    }

    @Test
    void dotDotAboveTheRootStopsThereOrIsRefusedAsAsked() throws Refused {
        assertThat(RootedPath.names("/../../etc/../../hosts", DotDot.STOP_AT_ROOT)).containsExactly("hosts");
        assertThat(problemOf(() -> RootedPath.names("a/../../escape", DotDot.REFUSE_ABOVE_ROOT)))
                .isEqualTo(new ClimbsOut(".."));
        assertThat(problemOf(() -> RootedPath.names("/abs/../../escape", DotDot.REFUSE_ABOVE_ROOT)))
                .isInstanceOf(ClimbsOut.class);
        assertThat(problemOf(() -> RootedPath.names("/a/b/../c", DotDot.REFUSE))).isEqualTo(new ClimbsOut("a/b/.."));
        assertThat(RootedPath.names("/a/./b", DotDot.REFUSE)).containsExactly("a", "b");
    }

    @Test
    void aNulInANameIsRefusedWhereItStands() {
        assertThat(problemOf(() -> RootedPath.names("/etc/ho\0sts", DotDot.STOP_AT_ROOT))).isEqualTo(new InvalidName("etc/ho\0sts"));
        assertThat(problemOf(() -> RootedPath.followInside(root, "/etc/x\0"))).isInstanceOf(InvalidName.class);
    }

    // ---- followInside ----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/etc/hosts | etc/hosts",
            "/lib/libc.so | usr/lib/libc.so",
            "/abs-lib/libc.so | usr/lib/libc.so",
            "/to-root/etc/hosts | etc/hosts",
            "/to-root | ''",
            "/up/etc/hosts | etc/hosts",
            "/../../../etc/hosts | etc/hosts",
            "/etc/app/conf | etc/hosts",
            "/lib/../../etc/hosts | etc/hosts",
            "/etc/missing/deeper | etc/missing/deeper",
            "/dangling | no/such/dir"})
    void followingLinksStaysInsideTheRoot(String path, String expected) throws Exception {
        Path resolved = RootedPath.followInside(root, path);
        assertThat(resolved).isEqualTo(expected.isEmpty() ? root : root.resolve(expected));
        assertThat(resolved.startsWith(root)).isTrue();
    }

    @Test
    void anAbsoluteLinkToAHostPathMeansThatPathUnderTheRoot() throws Exception {
        Path resolved = RootedPath.followInside(root, "/host/canary");
        assertThat(resolved).isEqualTo(root.resolve(outside.toString().substring(1)).resolve("canary"));
        assertThat(Files.exists(resolved)).isFalse();
    }

    @Test
    void aLinkLoopIsRefusedInsteadOfSpinning() {
        assertThat(problemOf(() -> RootedPath.followInside(root, "/loop-a/x"))).isInstanceOf(TooManyLinks.class);
        assertThat(problemOf(() -> RootedPath.followInside(root, "/self"))).isEqualTo(new TooManyLinks("self"));
    }

    @Test
    void aRelativeRootIsTakenAsAbsolute() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(root);
        assertThat(RootedPath.followInside(relative, "/lib/libc.so")).isEqualTo(root.resolve("usr/lib/libc.so"));
    }

    // ---- no-follow walks -------------------------------------------------------------------------

    @Test
    void anExistingDirectoryIsReachedThroughRealDirectoriesOnly() throws Exception {
        RootedPath inside = RootedPath.in(root);
        assertThat(inside.existingDirectory(List.of("etc", "app"))).isEqualTo(root.resolve("etc/app"));
        assertThat(inside.existingDirectory(List.of())).isEqualTo(root);
        assertThat(problemOf(() -> inside.existingDirectory(List.of("lib")))).isEqualTo(new ThroughLink("lib"));
        assertThat(problemOf(() -> inside.existingDirectory(List.of("to-root", "etc")))).isEqualTo(new ThroughLink("to-root"));
        assertThat(problemOf(() -> inside.existingDirectory(List.of("etc", "hosts")))).isEqualTo(new NotADirectory("etc/hosts"));
        assertThat(problemOf(() -> inside.existingDirectory(List.of("etc", "nope", "x")))).isEqualTo(new Missing("etc/nope"));
        assertThat(Files.exists(root.resolve("etc/nope"))).isFalse();
    }

    @Test
    void missingDirectoriesAreMadeButNeverThroughALink() throws Exception {
        List<Path> made = new ArrayList<>();
        RootedPath inside = RootedPath.in(root);
        Path dir = inside.directory(List.of("var", "lib", "app"), d -> {
            Files.createDirectory(d);
            made.add(d);
        });
        assertThat(dir).isEqualTo(root.resolve("var/lib/app"));
        assertThat(Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(made).containsExactly(root.resolve("var"), root.resolve("var/lib"), root.resolve("var/lib/app"));

        assertThat(problemOf(() -> inside.directory(List.of("host", "made"), Files::createDirectory)))
                .isEqualTo(new ThroughLink("host"));
        assertThat(problemOf(() -> inside.directory(List.of("dangling", "made"), Files::createDirectory)))
                .isEqualTo(new ThroughLink("dangling"));
        assertThat(Files.exists(outside.resolve("made"))).isFalse();
        assertThat(Files.exists(root.resolve("no"))).isFalse();
        assertThat(Files.readString(outside.resolve("canary"))).isEqualTo("precious");
    }

    @Test
    void aCheckedDirectoryIsRememberedUntilForgotten() throws Exception {
        RootedPath inside = RootedPath.in(root);
        inside.existingDirectory(List.of("etc", "app"));
        // replaced by a link after the check: the walker trusts what it checked ...
        Files.delete(root.resolve("etc/app/conf"));
        Files.delete(root.resolve("etc/app"));
        Files.createSymbolicLink(root.resolve("etc/app"), outside);
        assertThat(inside.existingDirectory(List.of("etc", "app"))).isEqualTo(root.resolve("etc/app"));
        // ... until the caller says it changed; a fresh walker checks again
        inside.forget("etc/app");
        assertThat(problemOf(() -> inside.existingDirectory(List.of("etc", "app")))).isEqualTo(new ThroughLink("etc/app"));
        assertThat(problemOf(() -> RootedPath.in(root).existingDirectory(List.of("etc", "app"))))
                .isEqualTo(new ThroughLink("etc/app"));
    }

    @Test
    void aDirectoryHandleIsOpenedWithoutFollowingAnyLink() throws Exception {
        try (SecureDirectoryStream<Path> dir = RootedPath.openDirectory(root, List.of("usr", "lib"))) {
            List<String> names = new ArrayList<>();
            dir.forEach(p -> names.add(p.getFileName().toString()));
            assertThat(names).containsExactly("libc.so");
        }
        assertThat(problemOf(() -> RootedPath.openDirectory(root, List.of("lib")).close())).isEqualTo(new ThroughLink("lib"));
        assertThat(problemOf(() -> RootedPath.openDirectory(root, List.of("host")).close())).isEqualTo(new ThroughLink("host"));
        assertThat(problemOf(() -> RootedPath.openDirectory(root, List.of("etc", "hosts")).close()))
                .isEqualTo(new NotADirectory("etc/hosts"));
        assertThat(problemOf(() -> RootedPath.openDirectory(root, List.of("etc", "gone")).close())).isEqualTo(new Missing("etc/gone"));
        assertThat(problemOf(() -> RootedPath.openDirectory(root.resolve("to-root"), List.of()).close()))
                .isEqualTo(new ThroughLink(""));
    }

    @Test
    void refusalsSayWhatAndWhere() {
        assertThat(new Refused(new ThroughLink("a/b")).getMessage()).isEqualTo("\"a/b\" is a symbolic link");
        assertThat(new Refused(new ClimbsOut("..")).getMessage()).isEqualTo("\"..\" climbs out of the root with \"..\"");
        assertThat(new Refused(new Missing("")).getMessage()).isEqualTo("\"/\" does not exist");
    }
}
