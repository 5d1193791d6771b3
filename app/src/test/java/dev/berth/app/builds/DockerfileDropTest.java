package dev.berth.app.builds;

import dev.berth.app.builds.DockerfileDrop.Open;
import dev.berth.app.builds.DockerfileDrop.Refused;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What dropping files onto the window builds, or why it does not. */
class DockerfileDropTest {

    @TempDir
    Path tmp;

    @Test
    void aDroppedFileIsTheDockerfileWhateverItsNameAndItsFolderTheContext() throws Exception {
        Path dev = Files.writeString(tmp.resolve("app.dockerfile"), "FROM busybox\n");
        assertThat(DockerfileDrop.of(List.of(dev.toFile()))).isEqualTo(new Open(tmp, "app.dockerfile"));
        Path plain = Files.writeString(tmp.resolve("Dockerfile"), "FROM busybox\n");
        assertThat(DockerfileDrop.of(List.of(plain.toFile()))).isEqualTo(new Open(tmp, "Dockerfile"));
    }

    @Test
    void aDroppedFolderBuildsItsDockerfileAndFallsBackToAContainerfile() throws Exception {
        Path both = Files.createDirectories(tmp.resolve("both"));
        Files.writeString(both.resolve("Dockerfile"), "FROM a\n");
        Files.writeString(both.resolve("Containerfile"), "FROM b\n");
        assertThat(DockerfileDrop.of(List.of(both.toFile()))).isEqualTo(new Open(both, "Dockerfile"));

        Path podman = Files.createDirectories(tmp.resolve("podman"));
        Files.writeString(podman.resolve("Containerfile"), "FROM b\n");
        assertThat(DockerfileDrop.of(List.of(podman.toFile()))).isEqualTo(new Open(podman, "Containerfile"));
    }

    @Test
    void aFolderWithoutADockerfileIsRefusedNamingTheFolder() throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("README.md"), "hello\n");
        // a directory called Dockerfile is not a Dockerfile
        Files.createDirectories(docs.resolve("Dockerfile"));
        var outcome = DockerfileDrop.of(List.of(docs.toFile()));
        assertThat(outcome).isInstanceOf(Refused.class);
        assertThat(((Refused) outcome).reason().key()).isEqualTo("builds.drop.refused.noDockerfile");
        assertThat(((Refused) outcome).reason().args()).containsExactly(docs.toString());
    }

    @Test
    void noFilesSeveralItemsAndVanishedPathsAreRefused() throws Exception {
        Path a = Files.writeString(tmp.resolve("Dockerfile"), "FROM a\n");
        Path b = Files.writeString(tmp.resolve("Containerfile"), "FROM b\n");
        assertThat(reason(DockerfileDrop.of(List.of()))).isEqualTo("builds.drop.refused.noFiles");
        assertThat(reason(DockerfileDrop.of(null))).isEqualTo("builds.drop.refused.noFiles");
        assertThat(reason(DockerfileDrop.of(List.of(a.toFile(), b.toFile())))).isEqualTo("builds.drop.refused.several");
        assertThat(reason(DockerfileDrop.of(List.of(new File(tmp.toFile(), "gone"))))).isEqualTo("builds.drop.refused.notAFile");
    }

    @Test
    void aRelativePathIsTakenFromTheWorkingDirectoryAndNormalized() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("x/y"));
        Files.writeString(dir.resolve("Dockerfile"), "FROM a\n");
        File messy = new File(tmp.resolve("x/y/../y/.").toString());
        assertThat(DockerfileDrop.of(List.of(messy))).isEqualTo(new Open(dir, "Dockerfile"));
        // the same folder named relative to the working directory
        Path relative = Path.of("").toAbsolutePath().relativize(tmp.resolve("x/y/../y"));
        assertThat(relative.isAbsolute()).isFalse();
        assertThat(DockerfileDrop.of(List.of(relative.toFile()))).isEqualTo(new Open(dir, "Dockerfile"));
    }

    private static String reason(DockerfileDrop.Outcome o) {
        assertThat(o).isInstanceOf(Refused.class);
        return ((Refused) o).reason().key();
    }
}
