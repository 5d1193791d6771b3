package dev.berth.app.backend;

import jnr.unixsocket.UnixSocket;
import jnr.unixsocket.UnixSocketAddress;
import jnr.unixsocket.UnixSocketChannel;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.file.Path;

/**
 * Sockets that connect to one unix socket whatever address they are asked for, so that an
 * HTTP client built for TCP (OkHttp) talks to the Docker API on {@code /run/berth/berth.sock}.
 */
final class UnixSocketFactory extends SocketFactory {

    private final Path path;

    UnixSocketFactory(Path path) {
        this.path = path;
    }

    @Override
    public Socket createSocket() throws IOException {
        UnixSocketChannel channel = UnixSocketChannel.create();
        UnixSocketAddress target = new UnixSocketAddress(path.toFile());
        return new UnixSocket(channel) {
            @Override
            public void connect(SocketAddress ignored) throws IOException {
                super.connect(target);
            }

            @Override
            public void connect(SocketAddress ignored, int timeout) throws IOException {
                super.connect(target, timeout);
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected();
    }

    private Socket connected() throws IOException {
        Socket s = createSocket();
        s.connect(null);
        return s;
    }
}
