package dev.berth.engine.build.context;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DockerIgnoreTest {

    private static DockerIgnore of(String content) {
        return DockerIgnore.parse(content, ".dockerignore");
    }

    @Test
    void commentsBlankLinesAndSurroundingBlanksAreIgnored() {
        DockerIgnore d = of("\uFEFF# comment\n\n   *.log   \n #not a comment\n");
        assertThat(d.rules()).extracting(DockerIgnore.Rule::pattern).containsExactly("*.log", "#not a comment");
        assertThat(d.excludes("a.log")).isTrue();
        assertThat(d.excludes("#not a comment")).isTrue();
        assertThat(d.excludes("# comment")).isFalse();
    }

    @Test
    void patternsAreCleanedAndALeadingSlashIsDropped() {
        DockerIgnore d = of("/secret\n./build//out/\nx/../y\n");
        assertThat(d.rules()).extracting(DockerIgnore.Rule::pattern).containsExactly("secret", "build/out", "y");
        assertThat(d.excludes("secret")).isTrue();
        assertThat(d.excludes("build/out/app.jar")).isTrue();
        assertThat(d.excludes("build/other")).isFalse();
        assertThat(d.excludes("y")).isTrue();
        assertThat(d.excludes("x")).isFalse();
    }

    @Test
    void singleStarAndQuestionMarkStayInOneComponent() {
        DockerIgnore d = of("*.md\ndocs/?.txt\n");
        assertThat(d.excludes("README.md")).isTrue();
        assertThat(d.excludes("sub/README.md")).isFalse();
        assertThat(d.excludes("docs/a.txt")).isTrue();
        assertThat(d.excludes("docs/ab.txt")).isFalse();
        assertThat(d.excludes("docs/a/b.txt")).isFalse();
    }

    @Test
    void doubleStarMatchesAnyNumberOfDirectories() {
        DockerIgnore d = of("**/*.go\nnode_modules/**\n");
        assertThat(d.excludes("main.go")).isTrue();
        assertThat(d.excludes("cmd/tool/main.go")).isTrue();
        assertThat(d.excludes("main.goo")).isFalse();
        assertThat(d.excludes("node_modules/x/index.js")).isTrue();
        assertThat(d.excludes("node_modules")).isFalse();
        assertThat(of("**\n").excludes("any/thing")).isTrue();
        assertThat(of("a/**/b\n").excludes("a/b")).isTrue();
        assertThat(of("a/**/b\n").excludes("a/x/y/b")).isTrue();
        assertThat(of("a/**/b\n").excludes("a/x/y/c")).isFalse();
    }

    @Test
    void characterClassesAndEscapes() {
        DockerIgnore d = of("file[0-9].txt\nfile[!a].md\nlit\\*\n");
        assertThat(d.excludes("file7.txt")).isTrue();
        assertThat(d.excludes("filex.txt")).isFalse();
        assertThat(d.excludes("fileb.md")).isTrue();
        assertThat(d.excludes("filea.md")).isFalse();
        assertThat(d.excludes("lit*")).isTrue();
        assertThat(d.excludes("litx")).isFalse();
        // regex characters in patterns are literal
        assertThat(of("a.b(c)+$\n").excludes("a.b(c)+$")).isTrue();
        assertThat(of("a.b\n").excludes("axb")).isFalse();
    }

    @Test
    void aMatchingDirectoryExcludesEverythingUnderIt() {
        DockerIgnore d = of("build\n");
        assertThat(d.excludes("build")).isTrue();
        assertThat(d.excludes("build/classes/A.class")).isTrue();
        assertThat(d.excludes("buildfile")).isFalse();
    }

    @Test
    void exceptionsReincludeAndTheLastMatchWins() {
        DockerIgnore d = of("*.md\n!README*.md\nREADME-secret.md\n");
        assertThat(d.excludes("CHANGES.md")).isTrue();
        assertThat(d.excludes("README.md")).isFalse();
        assertThat(d.excludes("README-secret.md")).isTrue();
        assertThat(d.hasExceptions()).isTrue();
        DockerIgnore dirs = of("logs\n!logs/keep.txt\n");
        assertThat(dirs.excludes("logs/other.txt")).isTrue();
        assertThat(dirs.excludes("logs/keep.txt")).isFalse();
    }

    @Test
    void malformedPatternsNameTheirLine() {
        assertThatThrownBy(() -> of("ok\n!\n")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageStartingWith(".dockerignore:2: illegal exclusion pattern");
        assertThatThrownBy(() -> of("# c\nfile[0-9\n")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageStartingWith(".dockerignore:2: invalid pattern \"file[0-9\": unterminated character class");
        assertThatThrownBy(() -> of("end\\\n")).hasMessageStartingWith(".dockerignore:1: invalid pattern");
    }

    @Test
    void cleaningFollowsGoPathClean() {
        assertThat(DockerIgnore.clean("")).isEqualTo(".");
        assertThat(DockerIgnore.clean("./")).isEqualTo(".");
        assertThat(DockerIgnore.clean("a/./b/../c/")).isEqualTo("a/c");
        assertThat(DockerIgnore.clean("../a")).isEqualTo("../a");
        assertThat(DockerIgnore.clean("/../a")).isEqualTo("/a");
        assertThat(DockerIgnore.clean("//a//b")).isEqualTo("/a/b");
    }
}
