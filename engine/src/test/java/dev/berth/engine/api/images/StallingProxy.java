package dev.berth.engine.api.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TCP forwarder on 127.0.0.1 in front of a real registry that holds back the answer on any
 * connection whose requests mention {@code trigger} (a blob digest) until {@link #release()}.
 * It reports when such a held connection was closed by the client: how a test sees that a
 * cancelled pull stopped downloading.
 */
final class StallingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int upstreamPort;
    private final byte[] trigger;
    private final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch closedWhileStalled = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    StallingProxy(int upstreamPort, String trigger) throws IOException {
        this.upstreamPort = upstreamPort;
        this.trigger = trigger.getBytes(StandardCharsets.US_ASCII);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    String host() {
        return "127.0.0.1:" + port();
    }

    boolean awaitStalled(long seconds) throws InterruptedException {
        return stalled.await(seconds, TimeUnit.SECONDS);
    }

    boolean awaitClosedWhileStalled(long seconds) throws InterruptedException {
        return closedWhileStalled.await(seconds, TimeUnit.SECONDS);
    }

    void release() {
        released.countDown();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                sockets.add(client);
                sockets.add(upstream);
                Connection c = new Connection(client, upstream);
                Thread.ofVirtual().start(c::clientToUpstream);
                Thread.ofVirtual().start(c::upstreamToClient);
            } catch (IOException e) {
                return;
            }
        }
    }

    private final class Connection {
        final Socket client;
        final Socket upstream;
        volatile boolean holding;

        Connection(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void clientToUpstream() {
            byte[] window = new byte[0];
            try (InputStream in = client.getInputStream(); OutputStream out = upstream.getOutputStream()) {
                byte[] buf = new byte[16384];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    byte[] joined = new byte[window.length + n];
                    System.arraycopy(window, 0, joined, 0, window.length);
                    System.arraycopy(buf, 0, joined, window.length, n);
                    if (released.getCount() > 0 && contains(joined, trigger)) {
                        holding = true;
                        stalled.countDown();
                    }
                    window = java.util.Arrays.copyOfRange(joined, Math.max(0, joined.length - trigger.length), joined.length);
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the client reset the connection
            } finally {
                if (holding && released.getCount() > 0) {
                    closedWhileStalled.countDown();
                }
                closeQuietly(upstream);
            }
        }

        void upstreamToClient() {
            try (InputStream in = upstream.getInputStream(); OutputStream out = client.getOutputStream()) {
                byte[] buf = new byte[16384];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    while (holding && !released.await(50, TimeUnit.MILLISECONDS)) {
                        if (client.isClosed()) {
                            return;
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // either side went away
            } finally {
                closeQuietly(client);
            }
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        release();
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
