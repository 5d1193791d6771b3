package dev.berth.engine.api.http;

import dev.berth.engine.errors.EngineException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 server on a unix domain socket (Netty, epoll), serving the routes of a list of
 * {@link Router}s. No TCP listener. The socket file is created with mode 0660, its group set
 * to {@code socketGroup} when that group exists, and removed on {@link #close()}.
 *
 * <p>A socket path that is already served by a live process is refused; a stale socket file
 * left by a process that died is replaced. Any other file at that path is refused.
 */
public final class UnixHttpServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(UnixHttpServer.class.getName());

    private final Path socket;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final Dispatcher dispatcher;

    private UnixHttpServer(Path socket, EventLoopGroup group, Channel serverChannel, ChannelGroup connections,
                           Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
        this.socket = socket;
        this.group = group;
        this.serverChannel = serverChannel;
        this.connections = connections;
    }

    /**
     * Binds {@code socket} and starts serving.
     *
     * @param commonHeaders headers sent with every response
     * @param socketGroup   group that may use the socket, when it exists on this host
     * @throws EngineException.Conflict    when a live server answers on {@code socket}
     * @throws EngineException.Unavailable when the socket cannot be created
     */
    public static UnixHttpServer start(Path socket, List<Router> routers, HttpHeaders commonHeaders,
                                       Optional<String> socketGroup) {
        Dispatcher dispatcher = new Dispatcher(routers, commonHeaders);
        prepareSocketPath(socket);
        if (!Epoll.isAvailable()) {
            throw new EngineException.Unavailable("cannot serve unix://" + socket + ": Netty's epoll transport is not available here: "
                    + Epoll.unavailabilityCause().getMessage(), Epoll.unavailabilityCause());
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(Math.min(2, Runtime.getRuntime().availableProcessors()),
                Thread.ofPlatform().name("berth-api-io-", 1).daemon(true).factory(), EpollIoHandler.newFactory());
        ChannelGroup connections = new DefaultChannelGroup("berth-api", GlobalEventExecutor.INSTANCE);
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerDomainSocketChannel.class)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<DomainSocketChannel>() {
                        @Override
                        protected void initChannel(DomainSocketChannel ch) {
                            connections.add(ch);
                            ch.pipeline().addLast(
                                    new HttpServerCodec(new HttpDecoderConfig()
                                            .setMaxInitialLineLength(64 * 1024)
                                            .setMaxHeaderSize(64 * 1024)
                                            .setMaxChunkSize(64 * 1024)),
                                    new HttpServerExpectContinueHandler(),
                                    new Connection(dispatcher));
                        }
                    });
            Channel server = b.bind(new DomainSocketAddress(socket.toString())).syncUninterruptibly().channel();
            UnixHttpServer s = new UnixHttpServer(socket, group, server, connections, dispatcher);
            try {
                s.restrictSocket(socketGroup);
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
            return s;
        } catch (EngineException e) {
            throw e;
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (isAddressInUse(e)) {
                throw alreadyServed(socket);
            }
            throw new EngineException.Unavailable("cannot serve unix://" + socket + ": " + e.getMessage(), e);
        }
    }

    /** The socket file this server listens on. */
    public Path socket() {
        return socket;
    }

    /** Creates the parent directory; clears a stale socket; refuses a live one or a non-socket file. */
    private static void prepareSocketPath(Path socket) {
        try {
            Files.createDirectories(socket.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot create the directory for unix://" + socket + ": " + e.getMessage(), e);
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return; // nothing there
        }
        if (!attrs.isOther()) {
            throw new EngineException.Conflict("cannot serve unix://" + socket + ": the path exists and is not a socket");
        }
        if (answers(socket)) {
            throw alreadyServed(socket);
        }
        try {
            Files.deleteIfExists(socket);
            LOG.log(System.Logger.Level.INFO, "removed stale socket " + socket);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot remove the stale socket " + socket + ": " + e.getMessage(), e);
        }
    }

    private static boolean answers(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }

    private static EngineException alreadyServed(Path socket) {
        return new EngineException.Conflict("unix socket " + socket + " is already served by another engine");
    }

    private static boolean isAddressInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    /** Mode 0660; group {@code socketGroup} when it exists (the owner is the engine's user, root). */
    private void restrictSocket(Optional<String> socketGroup) {
        try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
            if (socketGroup.isPresent()) {
                GroupPrincipal g;
                try {
                    g = socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(socketGroup.get());
                } catch (UserPrincipalNotFoundException e) {
                    LOG.log(System.Logger.Level.DEBUG, "no group " + socketGroup.get() + ": the socket stays root-only");
                    return;
                }
                Files.getFileAttributeView(socket, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(g);
            }
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot set the permissions of " + socket + ": " + e.getMessage(), e);
        }
    }

    /** Stops accepting, closes every connection, removes the socket file. Idempotent. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        dispatcher.awaitHandlers(java.time.Duration.ofSeconds(2));
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove socket " + socket + ": " + e.getMessage());
        }
    }
}
