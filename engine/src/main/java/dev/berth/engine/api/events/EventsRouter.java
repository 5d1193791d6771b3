package dev.berth.engine.api.events;

import dev.berth.engine.api.http.Exchange;
import dev.berth.engine.api.http.ResponseStream;
import dev.berth.engine.api.http.Route;
import dev.berth.engine.api.http.Router;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /events}: the engine's events as a stream of JSON objects, one a line.
 *
 * <p>{@code since} replays kept events from that time; {@code until} ends the stream at that
 * time (at once, after the replay, when it is already past); both are unix seconds with an
 * optional fraction, as the docker CLI sends them. With {@code until} and no {@code since} the
 * whole kept history up to {@code until} is replayed, as Docker does. {@code filters} are
 * Docker's (see {@link EventFilter}). The subscription is closed when the client goes away.
 */
public final class EventsRouter implements Router {

    private static final Pattern TIMESTAMP = Pattern.compile("^(\\d{1,12})(?:\\.(\\d{1,9}))?$");
    /** How often a quiet stream checks for a client that went away or an {@code until} reached. */
    private static final Duration TICK = Duration.ofMillis(200);

    private final EventsBackend backend;

    public EventsRouter(EventsBackend backend) {
        this.backend = backend;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/events", this::events));
    }

    private void events(Exchange ex) throws IOException, InterruptedException {
        EventFilter filter = new EventFilter(ex.filters());
        Instant since = timestamp(ex, "since");
        Instant until = timestamp(ex, "until");
        if (since != null && until != null && until.isBefore(since)) {
            throw new EngineException.InvalidArgument("`since` time (" + ex.query("since").orElseThrow()
                    + ") cannot be after `until` time (" + ex.query("until").orElseThrow() + ")");
        }
        Instant replayFrom = since != null ? since : until != null ? Instant.EPOCH : null;
        EventBus.Subscription sub = backend.subscribe(filter, replayFrom);
        ResponseStream out;
        try {
            ex.onDisconnect(sub::close);
            out = ex.stream(200, "application/json");
            while (ex.isOpen()) {
                long waitMillis = TICK.toMillis();
                if (until != null) {
                    waitMillis = Math.max(0, Math.min(waitMillis, Duration.between(Instant.now(), until).toMillis()));
                }
                Event e = sub.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (e == null) {
                    if (sub.isClosed() || (until != null && !Instant.now().isBefore(until))) {
                        break;
                    }
                    continue;
                }
                if (until != null && e.time().isAfter(until)) {
                    continue;
                }
                byte[] json = Json.toBytes(EventMessage.of(e));
                byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
                line[json.length] = '\n';
                out.write(line);
            }
        } finally {
            sub.close(); // before the stream ends: a client that saw the end sees no listener left
        }
        out.close();
    }

    /** Unix seconds with an optional fraction ({@code 1700000000.123456789}), or null when absent. */
    private static Instant timestamp(Exchange ex, String name) {
        String v = ex.query(name).map(String::strip).orElse("");
        if (v.isEmpty()) {
            return null;
        }
        Matcher m = TIMESTAMP.matcher(v);
        if (!m.matches()) {
            throw new EngineException.InvalidArgument("invalid value for " + name + ": " + v
                    + " (expected unix seconds such as 1700000000 or 1700000000.5)");
        }
        String fraction = m.group(2) == null ? "0" : (m.group(2) + "00000000").substring(0, 9);
        return Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(fraction));
    }
}
