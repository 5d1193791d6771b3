package dev.berth.engine.api.http;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bytes from the client on their way to a handler: the event loop offers buffers, the
 * handler's virtual thread reads them as an {@link InputStream}. Nothing is read from the
 * socket unless the pipe {@link #wantsData() wants data}, so a slow reader holds the client
 * back (TCP-style backpressure through the socket buffers) instead of filling the heap.
 */
final class InboundPipe {

    /** Below this many queued bytes the pipe asks the socket for more. */
    static final int LOW_WATER = 256 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private final Runnable demand;
    private int queuedBytes;
    private boolean ended;
    private boolean discarded;
    private IOException failure;
    private final InputStream stream = new Stream();

    /** @param demand called (from the reader's thread) when the pipe has room again; must not block */
    InboundPipe(Runnable demand) {
        this.demand = demand;
    }

    /** Takes ownership of {@code buf}. Event loop only. */
    void offer(ByteBuf buf) {
        lock.lock();
        try {
            if (ended || discarded || failure != null || !buf.isReadable()) {
                buf.release();
                return;
            }
            queue.add(buf);
            queuedBytes += buf.readableBytes();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** No more bytes will come: readers get end-of-stream after the queued ones. */
    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The stream broke: readers get {@code cause} once the queued bytes are gone. */
    void fail(IOException cause) {
        lock.lock();
        try {
            if (!ended && failure == null) {
                failure = cause;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isEnded() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    /** True when reading more from the socket is useful: not ended, not abandoned, and room left. */
    boolean wantsData() {
        lock.lock();
        try {
            return !ended && !discarded && failure == null && queuedBytes < LOW_WATER;
        } finally {
            lock.unlock();
        }
    }

    /** Frees what is queued; called when the connection goes away. */
    void release() {
        lock.lock();
        try {
            discarded = true;
            ByteBuf b;
            while ((b = queue.poll()) != null) {
                b.release();
            }
            queuedBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    InputStream stream() {
        return stream;
    }

    private final class Stream extends InputStream {

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            boolean askForMore;
            int n;
            lock.lock();
            try {
                while (queue.isEmpty()) {
                    if (discarded) {
                        throw new IOException("stream closed");
                    }
                    if (failure != null) {
                        throw new IOException(failure.getMessage(), failure);
                    }
                    if (ended) {
                        return -1;
                    }
                    demand.run();
                    try {
                        changed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while reading from the client");
                    }
                }
                ByteBuf head = queue.peek();
                n = Math.min(len, head.readableBytes());
                head.readBytes(b, off, n);
                if (!head.isReadable()) {
                    queue.poll().release();
                }
                int before = queuedBytes;
                queuedBytes -= n;
                askForMore = before >= LOW_WATER && queuedBytes < LOW_WATER || queue.isEmpty();
            } finally {
                lock.unlock();
            }
            if (askForMore) {
                demand.run();
            }
            return n;
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return queuedBytes;
            } finally {
                lock.unlock();
            }
        }

        /** Closing abandons the rest: no more is read from the socket for this stream. */
        @Override
        public void close() {
            release();
        }
    }
}
