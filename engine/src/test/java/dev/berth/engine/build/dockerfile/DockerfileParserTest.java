package dev.berth.engine.build.dockerfile;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class DockerfileParserTest {

    static Dockerfile parse(String text) {
        return DockerfileParser.parse(text, "Dockerfile");
    }

    static List<Instruction> steps(String text) {
        return parse(text).stages().getFirst().instructions();
    }

    static Instruction only(String instruction) {
        List<Instruction> s = steps("FROM busybox\n" + instruction + "\n");
        assertThat(s).hasSize(1);
        return s.getFirst();
    }

    /** The error a malformed Dockerfile gives: asserts it is an InvalidArgument carrying the record. */
    static DockerfileError error(String text) {
        Throwable t = catchThrowable(() -> parse(text));
        assertThat(t).isInstanceOf(EngineException.InvalidArgument.class);
        DockerfileError e = DockerfileError.of(t).orElseThrow();
        assertThat(t.getMessage()).isEqualTo(e.message()).startsWith("Dockerfile:" + e.position().line() + ":");
        return e;
    }

    static void assertError(String text, int line, int column, String problemPart) {
        DockerfileError e = error(text);
        assertThat(e.problem()).contains(problemPart);
        assertThat(e.position()).isEqualTo(new Position("Dockerfile", line, column));
    }

    @Test
    void theSeedShapeParsesIntoOneStageWithTypedInstructions() {
        Dockerfile df = parse("""
                FROM busybox
                MAINTAINER Jane Doe <jane@example.com>
                RUN echo hello > /hello
                CMD ["cat", "/hello"]
                """);
        assertThat(df.stages()).hasSize(1);
        Stage s = df.stages().getFirst();
        assertThat(s.from().image()).isEqualTo("busybox");
        assertThat(s.from().position()).isEqualTo(new Position("Dockerfile", 1, 1));
        assertThat(s.instructions()).extracting(Instruction::keyword).containsExactly("MAINTAINER", "RUN", "CMD");
        assertThat(((Instruction.Maintainer) s.instructions().get(0)).name()).isEqualTo("Jane Doe <jane@example.com>");
        Instruction.Run run = (Instruction.Run) s.instructions().get(1);
        assertThat(run.command()).isEqualTo(CommandLine.shell("echo hello > /hello"));
        assertThat(run.position().line()).isEqualTo(3);
        assertThat(((Instruction.Cmd) s.instructions().get(2)).command()).isEqualTo(CommandLine.exec(List.of("cat", "/hello")));
        assertThat(df.stepCount()).isEqualTo(4);
    }

    @Test
    void keywordsAreCaseInsensitiveAndCommentsAndBlankLinesAreSkipped() {
        List<Instruction> s = steps("""
                # a comment
                from busybox

                  # indented comment
                run echo a # not a comment
                """);
        assertThat(((Instruction.Run) s.getFirst()).command().args()).containsExactly("echo a # not a comment");
        assertThat(s.getFirst().position()).isEqualTo(new Position("Dockerfile", 5, 1));
    }

    @Test
    void continuationsJoinLinesSkippingCommentsAndEmptyLinesInside() {
        Dockerfile df = parse("FROM busybox\nRUN echo a \\\n# inside\n\n    b \\  \n  c\nCMD x\n");
        Instruction.Run run = (Instruction.Run) df.stages().getFirst().instructions().getFirst();
        assertThat(run.command().args().getFirst()).isEqualTo("echo a     b   c");
        assertThat(run.text()).isEqualTo("RUN echo a     b   c");
        Instruction cmd = df.stages().getFirst().instructions().get(1);
        assertThat(cmd.position().line()).isEqualTo(7);
    }

    @Test
    void theEscapeDirectiveChangesTheContinuationCharacter() {
        Dockerfile df = parse("# escape=`\nFROM busybox\nRUN dir c:\\ `\n  && echo done\n");
        assertThat(df.escape()).isEqualTo('`');
        Instruction.Run run = (Instruction.Run) df.stages().getFirst().instructions().getFirst();
        assertThat(run.command().args().getFirst()).isEqualTo("dir c:\\   && echo done");
    }

    @Test
    void directivesCountOnlyAtTheTopBeforeAnyCommentOrBlankLine() {
        assertThat(parse("# syntax=docker/dockerfile:1\n# ESCAPE = `\nFROM busybox\n").syntax()).isEqualTo("docker/dockerfile:1");
        assertThat(parse("# syntax=docker/dockerfile:1\n# ESCAPE = `\nFROM busybox\n").escape()).isEqualTo('`');
        // after a comment, or after an empty line, or after an unknown directive: just comments
        assertThat(parse("# hello\n# escape=`\nFROM busybox\n").escape()).isEqualTo('\\');
        assertThat(parse("\n# escape=`\nFROM busybox\n").escape()).isEqualTo('\\');
        assertThat(parse("# foo=bar\n# escape=`\nFROM busybox\n").escape()).isEqualTo('\\');
        assertThat(parse("FROM busybox\n# escape=`\nRUN a \\\n b\n").escape()).isEqualTo('\\');
    }

    @Test
    void aBadOrRepeatedEscapeDirectiveIsRejectedAtItsLine() {
        assertError("# escape=x\nFROM busybox\n", 1, 10, "invalid escape character \"x\"");
        assertError("# escape=`\n#escape=\\\nFROM busybox\n", 2, 1, "only one escape parser directive");
    }

    @Test
    void execAndShellFormsAreTellApartAndJsonEscapesAreDecoded() {
        assertThat(((Instruction.Cmd) only("CMD [\"echo\", \"a\\\"b\", \"\\u0041\"]")).command())
                .isEqualTo(CommandLine.exec(List.of("echo", "a\"b", "A")));
        assertThat(((Instruction.Entrypoint) only("ENTRYPOINT []")).command()).isEqualTo(CommandLine.exec(List.of()));
        // a shell test command is not JSON
        assertThat(((Instruction.Run) only("RUN [ -f /etc/passwd ] && echo ok")).command())
                .isEqualTo(CommandLine.shell("[ -f /etc/passwd ] && echo ok"));
        assertThat(CommandLine.shell("echo hi").argv(List.of("/bin/sh", "-c"))).containsExactly("/bin/sh", "-c", "echo hi");
        assertThat(CommandLine.exec(List.of("a", "b c")).toString()).isEqualTo("[\"a\",\"b c\"]");
    }

    @Test
    void unterminatedJsonIsRejectedWhereItStops() {
        assertError("FROM busybox\nCMD [\"echo\", \"hi\"\n", 2, 18, "unterminated JSON array");
        assertError("FROM busybox\nRUN [\"echo\", hi]\n", 2, 14, "expected a quoted string");
        assertError("FROM busybox\nENTRYPOINT [\"echo\n", 2, 13, "unterminated JSON string");
        assertError("FROM busybox\nCMD [\"a\"] tail\n", 2, 11, "unexpected text after the JSON array");
    }

    @Test
    void fromTakesPlatformAndStageNameAndScratch() {
        Dockerfile df = parse("FROM --platform=linux/amd64 golang:1.22 AS Build\nRUN x\nFROM scratch\nCOPY --from=build /a /a\n");
        assertThat(df.stages()).hasSize(2);
        Instruction.From f = df.stages().get(0).from();
        assertThat(f.platform()).isEqualTo("linux/amd64");
        assertThat(f.image()).isEqualTo("golang:1.22");
        assertThat(f.stageName()).isEqualTo("build");
        assertThat(df.stages().get(1).from().scratch()).isTrue();
        assertThat(df.target("BUILD").index()).isZero();
        assertThat(df.target(null).index()).isEqualTo(1);
        assertThat(df.target("1").index()).isEqualTo(1);
        assertThatThrownBy(() -> df.target("nope")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("\"nope\"");
    }

    @Test
    void fromArgumentErrorsPointAtTheWord() {
        assertError("FROM a b\n", 1, 8, "one or three arguments");
        assertError("FROM a IS b\n", 1, 8, "expected AS");
        assertError("FROM a AS 1st\n", 1, 11, "invalid stage name");
        assertError("FROM a AS x\nRUN y\nFROM b as X\n", 3, 11, "duplicate stage name \"x\": the stage at line 1");
        assertError("FROM --platfrom=linux/amd64 a\n", 1, 6, "unknown flag --platfrom for FROM");
    }

    @Test
    void missingFromIsRejectedAtTheFirstOtherInstruction() {
        assertError("ARG V=1\n# c\nRUN echo\nFROM a\n", 3, 1, "RUN before the first FROM");
        assertError("ARG V=1\n", 1, 1, "no FROM instruction");
        assertError("# only a comment\n\n", 2, 1, "no instructions");
    }

    @Test
    void unknownInstructionsSuggestTheNearestOne() {
        assertError("FROM a\n  RUNN echo\n", 2, 3, "unknown instruction: RUNN (did you mean RUN?)");
        assertError("FROM a\nCOPPY a b\n", 2, 1, "did you mean COPY?");
        assertError("FROM a\nENTRYPIONT x\n", 2, 1, "did you mean ENTRYPOINT?");
        DockerfileError e = error("FROM a\nFROBNICATE x\n");
        assertThat(e.problem()).isEqualTo("unknown instruction: FROBNICATE");
        assertThat(e.dockerMessage()).isEqualTo("dockerfile parse error on line 2: unknown instruction: FROBNICATE");
    }

    @Test
    void aMissingArgumentNamesTheInstruction() {
        assertError("FROM a\nWORKDIR\n", 2, 1, "WORKDIR requires at least one argument");
        assertError("FROM a\nRUN   \n", 2, 1, "RUN requires at least one argument");
        assertError("FROM\n", 1, 1, "FROM requires at least one argument");
        assertError("FROM a\nCOPY onlyone\n", 2, 1, "COPY requires at least two arguments");
    }

    @Test
    void envTakesPairsAndTheLegacyForm() {
        Instruction.Env e = (Instruction.Env) only("ENV A=1 B=\"two words\" C=a\\ b");
        assertThat(e.pairs()).containsExactly(new KeyValue("A", "1"), new KeyValue("B", "\"two words\""), new KeyValue("C", "a\\ b"));
        Instruction.Env legacy = (Instruction.Env) only("ENV PATH   /usr/local/bin:$PATH  more");
        assertThat(legacy.pairs()).containsExactly(new KeyValue("PATH", "/usr/local/bin:$PATH  more"));
        Instruction.Label l = (Instruction.Label) only("LABEL \"com.example.vendor\"=\"ACME\" version=1.0");
        assertThat(l.labels()).containsExactly(new KeyValue("\"com.example.vendor\"", "\"ACME\""), new KeyValue("version", "1.0"));
    }

    @Test
    void invalidEnvAndLabelSyntaxIsRejectedAtTheWord() {
        assertError("FROM a\nENV A=1 B\n", 2, 9, "can't find = in \"B\"");
        assertError("FROM a\nENV ONLYKEY\n", 2, 5, "ENV ONLYKEY has no value");
        assertError("FROM a\nLABEL =x\n", 2, 7, "LABEL names can not be blank");
    }

    @Test
    void argWithAndWithoutDefaults() {
        Instruction.Arg a = (Instruction.Arg) only("ARG A B=2 C=\"x y\"");
        assertThat(a.args()).containsExactly(new ArgDecl("A", null), new ArgDecl("B", "2"), new ArgDecl("C", "\"x y\""));
        assertError("FROM a\nARG =1\n", 2, 5, "ARG names can not be blank");
    }

    @Test
    void exposeChecksLiteralPortsAndLeavesVariablesForLater() {
        assertThat(((Instruction.Expose) only("EXPOSE 80 53/udp 8000-8010/TCP $P")).ports())
                .containsExactly("80", "53/udp", "8000-8010/TCP", "$P");
        assertError("FROM a\nEXPOSE 80 http\n", 2, 11, "invalid port http in EXPOSE");
        assertError("FROM a\nEXPOSE 70000\n", 2, 8, "invalid port");
        assertError("FROM a\nEXPOSE 90-80\n", 2, 8, "invalid port");
        assertError("FROM a\nEXPOSE 80/icmp\n", 2, 8, "invalid port");
    }

    @Test
    void copyAndAddTakeTheirFlags() {
        Instruction.Copy c = (Instruction.Copy) parse("FROM a AS one\nFROM b\nCOPY --from=one --chown=1000:1000 --chmod=0755 --link "
                + "--exclude=*.md --exclude=*.txt src1 src2 /dst/\n").stages().get(1).instructions().getFirst();
        assertThat(c.from()).isEqualTo("one");
        assertThat(c.chown()).isEqualTo("1000:1000");
        assertThat(c.chmod()).isEqualTo("0755");
        assertThat(c.link()).isTrue();
        assertThat(c.excludes()).containsExactly("*.md", "*.txt");
        assertThat(c.sources()).containsExactly("src1", "src2");
        assertThat(c.destination()).isEqualTo("/dst/");
        Instruction.Copy json = (Instruction.Copy) only("COPY [\"my file\", \"/a dir/\"]");
        assertThat(json.sources()).containsExactly("my file");
        assertThat(json.destination()).isEqualTo("/a dir/");
        Instruction.Add add = (Instruction.Add) only("ADD --checksum=sha256:" + "a".repeat(64)
                + " --link=false https://example.com/x.tgz /x");
        assertThat(add.checksum()).isEqualTo("sha256:" + "a".repeat(64));
        assertThat(add.link()).isFalse();
        assertThat(add.sources()).containsExactly("https://example.com/x.tgz");
    }

    @Test
    void badFlagsAreRejectedForThatInstruction() {
        assertError("FROM a\nCOPY --checksum=sha256:abc a b\n", 2, 6, "unknown flag --checksum for COPY (it accepts --chmod, --chown,");
        assertError("FROM a\nADD --from=x a b\n", 2, 5, "unknown flag --from for ADD");
        assertError("FROM a\nCMD --help\n", 2, 5, "CMD takes no flags, but --help was given");
        assertError("FROM a\nCOPY --from a b\n", 2, 6, "flag --from needs a value");
        assertError("FROM a\nCOPY --link=maybe a b\n", 2, 13, "takes true or false");
        assertError("FROM a\nCOPY --chown=1 --chown=2 a b\n", 2, 16, "flag --chown is given twice");
        assertError("FROM a\nCOPY --chmod=u+x a b\n", 2, 14, "invalid --chmod=u+x");
        assertError("FROM a\nADD --checksum=md5:00 https://x/y /y\n", 2, 16, "invalid --checksum");
        assertError("FROM a\nADD --checksum=sha256:" + "0".repeat(64) + " local.tar /y\n", 2, 5, "needs an http(s) URL source");
        assertError("FROM a\nRUN --network=bridge echo\n", 2, 15, "flag --network takes default, none, host");
    }

    @Test
    void runKeepsMountsAsText() {
        Instruction.Run r = (Instruction.Run) only("RUN --mount=type=cache,target=/root/.cache --mount=type=tmpfs,target=/t "
                + "--network=none make");
        assertThat(r.mounts()).containsExactly("type=cache,target=/root/.cache", "type=tmpfs,target=/t");
        assertThat(r.network()).isEqualTo("none");
        assertThat(r.command()).isEqualTo(CommandLine.shell("make"));
    }

    @Test
    void copyFromALaterStageOrItselfIsRejected() {
        assertError("FROM a AS one\nCOPY --from=two /x /x\nFROM b AS two\n", 2, 13, "names a later stage (line 3)");
        assertError("FROM a AS one\nCOPY --from=one /x /x\n", 2, 13, "names the stage it is in");
        assertError("FROM a\nFROM b\nCOPY --from=1 /x /x\n", 3, 13, "names stage 1, but only an earlier stage (0 to 0)");
        // an earlier stage, an index and an image are fine
        Dockerfile ok = parse("FROM a AS one\nFROM b\nCOPY --from=one /x /x\nCOPY --from=0 /y /y\nCOPY --from=alpine:3 /z /z\n");
        assertThat(ok.stages().get(1).instructions()).hasSize(3);
    }

    @Test
    void workdirUserStopsignalVolumeAndShell() {
        assertThat(((Instruction.Workdir) only("WORKDIR /my dir")).path()).isEqualTo("/my dir");
        assertThat(((Instruction.User) only("USER 1000:1000")).user()).isEqualTo("1000:1000");
        assertThat(((Instruction.StopSignal) only("STOPSIGNAL SIGKILL")).signal()).isEqualTo("SIGKILL");
        assertThat(((Instruction.Volume) only("VOLUME /a /b")).paths()).containsExactly("/a", "/b");
        assertThat(((Instruction.Volume) only("VOLUME [\"/c d\"]")).paths()).containsExactly("/c d");
        assertThat(((Instruction.Shell) only("SHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]")).shell())
                .containsExactly("/bin/bash", "-eo", "pipefail", "-c");
        assertError("FROM a\nSHELL /bin/bash -c\n", 2, 7, "SHELL requires the arguments in JSON form");
        assertError("FROM a\nSHELL []\n", 2, 7, "SHELL requires at least one argument");
        assertError("FROM a\nVOLUME [\"\"]\n", 2, 1, "VOLUME paths can not be empty");
    }

    @Test
    void healthcheckOptionsAndNone() {
        Instruction.Healthcheck h = (Instruction.Healthcheck) only(
                "HEALTHCHECK --interval=1m30s --timeout=5s --start-period=0 --start-interval=500ms --retries=3 CMD curl -f http://localhost/");
        assertThat(h.none()).isFalse();
        assertThat(h.test()).isEqualTo(CommandLine.shell("curl -f http://localhost/"));
        assertThat(h.interval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(h.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(h.startPeriod()).isEqualTo(Duration.ZERO);
        assertThat(h.startInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(h.retries()).isEqualTo(3);
        Instruction.Healthcheck json = (Instruction.Healthcheck) only("HEALTHCHECK CMD [\"/bin/check\", \"-q\"]");
        assertThat(json.test()).isEqualTo(CommandLine.exec(List.of("/bin/check", "-q")));
        assertThat(json.interval()).isNull();
        assertThat(((Instruction.Healthcheck) only("HEALTHCHECK none")).none()).isTrue();
    }

    @Test
    void healthcheckErrorsNameTheOption() {
        assertError("FROM a\nHEALTHCHECK --intervals=5s CMD true\n", 2, 13, "unknown HEALTHCHECK option --intervals");
        assertError("FROM a\nHEALTHCHECK --interval=5 CMD true\n", 2, 24, "--interval needs a duration");
        assertError("FROM a\nHEALTHCHECK --timeout=1ns CMD true\n", 2, 23, "can not be less than 1ms");
        assertError("FROM a\nHEALTHCHECK --retries=-1 CMD true\n", 2, 23, "--retries can not be negative");
        assertError("FROM a\nHEALTHCHECK --retries=3 NONE\n", 2, 13, "HEALTHCHECK NONE takes no options");
        assertError("FROM a\nHEALTHCHECK RUN true\n", 2, 13, "unknown HEALTHCHECK type \"RUN\"");
        assertError("FROM a\nHEALTHCHECK CMD\n", 2, 13, "HEALTHCHECK CMD requires a command");
        assertError("FROM a\nHEALTHCHECK\n", 2, 1, "HEALTHCHECK requires NONE or CMD");
    }

    @Test
    void onbuildParsesItsTriggerAndRefusesChainingFromAndMaintainer() {
        Instruction.OnBuild o = (Instruction.OnBuild) only("ONBUILD COPY --chown=1 . /app");
        assertThat(o.trigger()).isInstanceOf(Instruction.Copy.class);
        assertThat(o.trigger().text()).isEqualTo("COPY --chown=1 . /app");
        assertThat(o.trigger().position()).isEqualTo(new Position("Dockerfile", 2, 9));
        assertError("FROM a\nONBUILD ONBUILD RUN x\n", 2, 9, "chaining ONBUILD via ONBUILD ONBUILD isn't allowed");
        assertError("FROM a\nONBUILD FROM b\n", 2, 9, "FROM isn't allowed as an ONBUILD trigger");
        assertError("FROM a\nonbuild maintainer me\n", 2, 9, "MAINTAINER isn't allowed as an ONBUILD trigger");
        assertError("FROM a\nONBUILD RUNX y\n", 2, 9, "unknown instruction: RUNX");
    }

    @Test
    void heredocsForRunAndCopy() {
        Dockerfile df = parse("""
                FROM busybox
                RUN <<EOF
                echo one
                echo "$HOME"
                EOF
                COPY <<-"CONF" <<APP /etc/
                \t\tkey=$value
                \tCONF
                app $x
                APP
                CMD done
                """);
        List<Instruction> s = df.stages().getFirst().instructions();
        Instruction.Run run = (Instruction.Run) s.get(0);
        assertThat(run.command()).isEqualTo(CommandLine.shell("<<EOF"));
        assertThat(run.heredocs()).containsExactly(new Heredoc("EOF", "echo one\necho \"$HOME\"\n", true, false, 0));
        Instruction.Copy copy = (Instruction.Copy) s.get(1);
        assertThat(copy.sources()).isEmpty();
        assertThat(copy.destination()).isEqualTo("/etc/");
        assertThat(copy.heredocs()).containsExactly(new Heredoc("CONF", "key=$value\n", false, true, 0),
                new Heredoc("APP", "app $x\n", true, false, 0));
        assertThat(s.get(2).position().line()).isEqualTo(11);
    }

    @Test
    void heredocsWithACommandAndAFileDescriptor() {
        Instruction.Run r = (Instruction.Run) only("RUN python3 3<<'PY' && cat\nprint(1)\nPY");
        assertThat(r.command()).isEqualTo(CommandLine.shell("python3 3<<'PY' && cat"));
        assertThat(r.heredocs()).containsExactly(new Heredoc("PY", "print(1)\n", false, false, 3));
        // quoted text is not a heredoc, and neither is a here-string
        Instruction.Run quoted = (Instruction.Run) only("RUN echo \"<<EOF\" <<<word");
        assertThat(quoted.heredocs()).isEmpty();
    }

    @Test
    void anUnterminatedHeredocIsRejectedAtItsMarker() {
        assertError("FROM a\nRUN cat <<END\nline\nEND \n", 2, 9, "unterminated heredoc: no line \"END\"");
        assertError("FROM a\nCOPY <<A <<B /x\na\nA\nb\n", 2, 10, "unterminated heredoc: no line \"B\"");
    }

    @Test
    void crlfLineEndingsAndAByteOrderMarkAreAccepted() {
        Dockerfile df = DockerfileParser.parse("\uFEFFFROM a\r\nRUN echo \\\r\n  b\r\n".getBytes(StandardCharsets.UTF_8), "Dockerfile");
        assertThat(((Instruction.Run) df.stages().getFirst().instructions().getFirst()).command().args())
                .containsExactly("echo   b");
        Throwable t = catchThrowable(() -> DockerfileParser.parse(new byte[] {'F', (byte) 0xff, '\n'}, "Dockerfile"));
        assertThat(t).isInstanceOf(EngineException.InvalidArgument.class).hasMessage("Dockerfile:1:1: the file is not UTF-8 text");
    }

    @Test
    void globalArgsComeBeforeTheFirstFrom() {
        Dockerfile df = parse("ARG BASE=busybox\nARG TAG\nFROM ${BASE}:${TAG:-latest}\nARG BASE\n");
        assertThat(df.globalArgs()).hasSize(2);
        assertThat(df.stages().getFirst().instructions()).hasSize(1);
        assertThat(df.stepCount()).isEqualTo(4);
    }

    @Test
    void errorsNameTheFileTheCallerGave() {
        Throwable t = catchThrowable(() -> DockerfileParser.parse("FROM a\nBOGUS\n", "app/Dockerfile.dev"));
        assertThat(t).hasMessage("app/Dockerfile.dev:2:1: unknown instruction: BOGUS");
    }

    @Test
    void aSingleInstructionParsesOutsideADockerfile() {
        Instruction.OnBuild o = (Instruction.OnBuild) DockerfileParser.parseInstruction("  ONBUILD RUN make", "change");
        assertThat(o.trigger().text()).isEqualTo("RUN make");
        assertThat(o.position()).isEqualTo(new Position("change", 1, 3));
        assertThat(DockerfileParser.parseInstruction("COPY --from=later a b", "change")).isInstanceOf(Instruction.Copy.class);
        Throwable t = catchThrowable(() -> DockerfileParser.parseInstruction("EXPOSE 80 x", "change \"EXPOSE 80 x\""));
        assertThat(t).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageStartingWith("change \"EXPOSE 80 x\":1:11: invalid port x");
        assertThat(catchThrowable(() -> DockerfileParser.parseInstruction("ONBUILD ONBUILD RUN x", "c")))
                .hasMessageContaining("chaining ONBUILD");
    }

    @Test
    void heredocEdgeCasesAsBuildKitHasThem() {
        List<Instruction> s = steps("""
                FROM alpine
                RUN <<EMPTY
                EMPTY
                RUN <<'EOF' | python
                print("hello")
                EOF
                ADD <<EOF foo.txt /bar
                this is inline
                EOF
                RUN ["<<EOF"]
                """);
        assertThat(((Instruction.Run) s.get(0)).heredocs()).containsExactly(new Heredoc("EMPTY", "", true, false, 0));
        Instruction.Run piped = (Instruction.Run) s.get(1);
        assertThat(piped.command().args()).containsExactly("<<'EOF' | python");
        assertThat(piped.heredocs()).containsExactly(new Heredoc("EOF", "print(\"hello\")\n", false, false, 0));
        Instruction.Add add = (Instruction.Add) s.get(2);
        assertThat(add.sources()).containsExactly("foo.txt");
        assertThat(add.heredocs()).extracting(Heredoc::content).containsExactly("this is inline\n");
        assertThat(((Instruction.Run) s.get(3)).command()).isEqualTo(CommandLine.exec(List.of("<<EOF")));
        // an instruction without heredocs leaves the marker as text, and the body line is read as an instruction
        assertError("FROM a\nUSER <<INVALID\nINVALID\n", 3, 1, "unknown instruction: INVALID");
    }

    @Test
    void errorsOnAContinuationLineNameThatLineAndColumn() {
        assertError("FROM a\nCOPY --chown=1 \\\n# comment\n  --bogus=2 a b\n", 4, 3, "unknown flag --bogus for COPY");
        assertError("FROM a\nENV A=1 \\\n\n    B=2 \\\n    C\n", 5, 5, "can't find = in \"C\"");
        assertError("FROM a\nCMD [\"a\", \\\n     \"b\"\n", 3, 9, "unterminated JSON array");
    }

    @Test
    void laterStagesFindEarlierStagesByNameOrIndexButNotTheOtherWayRound() {
        Dockerfile df = parse("FROM busybox AS base\nFROM base AS app\nFROM app\n");
        Stage app = df.stages().get(1);
        Stage last = df.stages().get(2);
        assertThat(df.earlierStage(app, app.from().image())).contains(df.stages().getFirst());
        assertThat(df.earlierStage(last, "APP")).contains(app);
        assertThat(df.earlierStage(last, "0")).contains(df.stages().getFirst());
        assertThat(df.earlierStage(app, "app")).isEmpty();
        assertThat(df.earlierStage(df.stages().getFirst(), "busybox")).isEmpty();
    }

    @Test
    void arbitraryTextOnlyEverFailsWithADockerfileError() {
        String[] pieces = {"FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "LABEL", "EXPOSE", "HEALTHCHECK", "ONBUILD", "SHELL",
                "VOLUME", "CMD", " ", "\\", "\n", "\"", "'", "$", "${", "}", ":-", "[", "]", ",", "=", "--", "--from=",
                "--chmod=", "<<", "<<-", "EOF", "a", "#", "# escape=`", "`", "\t", "AS", "NONE", "--interval=", "1s", "-", "/"};
        java.util.Random random = new java.util.Random(20261123);
        int parsed = 0;
        for (int n = 0; n < 10_000; n++) {
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "FROM a\n" : "");
            for (int k = random.nextInt(25); k > 0; k--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            try {
                Dockerfile df = parse(text.toString());
                BuildScope build = new BuildScope(df, java.util.Map.of());
                for (Stage stage : df.stages()) {
                    build.from(stage);
                    StageScope scope = build.enter(stage, List.of());
                    stage.instructions().forEach(scope::apply);
                }
                parsed++;
            } catch (EngineException.InvalidArgument e) {
                assertThat(DockerfileError.of(e)).as("error for %s", text).isPresent();
            }
        }
        assertThat(parsed).as("some of the random texts are valid Dockerfiles").isPositive();
    }
}
