package dev.berth.engine.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client connection: the last handler of the Netty pipeline, and the bridge between the
 * event loop and the handlers' virtual threads.
 *
 * <p>Reading is on demand (the channel's auto-read is off): a request head is read when the
 * connection is idle, body bytes when the handler's body stream has room, raw bytes when a
 * hijacked handler's input has room. Requests on one connection are served one after the
 * other; a request pipelined behind the current one waits in a backlog. Everything without a
 * comment saying otherwise runs on the channel's event loop.
 */
final class Connection extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(Connection.class.getName());

    private final Dispatcher dispatcher;
    private ChannelHandlerContext ctx;
    private Channel channel;

    private Exchange current;
    private InboundPipe body;
    private InboundPipe raw;
    private boolean requestComplete;
    private boolean readOutstanding;
    private boolean inputShutdown;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();

    // touched from handler threads
    private final AtomicBoolean demandScheduled = new AtomicBoolean();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Condition writable = writeLock.newCondition();
    private volatile ChannelFuture lastWrite;

    Connection(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        maybeRead();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpObject http) {
            if (!backlog.isEmpty() || (current != null && requestComplete)) {
                backlog.add(msg);
                return;
            }
            onHttpObject(http);
        } else if (msg instanceof ByteBuf buf && raw != null) {
            raw.offer(buf);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHttpObject(HttpObject msg) {
        try {
            if (msg instanceof HttpRequest req) {
                if (req.decoderResult().isFailure()) {
                    badRequest(req.decoderResult().cause());
                    return;
                }
                startExchange(req);
            }
            if (msg instanceof HttpContent content && current != null && !requestComplete) {
                if (content.decoderResult().isFailure()) {
                    body.fail(new IOException("malformed request body: " + content.decoderResult().cause().getMessage()));
                    return;
                }
                if (content.content().isReadable()) {
                    body.offer(content.content().retain());
                }
                if (content instanceof LastHttpContent) {
                    body.end();
                    requestComplete = true;
                    if (current.route() != null && current.route().hijackable()) {
                        enterRawMode();
                    }
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void startExchange(HttpRequest req) {
        body = new InboundPipe(this::demand);
        requestComplete = false;
        current = dispatcher.exchange(this, req, body.stream());
        dispatcher.serve(current);
    }

    /**
     * The request of a hijackable route is complete: stop parsing HTTP so that whatever the
     * client sends next (stdin for attach/exec) reaches the handler as raw bytes. Removing the
     * decoder hands its unparsed leftovers straight back to {@link #channelRead}.
     */
    private void enterRawMode() {
        raw = new InboundPipe(this::demand);
        ChannelPipeline p = ctx.pipeline();
        if (p.get(HttpServerExpectContinueHandler.class) != null) {
            p.remove(HttpServerExpectContinueHandler.class);
        }
        HttpServerCodec codec = p.get(HttpServerCodec.class);
        if (codec != null) {
            codec.removeInboundHandler();
        }
    }

    private void badRequest(Throwable cause) {
        byte[] json = ("{\"message\":" + quote("bad request: " + cause.getMessage()) + "}").getBytes(StandardCharsets.UTF_8);
        DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                Unpooled.wrappedBuffer(json));
        res.headers().add(dispatcher.commonHeaders())
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .set(HttpHeaderNames.CONTENT_LENGTH, json.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        inputShutdown = true; // read nothing more from a client that speaks broken HTTP
        send(res);
        closeAfterWrites();
    }

    private static String quote(String s) {
        return new String(dev.berth.engine.state.Json.toBytes(s == null ? "" : s), StandardCharsets.UTF_8);
    }

    /** From the handler's thread, once it has returned. */
    void finishedOnLoop(Exchange ex) {
        channel.eventLoop().execute(() -> finished(ex));
    }

    /** Called (on the event loop) once the handler of {@code ex} has returned. */
    private void finished(Exchange ex) {
        if (ex != current) {
            return;
        }
        boolean reuse = raw == null && requestComplete && !inputShutdown && ex.keepAlive()
                && ex.completedCleanly() && channel.isActive();
        body.release();
        current = null;
        body = null;
        if (!reuse) {
            closeAfterWrites();
            return;
        }
        drainBacklog();
        maybeRead();
    }

    /** Serves pipelined requests that arrived while the previous one was being handled. */
    private void drainBacklog() {
        while (!backlog.isEmpty() && !(current != null && requestComplete)) {
            onHttpObject((HttpObject) backlog.poll());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readOutstanding = false;
        maybeRead();
    }

    /** Asks the socket for more bytes when someone is waiting for them. */
    private void maybeRead() {
        if (readOutstanding || inputShutdown || !channel.isActive()) {
            return;
        }
        boolean want;
        if (raw != null) {
            want = raw.wantsData();
        } else if (current == null) {
            want = backlog.isEmpty();
        } else if (!requestComplete) {
            want = body.wantsData();
        } else {
            // like Go's background read: notices a client that goes away mid-response and
            // keeps at most one pipelined request waiting
            want = backlog.isEmpty();
        }
        if (want) {
            readOutstanding = true;
            ctx.read();
        }
    }

    /** From a reader's thread: its pipe has room again. */
    private void demand() {
        if (demandScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(() -> {
                    demandScheduled.set(false);
                    maybeRead();
                });
            } catch (RejectedExecutionException e) {
                demandScheduled.set(false); // server shutting down; the pipe is failed by channelInactive
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
            if (raw != null) {
                raw.end(); // the client half-closed: end of its stdin
            } else if (current != null) {
                if (!requestComplete) {
                    body.fail(new IOException("client closed the connection before the end of the request body"));
                }
                current.clientGone();
            } else {
                closeAfterWrites();
            }
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        signalWriters();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        IOException gone = new IOException("client closed the connection");
        if (body != null) {
            body.fail(gone);
        }
        if (raw != null) {
            raw.fail(gone);
        }
        if (current != null) {
            current.clientGone();
        } else if (raw != null) {
            raw.release();
        }
        Object m;
        while ((m = backlog.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
        signalWriters();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.log(System.Logger.Level.DEBUG, "connection error: " + cause.getMessage());
        } else {
            LOG.log(System.Logger.Level.WARNING, "connection error", cause);
        }
        ctx.close();
    }

    private void signalWriters() {
        writeLock.lock();
        try {
            writable.signalAll();
        } finally {
            writeLock.unlock();
        }
    }

    // ------------------------------------------------------------ used from handler threads

    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    boolean isActive() {
        return channel.isActive();
    }

    void checkActive() throws IOException {
        if (!channel.isActive()) {
            throw new IOException("client closed the connection");
        }
    }

    /** Writes and flushes; a failed write closes the connection. Any thread. */
    ChannelFuture send(Object msg) {
        if (!channel.isActive()) {
            ReferenceCountUtil.release(msg);
            ChannelFuture failed = channel.newFailedFuture(new java.nio.channels.ClosedChannelException());
            lastWrite = failed;
            return failed;
        }
        ChannelFuture f = channel.writeAndFlush(msg);
        lastWrite = f;
        f.addListener((ChannelFutureListener) done -> {
            if (!done.isSuccess()) {
                LOG.log(System.Logger.Level.DEBUG, "write failed: " + done.cause());
                done.channel().close();
            }
        });
        return f;
    }

    /** Blocks while the client is not keeping up with what was written. */
    void awaitWritable() throws IOException {
        writeLock.lock();
        try {
            while (channel.isActive() && !channel.isWritable()) {
                writable.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing to the client");
        } finally {
            writeLock.unlock();
        }
        checkActive();
    }

    /** Half-closes the connection once everything written so far has been sent. */
    void shutdownOutput() throws IOException {
        awaitLastWrite();
        checkActive();
        ChannelFuture f = ((DuplexChannel) channel).shutdownOutput().awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException("cannot half-close the connection: " + f.cause().getMessage(), f.cause());
        }
    }

    /** Closes the connection once everything written so far has been sent. Any thread. */
    void closeAfterWrites() {
        ChannelFuture lw = lastWrite;
        if (lw == null || lw.isDone()) {
            channel.close();
        } else {
            lw.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void awaitLastWrite() {
        ChannelFuture lw = lastWrite;
        if (lw != null) {
            lw.awaitUninterruptibly();
        }
    }

    /**
     * Turns the connection into a raw stream: drops the HTTP encoder, writes the hijack
     * response head, and returns the client's raw input. Called from the handler's thread.
     */
    InputStream hijack(byte[] responseHead) throws IOException {
        try {
            channel.eventLoop().submit(() -> {
                HttpServerCodec codec = channel.pipeline().get(HttpServerCodec.class);
                if (codec != null) {
                    channel.pipeline().remove(codec);
                }
                send(Unpooled.wrappedBuffer(responseHead));
                // the hijacked peer may half-close its side; keep reading what it still sends
                maybeRead();
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hijacking the connection");
        } catch (ExecutionException | RejectedExecutionException e) {
            throw new IOException("cannot hijack the connection: " + e.getMessage(), e);
        }
        if (raw == null) {
            throw new IllegalStateException("hijack() before the request was read completely: read the body first");
        }
        return raw.stream();
    }
}
