package dev.berth.app.builds;

import dev.berth.app.builds.BuildDialogModel.ArgRow;
import dev.berth.app.builds.BuildDialogModel.Field;
import dev.berth.app.builds.BuildDialogModel.Problem;
import dev.berth.app.i18n.Language;
import dev.berth.app.i18n.Localization;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.UiExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Build dialog's form without a window: the Dockerfile read with the engine's parser, its
 * stages and ARGs offered, every input checked, and the request it makes.
 */
class BuildDialogModelTest {

    private static final String MULTI_STAGE = """
            ARG BASE=busybox:latest
            FROM ${BASE} AS builder
            ARG VERSION=1.0
            ARG TOKEN
            RUN echo $VERSION > /v
            FROM busybox:latest AS runtime
            COPY --from=builder /v /v
            FROM runtime
            ARG VERSION
            CMD ["cat", "/v"]
            """;

    @TempDir
    Path tmp;

    private final UiExecutor executor = new UiExecutor(Runnable::run);
    private final Localization en = new Localization(Language.ENGLISH);

    @AfterEach
    void close() {
        executor.close();
    }

    private BuildDialogModel model(Path context, String dockerfile) throws Exception {
        BuildDialogModel m = new BuildDialogModel(executor);
        m.prefill(context, dockerfile);
        settle(m);
        return m;
    }

    private static void settle(BuildDialogModel m) throws Exception {
        m.settled().get(10, TimeUnit.SECONDS);
    }

    private List<String> messages(BuildDialogModel m, Field field) {
        return m.validate().stream().filter(p -> p.field() == field).map(Problem::text).map(en::get).toList();
    }

    @Test
    void theDockerfilesStagesAndArgsFillTheFormAndTheRequestSendsOnlyWhatWasChanged() throws Exception {
        Files.writeString(tmp.resolve("Dockerfile"), MULTI_STAGE);
        BuildDialogModel m = model(tmp, "Dockerfile");

        assertThat(m.stages()).containsExactly("builder", "runtime");
        assertThat(m.buildArgs()).extracting(a -> a.nameProperty().get(), a -> a.valueProperty().get(), ArgRow::declaredDefault)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("BASE", "busybox:latest", "busybox:latest"),
                        org.assertj.core.groups.Tuple.tuple("VERSION", "1.0", "1.0"),
                        org.assertj.core.groups.Tuple.tuple("TOKEN", "", null));
        assertThat(m.validate()).isEmpty();
        assertThat(m.ready()).isTrue();
        BuildRequest untouched = m.request();
        assertThat(untouched).isEqualTo(new BuildRequest(tmp, "Dockerfile", List.of(), Map.of(), null, false, false));

        m.buildArgs().get(1).valueProperty().set("2.0");
        m.buildArgs().get(2).valueProperty().set("s3cret");
        m.addBuildArg("HTTP_PROXY", "");
        m.tags().getFirst().textProperty().set("myapp:1.0");
        m.addTag("127.0.0.1:5000/myapp:latest");
        m.addTag(" myapp:1.0 ");
        m.targetProperty().set("builder");
        m.noCacheProperty().set(true);
        m.pullProperty().set(true);
        assertThat(m.validate()).isEmpty();
        BuildRequest r = m.request();
        assertThat(r.contextDir()).isEqualTo(tmp);
        assertThat(r.dockerfile()).isEqualTo("Dockerfile");
        assertThat(r.tags()).containsExactly("myapp:1.0", "127.0.0.1:5000/myapp:latest");
        assertThat(r.buildArgs()).containsExactly(Map.entry("VERSION", "2.0"), Map.entry("TOKEN", "s3cret"), Map.entry("HTTP_PROXY", ""));
        assertThat(r.target()).isEqualTo("builder");
        assertThat(r.noCache()).isTrue();
        assertThat(r.pull()).isTrue();
    }

    @Test
    void editingTheDockerfileKeepsChangedValuesAndDropsAStageThatIsGone() throws Exception {
        Path file = Files.writeString(tmp.resolve("Dockerfile"), MULTI_STAGE);
        BuildDialogModel m = model(tmp, "");
        m.buildArgs().get(1).valueProperty().set("2.0"); // VERSION
        m.addBuildArg("EXTRA", "x");
        m.targetProperty().set("runtime");

        Files.writeString(file, "FROM busybox:latest AS only\nARG VERSION=1.0\nARG NEW=n\n");
        settle(m);
        m.reload().get(10, TimeUnit.SECONDS);
        assertThat(m.stages()).containsExactly("only");
        assertThat(m.targetProperty().get()).isEmpty();
        assertThat(m.buildArgs()).extracting(a -> a.nameProperty().get() + "=" + a.valueProperty().get())
                .containsExactly("VERSION=2.0", "NEW=n", "EXTRA=x");
        assertThat(m.request().buildArgs()).containsExactly(Map.entry("VERSION", "2.0"), Map.entry("EXTRA", "x"));
    }

    @Test
    void anEmptyDockerfileFieldMeansDockerfileOrElseContainerfile() throws Exception {
        Files.writeString(tmp.resolve("Containerfile"), "FROM busybox:latest\n");
        BuildDialogModel m = model(tmp, "");
        assertThat(m.effectiveDockerfile()).isEqualTo("Containerfile");
        assertThat(m.request().dockerfile()).isEqualTo("Containerfile");

        Files.writeString(tmp.resolve("Dockerfile"), "FROM busybox:latest\n");
        assertThat(m.effectiveDockerfile()).isEqualTo("Dockerfile");
        m.reload().get(10, TimeUnit.SECONDS);
        assertThat(m.request().dockerfile()).isEqualTo("Dockerfile");
    }

    @Test
    void aDockerfileInASubfolderIsSentRelativeToTheContext() throws Exception {
        Path sub = Files.createDirectories(tmp.resolve("docker"));
        Files.writeString(sub.resolve("dev.Dockerfile"), "FROM busybox:latest\n");
        BuildDialogModel m = model(tmp, "docker/dev.Dockerfile");
        assertThat(m.request().dockerfile()).isEqualTo("docker/dev.Dockerfile");
        // an absolute path inside the context is made relative
        m.dockerfileProperty().set(sub.resolve("dev.Dockerfile").toString());
        settle(m);
        assertThat(m.request().dockerfile()).isEqualTo("docker/dev.Dockerfile");
    }

    @Test
    void aDockerfileOutsideTheContextIsRefusedSayingWhy() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Path outside = Files.writeString(tmp.resolve("Dockerfile"), "FROM busybox:latest\n");
        BuildDialogModel m = model(ctx, "../Dockerfile");
        assertThat(messages(m, Field.DOCKERFILE)).containsExactly("The Dockerfile ../Dockerfile is outside the context folder "
                + ctx + ". Choose a context folder that contains it.");
        assertThat(m.ready()).isFalse();
        assertThatThrownBy(m::request).isInstanceOf(IllegalStateException.class);

        m.dockerfileProperty().set(outside.toString());
        settle(m);
        assertThat(messages(m, Field.DOCKERFILE)).singleElement().asString().contains("is outside the context folder");
    }

    @Test
    void aMissingFolderOrDockerfileIsNamed() throws Exception {
        BuildDialogModel m = model(null, null);
        assertThat(m.validate()).containsExactly(new Problem(Field.CONTEXT, Text.of("builds.dialog.validation.context.empty")));
        assertThat(m.ready()).isFalse();

        m.contextDirProperty().set("relative/dir");
        settle(m);
        assertThat(messages(m, Field.CONTEXT)).containsExactly("Write the full path of the folder, starting with /: relative/dir");
        m.contextDirProperty().set(tmp.resolve("nowhere").toString());
        settle(m);
        assertThat(messages(m, Field.CONTEXT)).containsExactly("There is no folder at " + tmp.resolve("nowhere") + ".");

        m.contextDirProperty().set(tmp.toString());
        settle(m);
        assertThat(messages(m, Field.CONTEXT)).isEmpty();
        assertThat(messages(m, Field.DOCKERFILE)).containsExactly("There is no Dockerfile in " + tmp + ".");
        m.dockerfileProperty().set("build/Dockerfile.prod");
        settle(m);
        assertThat(messages(m, Field.DOCKERFILE)).containsExactly("There is no build/Dockerfile.prod in " + tmp + ".");
    }

    @Test
    void aParseErrorNamesTheFileLineAndColumn() throws Exception {
        Files.writeString(tmp.resolve("Dockerfile"), "FROM busybox:latest\n\n  RUNN echo hi\n");
        BuildDialogModel m = model(tmp, "Dockerfile");
        assertThat(messages(m, Field.DOCKERFILE)).singleElement().asString()
                .startsWith("Dockerfile, line 3, column 3: unknown instruction: RUNN");
        assertThat(m.ready()).isFalse();
        assertThat(m.stages()).isEmpty();

        Files.writeString(tmp.resolve("Dockerfile"), "FROM busybox:latest\nRUN echo hi\n");
        m.reload().get(10, TimeUnit.SECONDS);
        assertThat(m.validate()).isEmpty();
        assertThat(m.ready()).isTrue();
    }

    @Test
    void eachTagIsCheckedWithDockersReferenceRules() throws Exception {
        Files.writeString(tmp.resolve("Dockerfile"), "FROM busybox:latest\n");
        BuildDialogModel m = model(tmp, "Dockerfile");
        m.tags().getFirst().textProperty().set("MyApp:1");
        m.addTag("myapp:bad/tag");
        m.addTag("my app");
        m.addTag("myapp@sha256:" + "a".repeat(64));
        m.addTag("ok/app:v1");
        m.addTag("   ");
        List<String> tags = messages(m, Field.TAGS);
        assertThat(tags).hasSize(4);
        assertThat(tags.get(0)).startsWith("Tag MyApp:1: ").contains("must be lowercase");
        assertThat(tags.get(1)).startsWith("Tag myapp:bad/tag: ");
        assertThat(tags.get(2)).isEqualTo("A tag has no spaces: my app");
        assertThat(tags.get(3)).isEqualTo("Tag myapp@sha256:" + "a".repeat(64)
                + ": a build is named by repository and tag, not by a digest.");
        assertThat(m.ready()).isFalse();

        m.tags().remove(0, 4);
        assertThat(m.validate()).isEmpty();
        assertThat(m.request().tags()).containsExactly("ok/app:v1");
    }

    @Test
    void buildArgRowsNeedADistinctPlainName() throws Exception {
        Files.writeString(tmp.resolve("Dockerfile"), "FROM busybox:latest\nARG MODE=fast\n");
        BuildDialogModel m = model(tmp, "Dockerfile");
        m.addBuildArg("", "orphan");
        m.addBuildArg("A B", "1");
        m.addBuildArg("K=V", "1");
        m.addBuildArg("MODE", "slow");
        m.addBuildArg("", ""); // an empty row is just ignored
        assertThat(messages(m, Field.BUILD_ARGS)).containsExactly(
                "Build argument 2 has a value but no name.",
                "Build argument 3: the name A B cannot contain = or spaces.",
                "Build argument 4: the name K=V cannot contain = or spaces.",
                "Build argument MODE is given twice.");
        m.buildArgs().remove(1, 5);
        assertThat(m.validate()).isEmpty();
        assertThat(m.request().buildArgs()).isEmpty();
    }

    @Test
    void aTargetTheDockerfileDoesNotNameIsAProblem() throws Exception {
        Files.writeString(tmp.resolve("Dockerfile"), MULTI_STAGE);
        BuildDialogModel m = model(tmp, "Dockerfile");
        m.targetProperty().set("tests");
        assertThat(messages(m, Field.TARGET)).containsExactly("The Dockerfile has no stage named tests.");
        m.targetProperty().set("runtime");
        assertThat(m.request().target()).isEqualTo("runtime");
    }

    @Test
    void aHugeOrBinaryFileIsNotTakenForADockerfile() throws Exception {
        Path big = tmp.resolve("disk.img");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}), BuildDialogModel.MAX_DOCKERFILE_BYTES); // sparse
        }
        BuildDialogModel m = model(tmp, "disk.img");
        assertThat(messages(m, Field.DOCKERFILE)).containsExactly("disk.img is larger than 4 MB: it is not a Dockerfile.");

        Files.write(tmp.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', (byte) 0xff, (byte) 0xfe, 0, 1});
        m.dockerfileProperty().set("logo.png");
        settle(m);
        assertThat(messages(m, Field.DOCKERFILE)).containsExactly("logo.png, line 1, column 1: the file is not UTF-8 text");
        assertThat(m.ready()).isFalse();
    }
}
