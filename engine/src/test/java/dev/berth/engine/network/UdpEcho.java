package dev.berth.engine.network;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A UDP echo server inside a network namespace file, for tests: a dedicated platform thread
 * calls {@code setns(2)} into the namespace, so the socket it opens lives there (busybox here
 * has no UDP listener). The thread never returns to the host namespace; it ends on close.
 */
final class UdpEcho implements AutoCloseable {

    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;

    private final DatagramSocket socket;
    private final Thread thread;

    UdpEcho(String netnsPath, int port) throws Exception {
        CompletableFuture<DatagramSocket> opened = new CompletableFuture<>();
        thread = Thread.ofPlatform().daemon().name("udp-echo-" + port).start(() -> {
            DatagramSocket s;
            try {
                enter(netnsPath);
                s = new DatagramSocket(new InetSocketAddress("0.0.0.0", port));
                opened.complete(s);
            } catch (Throwable t) {
                opened.completeExceptionally(t);
                return;
            }
            byte[] buf = new byte[2048];
            while (!s.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    s.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                } catch (SocketException closed) {
                    return;
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        socket = opened.get(10, TimeUnit.SECONDS);
    }

    private static void enter(String netnsPath) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle open = linker.downcallHandle(linker.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        MethodHandle setns = linker.downcallHandle(linker.defaultLookup().find("setns").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) open.invokeExact(arena.allocateFrom(netnsPath), O_RDONLY);
            if (fd < 0) {
                throw new IllegalStateException("cannot open " + netnsPath);
            }
            int rc = (int) setns.invokeExact(fd, CLONE_NEWNET);
            int ignored = (int) close.invokeExact(fd);
            if (rc != 0) {
                throw new IllegalStateException("setns into " + netnsPath + " failed");
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(5000);
    }
}
