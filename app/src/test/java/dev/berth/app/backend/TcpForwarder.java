package dev.berth.app.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plumbing for tests: forwards TCP connections on 127.0.0.1 to a unix socket, byte for byte,
 * so the client's TCP transport can reach the engine's real API server (which listens on a
 * unix socket only). Nothing is interpreted on the way.
 */
final class TcpForwarder implements AutoCloseable {

    private final ServerSocket server;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    TcpForwarder(Path unixSocket) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("tcp-forwarder").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket tcp = server.accept();
                    SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX);
                    unix.connect(UnixDomainSocketAddress.of(unixSocket));
                    open.add(tcp);
                    open.add(unix);
                    pump(tcp.getInputStream(), Channels.newOutputStream(unix));
                    pump(Channels.newInputStream(unix), tcp.getOutputStream());
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private static void pump(InputStream in, OutputStream out) {
        Thread.ofPlatform().daemon().name("tcp-forwarder-pump").start(() -> {
            try {
                in.transferTo(out);
            } catch (IOException ignored) {
                // the other side closed
            } finally {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        });
    }

    @Override
    public void close() throws Exception {
        server.close();
        for (AutoCloseable c : open) {
            c.close();
        }
    }
}
