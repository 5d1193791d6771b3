package dev.berth.app.containers.details;

import com.techsenger.jeditermfx.core.TtyConnector;
import com.techsenger.jeditermfx.core.util.TermSize;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;

/**
 * JediTermFX's view of a process in a container: reads and writes go over a
 * {@link HijackedStream} (an exec or an attach with a TTY), and a resize of the terminal is sent to
 * the engine ({@code /exec/{id}/resize} or {@code /containers/{id}/resize}) through {@code resizer}.
 */
public final class HijackedTtyConnector implements TtyConnector {

    private final HijackedStream stream;
    private final Reader reader;
    private final String name;
    private final BiConsumer<Integer, Integer> resizer;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Runnable onEnd;
    private volatile boolean connected = true;
    private volatile TermSize size;

    /**
     * @param initial the size the TTY was started with (a resize to it is not sent again)
     * @param resizer called with (rows, columns) off the UI thread
     * @param onEnd   called once when the process's output ends (it exited, or the container stopped)
     */
    public HijackedTtyConnector(HijackedStream stream, String name, TermSize initial, BiConsumer<Integer, Integer> resizer,
                                Runnable onEnd) {
        this.size = initial;
        this.stream = stream;
        this.reader = new InputStreamReader(stream.input(), StandardCharsets.UTF_8);
        this.name = name;
        this.resizer = resizer;
        this.onEnd = onEnd;
    }

    @Override
    public int read(char[] buf, int offset, int length) throws IOException {
        int n;
        try {
            n = reader.read(buf, offset, length);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            end();
        }
        return n;
    }

    private void end() {
        if (connected) {
            connected = false;
            ended.countDown();
            onEnd.run();
        }
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        stream.output().write(bytes);
        stream.output().flush();
    }

    @Override
    public void write(String s) throws IOException {
        write(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public void resize(TermSize termSize) {
        if (termSize == null || termSize.equals(size) || termSize.getRows() <= 0 || termSize.getColumns() <= 0) {
            return;
        }
        size = termSize;
        // a platform thread: the API client's unix socket (jnr) blocks in native code, which would pin
        // a virtual thread's carrier; with an embedded engine on two cores that can starve the engine's
        // own virtual threads (its exec pump pins another carrier in pty4j's poll) and hang the session
        Thread.ofPlatform().daemon().name("berth-tty-resize").start(() -> {
            try {
                resizer.accept(termSize.getRows(), termSize.getColumns());
            } catch (RuntimeException e) {
                // the process ended meanwhile: nothing to resize
            }
        });
    }

    /** The size last sent to the engine, or null. */
    public TermSize size() {
        return size;
    }

    @Override
    public int waitFor() throws InterruptedException {
        ended.await();
        return 0;
    }

    @Override
    public boolean ready() throws IOException {
        return reader.ready();
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void close() {
        connected = false;
        ended.countDown();
        stream.close();
    }
}
