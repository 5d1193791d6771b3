package dev.berth.engine.state;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateRootTest {

    @TempDir
    Path tmp;

    @Test
    void secondOwnerIsRefusedWithTheSocketOfTheFirst() {
        Path root = tmp.resolve("root");
        try (StateRoot first = StateRoot.acquire(root, "/tmp/first.sock")) {
            assertThatThrownBy(() -> StateRoot.acquire(root, "/tmp/second.sock"))
                    .isInstanceOf(EngineException.Conflict.class)
                    .hasMessageContaining("already in use")
                    .hasMessageContaining("unix:///tmp/first.sock")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            assertThat(first.dir()).isEqualTo(root.toAbsolutePath());
        }
    }

    @Test
    void rootCanBeTakenAgainAfterTheOwnerCloses() {
        Path root = tmp.resolve("root");
        StateRoot.acquire(root, "/tmp/a.sock").close();
        try (StateRoot again = StateRoot.acquire(root, "/tmp/b.sock")) {
            assertThat(Json.read(root.resolve("engine.json"), StateRoot.Owner.class).socket()).isEqualTo("/tmp/b.sock");
        }
        assertThat(root.resolve("engine.json")).doesNotExist();
    }

    @Test
    void rootIsCreatedTraversableButNotListableByOthers() throws Exception {
        Path root = tmp.resolve("deep/root");
        try (StateRoot r = StateRoot.acquire(root, "/s")) {
            assertThat(Files.getPosixFilePermissions(root)).containsExactlyInAnyOrderElementsOf(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
            assertThat(r.subdir("containers")).isDirectory();
        }
    }
}
