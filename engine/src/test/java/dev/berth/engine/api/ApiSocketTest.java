package dev.berth.engine.api;

import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The socket file: its mode and group, its removal, and one engine per socket. */
class ApiSocketTest {

    @TempDir
    static Path tmp;
    static Engine engine;

    @BeforeAll
    static void start() {
        engine = Engine.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("unused.sock")));
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    static PosixFileAttributes attrs(Path p) throws Exception {
        return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void socketIsCreatedInMissingDirsWithMode0660AndRemovedOnClose() throws Exception {
        Path sock = tmp.resolve("a/b/berth.sock");
        ApiServer api = ApiServer.serve(engine, sock);
        try {
            PosixFileAttributes a = attrs(sock);
            assertThat(a.isOther()).as("a socket").isTrue();
            assertThat(PosixFilePermissions.toString(a.permissions())).isEqualTo("rw-rw----");
            assertThat(a.owner().getName()).isEqualTo("root");
            assertThat(RawHttp.exchange(sock, "GET", "/_ping").text()).isEqualTo("OK");
        } finally {
            api.close();
        }
        assertThat(sock).doesNotExist();
    }

    @Test
    void socketGroupIsSetWhenTheGroupExists() throws Exception {
        Path sock = tmp.resolve("group.sock");
        try (ApiServer api = ApiServer.builder(engine, sock).socketGroup("staff").start()) {
            assertThat(attrs(api.socket()).group().getName()).isEqualTo("staff");
        }
        Path other = tmp.resolve("nogroup.sock");
        try (ApiServer api = ApiServer.builder(engine, other).socketGroup("no-such-group-berth-test").start()) {
            assertThat(attrs(api.socket()).group().getName()).isEqualTo("root");
            assertThat(RawHttp.exchange(other, "GET", "/_ping").status()).isEqualTo(200);
        }
    }

    @Test
    void aSecondServerOnALiveSocketIsRefusedAndTheFirstKeepsServing() throws Exception {
        Path sock = tmp.resolve("live.sock");
        try (ApiServer first = ApiServer.serve(engine, sock)) {
            assertThatThrownBy(() -> ApiServer.serve(engine, sock))
                    .isInstanceOf(EngineException.Conflict.class)
                    .hasMessageContaining(sock.toString())
                    .hasMessageContaining("is already served by another engine");
            assertThat(first.socket()).exists();
            assertThat(RawHttp.exchange(sock, "GET", "/_ping").text()).isEqualTo("OK");
        }
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path sock = tmp.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(sock));
        }
        assertThat(sock).exists(); // closing a JDK unix server socket leaves its file behind
        try (ApiServer api = ApiServer.serve(engine, sock)) {
            assertThat(RawHttp.exchange(api.socket(), "GET", "/_ping").text()).isEqualTo("OK");
        }
    }

    @Test
    void aFileThatIsNotASocketIsRefusedAndKept() throws Exception {
        Path notSocket = tmp.resolve("precious.txt");
        Files.writeString(notSocket, "keep me");
        assertThatThrownBy(() -> ApiServer.serve(engine, notSocket))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessageContaining(notSocket.toString());
        assertThat(notSocket).hasContent("keep me");
    }
}
