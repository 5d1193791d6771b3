package dev.berth.app.backend;

import dev.berth.engine.EngineConfig;
import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendLocatorTest {

    @TempDir
    Path tmp;

    @Test
    void withNothingOnTheSocketTheEmbeddedEngineStartsOnTheGivenRoot() {
        BackendOptions o = BackendOptions.parse(new String[] {"--root", tmp.resolve("root").toString(),
                "--socket", tmp.resolve("berth.sock").toString()}, Map.of());
        try (Backend b = new BackendLocator(o).locate()) {
            assertThat(b).isInstanceOf(EmbeddedBackend.class);
            Connection.Embedded c = (Connection.Embedded) b.connection();
            assertThat(c.root()).isEqualTo(tmp.resolve("root"));
            assertThat(c.socket()).isEqualTo(tmp.resolve("berth.sock"));
            assertThat(Files.isDirectory(tmp.resolve("root"))).isTrue();
        }
    }

    @Test
    void aStaleSocketFileThatNobodyAnswersDoesNotStopTheEmbeddedEngine() throws Exception {
        Path stale = Files.createFile(tmp.resolve("stale.sock"));
        BackendOptions o = BackendOptions.parse(new String[] {"--root", tmp.resolve("root").toString(),
                "--socket", stale.toString()}, Map.of());
        try (Backend b = new BackendLocator(o).locate()) {
            assertThat(b).isInstanceOf(EmbeddedBackend.class);
        }
    }

    @Test
    void aNamedHostThatDoesNotAnswerIsReportedAndNoEngineStarts() {
        Path missing = tmp.resolve("nobody.sock");
        BackendOptions o = BackendOptions.parse(new String[] {"--root", tmp.resolve("root").toString(),
                "--host", "unix://" + missing}, Map.of());
        assertThatThrownBy(() -> new BackendLocator(o).locate())
                .isInstanceOf(EngineException.Unavailable.class)
                .hasMessageContaining("unix://" + missing);
        assertThat(tmp.resolve("root")).doesNotExist();
    }

    @Test
    void whenTheSocketIsDeadAndTheRootIsTakenBothReasonsAreGiven() throws Exception {
        Path stale = Files.createFile(tmp.resolve("stale.sock"));
        BackendOptions o = BackendOptions.parse(new String[] {"--root", tmp.resolve("root").toString(),
                "--socket", stale.toString()}, Map.of());
        try (EmbeddedBackend owner = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("owner.sock")), false)) {
            assertThatThrownBy(() -> new BackendLocator(o).locate())
                    .isInstanceOf(EngineException.Unavailable.class)
                    .hasMessageContaining("unix://" + stale)
                    .hasMessageContaining("the embedded engine could not start");
        }
    }
}
