package dev.berth.engine.build.dockerfile;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class StageScopeTest {

    /** Applies every instruction of the stage in order, as the builder will. */
    private static List<Instruction> run(StageScope scope, Stage stage) {
        List<Instruction> out = new ArrayList<>();
        for (Instruction i : stage.instructions()) {
            out.add(scope.apply(i));
        }
        return out;
    }

    private static Dockerfile parse(String text) {
        return DockerfileParser.parse(text, "Dockerfile");
    }

    @Test
    void globalArgsAreUsableInFromOnlyUntilTheStageDeclaresThemAgain() {
        Dockerfile df = parse("""
                ARG BASE=busybox
                ARG VERSION=1.36
                FROM ${BASE}:${VERSION} AS one
                LABEL before="[$VERSION]"
                ARG VERSION
                LABEL after="[$VERSION]" base="[$BASE]"
                """);
        BuildScope build = new BuildScope(df, Map.of());
        Stage stage = df.stages().getFirst();
        assertThat(build.from(stage).image()).isEqualTo("busybox:1.36");
        List<Instruction> out = run(build.enter(stage, List.of()), stage);
        assertThat(((Instruction.Label) out.get(0)).labels()).containsExactly(new KeyValue("before", "[]"));
        assertThat(((Instruction.Label) out.get(2)).labels())
                .containsExactly(new KeyValue("after", "[1.36]"), new KeyValue("base", "[]"));
    }

    @Test
    void buildArgsOverrideDefaultsAndUndeclaredOnesAreReported() {
        Dockerfile df = parse("""
                ARG BASE=busybox
                FROM --platform=${PLAT:-linux/amd64} $BASE
                ARG MODE=debug
                ARG NODEFAULT
                ENV SUMMARY="$MODE/${NODEFAULT:-none}"
                """);
        BuildScope build = new BuildScope(df, Map.of("BASE", "alpine", "MODE", "release", "STRAY", "1"));
        Stage stage = df.stages().getFirst();
        Instruction.From from = build.from(stage);
        assertThat(from.image()).isEqualTo("alpine");
        assertThat(from.platform()).isEqualTo("linux/amd64");
        StageScope scope = build.enter(stage, List.of());
        run(scope, stage);
        assertThat(scope.env()).containsEntry("SUMMARY", "release/none");
        assertThat(scope.args()).containsEntry("MODE", "release").containsEntry("NODEFAULT", null);
        assertThat(build.unusedBuildArgs()).containsExactly("STRAY");
    }

    @Test
    void envOverridesArgAndTheBaseImageEnvIsVisible() {
        Dockerfile df = parse("""
                FROM busybox
                ARG WHO=arg
                ENV WHO=env
                ARG WHO=again
                WORKDIR /home/$WHO
                ENV PATH=/opt/bin:$PATH
                """);
        StageScope scope = new BuildScope(df, Map.of()).enter(df.stages().getFirst(), List.of("PATH=/usr/bin:/bin"));
        List<Instruction> out = run(scope, df.stages().getFirst());
        assertThat(((Instruction.Workdir) out.get(3)).path()).isEqualTo("/home/env");
        assertThat(scope.imageEnv()).containsExactly("PATH=/opt/bin:/usr/bin:/bin", "WHO=env");
        // the RUN environment holds the ARG values too, but ENV wins over an ARG of the same name
        assertThat(scope.runEnv()).containsExactly("PATH=/opt/bin:/usr/bin:/bin", "WHO=env");
    }

    @Test
    void allWordsOfOneInstructionSeeTheScopeBeforeIt() {
        Dockerfile df = parse("FROM a\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n");
        StageScope scope = new BuildScope(df, Map.of()).enter(df.stages().getFirst(), List.of());
        run(scope, df.stages().getFirst());
        assertThat(scope.env()).containsExactly(Map.entry("abc", "bye"), Map.entry("def", "hello"), Map.entry("ghi", "bye"));
    }

    @Test
    void argsReachRunButAreNotStoredInTheImageEnv() {
        Dockerfile df = parse("FROM a\nARG TOKEN=s3cret\nARG EMPTY\nRUN echo $TOKEN\n");
        StageScope scope = new BuildScope(df, Map.of()).enter(df.stages().getFirst(), List.of("PATH=/bin"));
        List<Instruction> out = run(scope, df.stages().getFirst());
        assertThat(scope.imageEnv()).containsExactly("PATH=/bin");
        assertThat(scope.runEnv()).containsExactly("TOKEN=s3cret", "PATH=/bin");
        assertThat(scope.runArgs()).containsExactly(Map.entry("TOKEN", "s3cret"));
        // RUN is left to the shell
        assertThat(((Instruction.Run) out.get(2)).command().args()).containsExactly("echo $TOKEN");
    }

    @Test
    void copyAddExposeVolumeUserAndStopsignalAreExpanded() {
        Dockerfile df = parse("""
                FROM a AS src
                FROM b
                ARG STAGE=src
                ARG OWNER=1000
                ARG PORTS="80 443/udp"
                ARG SIG=TERM
                ENV DIR=/srv/app NAME="my app"
                COPY --from=$STAGE --chown=${OWNER}:${OWNER} --chmod=0644 "$NAME.conf" ${DIR}/
                ADD --chown=$OWNER https://example.com/$NAME.tgz $DIR
                EXPOSE $PORTS 8080
                VOLUME ["$DIR/data", "/logs"]
                USER ${OWNER}
                STOPSIGNAL SIG$SIG
                COPY <<EOF <<'RAW' $DIR/
                name=$NAME
                EOF
                name=$NAME
                RAW
                """);
        Stage stage = df.stages().get(1);
        List<Instruction> out = run(new BuildScope(df, Map.of()).enter(stage, List.of()), stage);
        Instruction.Copy c = (Instruction.Copy) out.get(5);
        assertThat(c.from()).isEqualTo("src");
        assertThat(c.chown()).isEqualTo("1000:1000");
        assertThat(c.sources()).containsExactly("my app.conf");
        assertThat(c.destination()).isEqualTo("/srv/app/");
        Instruction.Add a = (Instruction.Add) out.get(6);
        assertThat(a.sources()).containsExactly("https://example.com/my app.tgz");
        assertThat(a.chown()).isEqualTo("1000");
        assertThat(((Instruction.Expose) out.get(7)).ports()).containsExactly("80/tcp", "443/udp", "8080/tcp");
        assertThat(((Instruction.Volume) out.get(8)).paths()).containsExactly("/srv/app/data", "/logs");
        assertThat(((Instruction.User) out.get(9)).user()).isEqualTo("1000");
        assertThat(((Instruction.StopSignal) out.get(10)).signal()).isEqualTo("SIGTERM");
        Instruction.Copy docs = (Instruction.Copy) out.get(11);
        assertThat(docs.heredocs()).extracting(Heredoc::content).containsExactly("name=my app\n", "name=$NAME\n");
    }

    /**
     * Observed against dockerd 20.10: a RUN's history and cache key list the ARGs sorted by name ({@code |2 A=1 Z=2 cmd})
     * and leave out an ARG an ENV of the same name hides ({@code ENV V=env} then {@code ARG V=x}: no {@code |1 V=x}).
     */
    @Test
    void runArgsAreSortedAndLeaveOutOnesAnEnvHides() {
        Dockerfile df = parse("FROM a\nARG Z=2\nARG A=1\nENV V=env\nARG V=hidden\nRUN true\n");
        StageScope scope = new BuildScope(df, Map.of()).enter(df.stages().getFirst(), List.of());
        run(scope, df.stages().getFirst());
        assertThat(scope.runArgs()).containsExactly(Map.entry("A", "1"), Map.entry("Z", "2"));
        assertThat(scope.runEnv()).contains("V=env").doesNotContain("V=hidden");
    }

    /** Observed against dockerd 20.10: {@code EXPOSE 8000-8002} gives three ExposedPorts entries, not a range. */
    @Test
    void exposeOfARangeExposesEachPortOfIt() {
        Dockerfile df = parse("FROM b\nARG R=53-54/udp\nEXPOSE 80 8000-8002 $R\n");
        Stage stage = df.stages().getFirst();
        List<Instruction> out = run(new BuildScope(df, Map.of()).enter(stage, List.of()), stage);
        assertThat(((Instruction.Expose) out.get(1)).ports())
                .containsExactly("80/tcp", "8000/tcp", "8001/tcp", "8002/tcp", "53/udp", "54/udp");
    }

    @Test
    void expansionErrorsNameTheInstructionsLine() {
        Dockerfile df = parse("FROM a\nENV A=1\nWORKDIR \"/x\nEXPOSE ${P:?required}\n");
        Stage stage = df.stages().getFirst();
        StageScope scope = new BuildScope(df, Map.of()).enter(stage, List.of());
        scope.apply(stage.instructions().get(0));
        Throwable t = catchThrowable(() -> scope.apply(stage.instructions().get(1)));
        assertThat(t).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("Dockerfile:3:1: unterminated quote: no double-quote closes the one at character 1 of \"\"/x\"");
        Throwable t2 = catchThrowable(() -> scope.apply(stage.instructions().get(2)));
        assertThat(t2).hasMessage("Dockerfile:4:1: P: required");
    }

    @Test
    void badValuesAfterExpansionAreRejected() {
        Dockerfile df = parse("FROM a\nARG P=http\nEXPOSE $P\nSTOPSIGNAL \"$P x\"\nWORKDIR $NOTHING\n");
        Stage stage = df.stages().getFirst();
        StageScope scope = new BuildScope(df, Map.of()).enter(stage, List.of());
        scope.apply(stage.instructions().getFirst());
        assertThat(catchThrowable(() -> scope.apply(stage.instructions().get(1))))
                .hasMessage("Dockerfile:3:1: invalid port http in EXPOSE: expected PORT[-PORT][/tcp|udp|sctp] with ports 1 to 65535");
        assertThat(catchThrowable(() -> scope.apply(stage.instructions().get(2)))).hasMessageContaining("invalid STOPSIGNAL \"http x\"");
        assertThat(catchThrowable(() -> scope.apply(stage.instructions().get(3)))).hasMessage("Dockerfile:5:1: WORKDIR is empty after expansion");
        Dockerfile copies = parse("FROM a\nARG MODE=rwx\nARG SUM=md5:1\nCOPY --chmod=$MODE a b\nADD --checksum=$SUM https://x/y /y\n"
                + "COPY a $NOWHERE\n");
        Stage s = copies.stages().getFirst();
        StageScope cs = new BuildScope(copies, Map.of()).enter(s, List.of());
        cs.apply(s.instructions().get(0));
        cs.apply(s.instructions().get(1));
        assertThat(catchThrowable(() -> cs.apply(s.instructions().get(2)))).hasMessageStartingWith("Dockerfile:4:1: invalid --chmod=rwx");
        assertThat(catchThrowable(() -> cs.apply(s.instructions().get(3)))).hasMessageStartingWith("Dockerfile:5:1: invalid --checksum=md5:1");
        assertThat(catchThrowable(() -> cs.apply(s.instructions().get(4))))
                .hasMessage("Dockerfile:6:1: the COPY destination is empty after expansion");
    }

    @Test
    void anEmptyBaseImageNameAfterExpansionIsRejected() {
        Dockerfile df = parse("ARG BASE\nFROM $BASE\n");
        Throwable t = catchThrowable(() -> new BuildScope(df, Map.of()).from(df.stages().getFirst()));
        assertThat(t).isInstanceOf(EngineException.InvalidArgument.class).hasMessageStartingWith("Dockerfile:2:1: the base image name \"$BASE\" is empty");
        assertThat(new BuildScope(df, Map.of("BASE", "busybox")).from(df.stages().getFirst()).image()).isEqualTo("busybox");
        Dockerfile plat = parse("FROM --platform=$BUILDPLATFORM busybox\n");
        assertThat(new BuildScope(plat, Map.of()).from(plat.stages().getFirst()).platform()).isNull();
    }

    @Test
    void theEscapeDirectiveAppliesToExpansion() {
        Dockerfile df = parse("# escape=`\nFROM a\nENV P=c:\\tools\\$X Q=`$X\n");
        StageScope scope = new BuildScope(df, Map.of()).enter(df.stages().getFirst(), List.of("X=x"));
        run(scope, df.stages().getFirst());
        assertThat(scope.env()).containsEntry("P", "c:\\tools\\x").containsEntry("Q", "$X");
    }

    @Test
    void proxyBuildArgsReachRunWithoutAnArgButNotTheDockerfileWords() {
        Dockerfile df = parse("FROM a\nWORKDIR /${HTTP_PROXY:-none}\n");
        BuildScope build = new BuildScope(df, Map.of("HTTP_PROXY", "http://127.0.0.1:3128", "UNDECLARED", "x"));
        StageScope scope = build.enter(df.stages().getFirst(), List.of("PATH=/bin"));
        List<Instruction> out = run(scope, df.stages().getFirst());
        assertThat(((Instruction.Workdir) out.getFirst()).path()).isEqualTo("/none");
        assertThat(scope.runEnv()).containsExactly("HTTP_PROXY=http://127.0.0.1:3128", "PATH=/bin");
        assertThat(build.unusedBuildArgs()).containsExactly("UNDECLARED");
    }

    @Test
    void aMultiStageDockerfileWalksStageByStageAsTheBuilderWill() {
        Dockerfile df = parse("""
                # syntax=docker/dockerfile:1
                ARG BASE=busybox
                ARG VERSION=1.36

                FROM ${BASE}:${VERSION} AS build
                ARG VERSION
                ENV OUT=/out \\
                    NAME=app-${VERSION}
                WORKDIR /src
                COPY --chmod=0755 build.sh ./
                RUN --mount=type=cache,target=/cache ./build.sh "$OUT/$NAME"

                FROM ${BASE}
                LABEL org.opencontainers.image.version=$VERSION
                COPY --from=build /out/ /usr/local/bin/
                USER 65534:65534
                EXPOSE 8080
                HEALTHCHECK --interval=10s CMD ["wget", "-q", "-O-", "http://127.0.0.1:8080/"]
                ENTRYPOINT ["/usr/local/bin/app-1.36"]
                CMD ["--serve"]
                """);
        assertThat(df.syntax()).isEqualTo("docker/dockerfile:1");
        assertThat(df.stepCount()).isEqualTo(16);
        BuildScope build = new BuildScope(df, Map.of("VERSION", "1.37"));
        List<String> images = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        for (Stage stage : df.stages()) {
            Instruction.From from = build.from(stage);
            images.add(df.earlierStage(stage, from.image()).map(s -> "stage " + s.index()).orElse(from.image()));
            StageScope scope = build.enter(stage, List.of("PATH=/bin"));
            for (Instruction i : stage.instructions()) {
                Instruction e = scope.apply(i);
                steps.add(switch (e) {
                    case Instruction.Env env -> "ENV " + env.pairs();
                    case Instruction.Copy c -> "COPY " + c.from() + " " + c.sources() + " " + c.destination() + " " + c.chmod();
                    case Instruction.Run r -> "RUN " + r.command() + " " + r.mounts() + " " + scope.runEnv();
                    case Instruction.Label l -> "LABEL " + l.labels();
                    default -> e.text();
                });
            }
        }
        assertThat(images).containsExactly("busybox:1.37", "busybox");
        assertThat(steps).containsExactly(
                "ARG VERSION",
                "ENV [KeyValue[key=OUT, value=/out], KeyValue[key=NAME, value=app-1.37]]",
                "WORKDIR /src",
                "COPY null [build.sh] ./ 0755",
                "RUN ./build.sh \"$OUT/$NAME\" [type=cache,target=/cache] [VERSION=1.37, PATH=/bin, OUT=/out, NAME=app-1.37]",
                // VERSION is a global ARG: not visible in the second stage, which does not declare it
                "LABEL [KeyValue[key=org.opencontainers.image.version, value=]]",
                "COPY build [/out/] /usr/local/bin/ null",
                "USER 65534:65534",
                "EXPOSE 8080",
                "HEALTHCHECK --interval=10s CMD [\"wget\", \"-q\", \"-O-\", \"http://127.0.0.1:8080/\"]",
                "ENTRYPOINT [\"/usr/local/bin/app-1.36\"]",
                "CMD [\"--serve\"]");
        assertThat(build.unusedBuildArgs()).isEmpty();
    }
}
