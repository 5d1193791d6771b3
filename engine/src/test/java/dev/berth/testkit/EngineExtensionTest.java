package dev.berth.testkit;

import dev.berth.engine.container.ContainerFilter;
import dev.berth.engine.container.CreateRequest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The class-wide engine extension, driven through its callbacks the way JUnit calls them. */
@RootOnly
class EngineExtensionTest {

    @Test
    void anEngineWithBusyboxServesTheApiDropsContainersAfterEachTestAndLeavesNothingAfterTheClass() throws Exception {
        EngineExtension ext = EngineExtension.start().withBusybox("busybox:latest").serving().checkingNoMountsLeft();
        Path root;
        Path socket;
        ext.beforeAll(null);
        try {
            root = ext.root();
            socket = ext.socket();
            assertThat(ext.engine().images().resolve("busybox:latest").layers()).isNotEmpty();
            assertThat(ping(socket)).startsWith("HTTP/1.1 200").endsWith("OK");

            ext.engine().containers().create(CreateRequest.builder("busybox").name("left-by-a-test").cmd("true").build());
            ext.afterEach(null);
            assertThat(ext.engine().containers().list(ContainerFilter.ALL)).isEmpty();
        } finally {
            ext.afterAll(null);
        }
        assertThat(Files.exists(socket)).isFalse();
        assertThat(Files.exists(root)).isFalse();
        assertThatThrownBy(ext::engine).isInstanceOf(IllegalStateException.class).hasMessageContaining("no engine is running");
    }

    @Test
    void withoutServingNoSocketIsMade() {
        EngineExtension ext = EngineExtension.start();
        ext.beforeAll(null);
        try {
            assertThat(ext.engine().system().info().engineId()).isNotBlank();
            assertThat(Files.exists(ext.socket())).isFalse();
            assertThat(ext.engine().images().list()).isEmpty();
        } finally {
            ext.afterAll(null);
        }
    }

    private static String ping(Path socket) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }
}
