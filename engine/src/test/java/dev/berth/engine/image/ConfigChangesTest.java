package dev.berth.engine.image;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.ImageConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigChangesTest {

    private static ImageConfig.Config apply(String... changes) {
        return ConfigChanges.apply(null, List.of(changes));
    }

    @Test
    void cmdAndEntrypointTakeTheJsonFormOrTheShellForm() {
        ImageConfig.Config c = apply("CMD [\"echo\", \"a b\"]", "ENTRYPOINT /bin/run --flag");
        assertThat(c.cmd()).containsExactly("echo", "a b");
        assertThat(c.entrypoint()).containsExactly("/bin/sh", "-c", "/bin/run --flag");
        // not a JSON string array: Docker treats it as a shell command
        assertThat(apply("CMD [not json").cmd()).containsExactly("/bin/sh", "-c", "[not json");
    }

    @Test
    void envTakesPairsWithQuotesAndTheOldSpaceFormAndReplacesEarlierValues() {
        ImageConfig.Config c = apply("ENV A=1 B=\"two words\" C='single quoted'", "env D the rest of the line",
                "ENV A=3");
        // as Docker's dispatcher: a variable set again keeps its place
        assertThat(c.env()).containsExactly("A=3", "B=two words", "C=single quoted", "D=the rest of the line");
    }

    @Test
    void changesApplyOnTopOfAnExistingConfig() {
        ImageConfig.Config base = new ImageConfig.Config("root", Map.of("22/tcp", Map.of()), List.of("PATH=/bin", "A=0"),
                null, List.of("sh"), null, "/srv", Map.of("old", "1"), null, null, null, null, null);
        ImageConfig.Config c = ConfigChanges.apply(base, List.of("ENV A=1", "WORKDIR app", "EXPOSE 53/udp 8000-8010",
                "LABEL new=\"x y\"", "USER 1000:1000"));
        assertThat(c.env()).containsExactly("PATH=/bin", "A=1");
        assertThat(c.workingDir()).isEqualTo("/srv/app");
        // a range is one entry per port, as Docker's EXPOSE (and commit --change) writes it
        List<String> expected = new java.util.ArrayList<>(List.of("22/tcp", "53/udp"));
        for (int port = 8000; port <= 8010; port++) {
            expected.add(port + "/tcp");
        }
        assertThat(c.exposedPorts()).containsOnlyKeys(expected);
        assertThat(c.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("old", "1", "new", "x y"));
        assertThat(c.user()).isEqualTo("1000:1000");
        assertThat(c.cmd()).containsExactly("sh");
    }

    @Test
    void volumeTakesAJsonArrayOrWords() {
        assertThat(apply("VOLUME [\"/a\", \"/b c\"]").volumes()).containsOnlyKeys("/a", "/b c");
        assertThat(apply("VOLUME /x /y").volumes()).containsOnlyKeys("/x", "/y");
    }

    @Test
    void instructionsThatAreNotChangeCommandsAreRefusedByName() {
        for (String bad : List.of("RUN make", "FROM scratch", "COPY . /", "ADD x /", "HEALTHCHECK NONE", "ARG X",
                "SHELL [\"bash\"]", "NONSENSE")) {
            String keyword = bad.split(" ")[0];
            assertThatThrownBy(() -> apply(bad))
                    .isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessageStartingWith(keyword + " is not a valid change command");
        }
    }

    @Test
    void malformedArgumentsAreRefusedNamingTheChange() {
        assertThatThrownBy(() -> apply("EXPOSE 80/http")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("EXPOSE 80/http");
        assertThatThrownBy(() -> apply("EXPOSE 0")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("1 to 65535");
        assertThatThrownBy(() -> apply("ENV A=\"unterminated")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("unterminated quote");
        assertThatThrownBy(() -> apply("LABEL =v")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("LABEL =v");
        assertThatThrownBy(() -> apply("ENV ONLYKEY")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("ENV ONLYKEY");
        assertThatThrownBy(() -> apply("USER")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("USER requires at least one argument");
        assertThatThrownBy(() -> apply("VOLUME [1, 2")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("JSON array");
    }

    @Test
    void wordsAreExpandedAgainstTheConfigsEnvironmentAsDockerDoes() {
        ImageConfig.Config base = new ImageConfig.Config(null, null, List.of("HOME=/home/app", "PORT=8080"),
                null, null, null, null, null, null, null, null, null, null);
        ImageConfig.Config c = ConfigChanges.apply(base, List.of("WORKDIR $HOME/src", "EXPOSE ${PORT}/udp",
                "ENV PATH=$HOME/bin:/bin GREETING='$HOME stays'", "LABEL where=\"${HOME}\"", "CMD echo $HOME"));
        assertThat(c.workingDir()).isEqualTo("/home/app/src");
        assertThat(c.exposedPorts()).containsOnlyKeys("8080/udp");
        assertThat(c.env()).containsExactly("HOME=/home/app", "PORT=8080", "PATH=/home/app/bin:/bin", "GREETING=$HOME stays");
        assertThat(c.labels()).containsEntry("where", "/home/app");
        // the shell form is left to the shell
        assertThat(c.cmd()).containsExactly("/bin/sh", "-c", "echo $HOME");
    }

    @Test
    void theEditorAlsoAppliesShellAndHealthcheckForTheBuilder() {
        ConfigChanges.Editor editor = new ConfigChanges.Editor(null);
        editor.apply(dev.berth.engine.build.dockerfile.DockerfileParser.parseInstruction("SHELL [\"/bin/bash\", \"-c\"]", "t"));
        editor.apply(dev.berth.engine.build.dockerfile.DockerfileParser.parseInstruction("CMD echo hi", "t"));
        editor.apply(dev.berth.engine.build.dockerfile.DockerfileParser.parseInstruction(
                "HEALTHCHECK --interval=30s --retries=2 CMD wget -q localhost", "t"));
        ImageConfig.Config c = editor.config();
        assertThat(c.shell()).containsExactly("/bin/bash", "-c");
        assertThat(c.cmd()).containsExactly("/bin/bash", "-c", "echo hi");
        assertThat(c.healthcheck().test()).containsExactly("CMD-SHELL", "wget -q localhost");
        assertThat(c.healthcheck().interval()).isEqualTo(30_000_000_000L);
        assertThat(c.healthcheck().retries()).isEqualTo(2);
        editor.apply(dev.berth.engine.build.dockerfile.DockerfileParser.parseInstruction("HEALTHCHECK NONE", "t"));
        assertThat(editor.config().healthcheck().test()).containsExactly("NONE");
    }
}
