package dev.berth.engine.api.images;

import dev.berth.engine.api.http.Exchange;
import dev.berth.engine.api.http.ResponseStream;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.image.ImageService;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A JSON-lines answer ({@code application/json}, one {@link JsonMessage} a line) that begins
 * only with its first line, as Docker's write-flusher does: a failure before anything was sent
 * is still a plain error answer with its status code ({@code 404} for an unknown image); one
 * after is an error line in the stream, after the {@code 200} already sent. A client that went
 * away makes the stream call {@code onGone} once (to cancel the work) and drop further lines.
 * Safe to use from several threads.
 */
final class JsonStream {

    private static final System.Logger LOG = System.getLogger(JsonStream.class.getName());

    private final Exchange ex;
    private final List<JsonMessage> preamble;
    private final Runnable onGone;
    private ResponseStream out;
    private boolean gone;

    /**
     * @param preamble lines written first when the stream begins ("Pulling from ...")
     * @param onGone   run once when a write finds the client gone
     */
    JsonStream(Exchange ex, List<JsonMessage> preamble, Runnable onGone) {
        this.ex = ex;
        this.preamble = List.copyOf(preamble);
        this.onGone = onGone;
    }

    /** Sends one line, beginning the answer first if needed. */
    synchronized void send(JsonMessage m) {
        if (gone) {
            return;
        }
        try {
            if (out == null) {
                out = ex.stream(200, "application/json");
                for (JsonMessage p : preamble) {
                    write(p);
                }
            }
            write(m);
        } catch (IOException e) {
            gone = true;
            onGone.run();
        }
    }

    private void write(JsonMessage m) throws IOException {
        byte[] json = Json.toBytes(m);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        out.write(line);
    }

    /** A progress listener writing the lines {@code messages} makes of each report. */
    ImageService.ProgressListener listener(ProgressMessages messages) {
        return p -> {
            synchronized (this) {
                messages.translate(p).forEach(this::send);
            }
        };
    }

    synchronized boolean started() {
        return out != null;
    }

    /**
     * Ends the operation with {@code failure}: as the stream's last line once it has begun
     * (nothing when the client is gone), else by rethrowing it for a plain error answer.
     */
    void fail(Exception failure) throws Exception {
        synchronized (this) {
            if (out == null) {
                throw failure;
            }
        }
        if (!ex.isOpen()) {
            return; // the client went away: that is what cancelled the work
        }
        if (!(failure instanceof EngineException) && !(failure instanceof InterruptedException)) {
            LOG.log(System.Logger.Level.ERROR, ex.method() + " " + ex.path() + " failed after its progress began", failure);
        }
        String message = failure instanceof InterruptedException ? "cancelled"
                : failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        send(JsonMessage.error(message));
    }

    /** Ends the answer; one with no line at all is an empty 200 stream. */
    synchronized void close() {
        if (out == null && !gone) {
            out = ex.stream(200, "application/json");
        }
        if (out != null) {
            out.close();
        }
    }
}
