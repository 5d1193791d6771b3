package dev.berth.engine.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EventBusTest {

    private static Event event(String type, String action, Instant t) {
        return new Event(type, action, "id-" + action, Map.of("name", action), t);
    }

    @Test
    void subscribersReceiveMatchingEventsInOrder() throws Exception {
        EventBus bus = new EventBus();
        try (EventBus.Subscription images = bus.subscribe(e -> e.type().equals("image"));
             EventBus.Subscription all = bus.subscribe(e -> true)) {
            bus.publish(Event.of("image", "pull", "busybox", Map.of()));
            bus.publish(Event.of("container", "start", "c1", Map.of()));
            bus.publish(Event.of("image", "tag", "busybox", Map.of()));
            assertThat(drain(images)).extracting(Event::action).containsExactly("pull", "tag");
            assertThat(drain(all)).extracting(Event::action).containsExactly("pull", "start", "tag");
        }
    }

    @Test
    void sinceReplaysHistoryThenLiveEventsWithoutGapOrDuplicate() throws Exception {
        EventBus bus = new EventBus();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        bus.publish(event("container", "old", t0.minusSeconds(10)));
        bus.publish(event("container", "recent", t0.plusSeconds(1)));
        try (EventBus.Subscription s = bus.subscribe(e -> true, t0)) {
            bus.publish(event("container", "live", t0.plusSeconds(2)));
            assertThat(drain(s)).extracting(Event::action).containsExactly("recent", "live");
        }
    }

    @Test
    void aReaderThatFallsTooFarBehindIsClosedAndPublishingNeverBlocks() throws Exception {
        EventBus bus = new EventBus();
        EventBus.Subscription slow = bus.subscribe(e -> true);
        for (int i = 0; i < EventBus.QUEUE_CAPACITY + 10; i++) {
            bus.publish(Event.of("container", "start", "c" + i, Map.of()));
        }
        assertThat(slow.overflowed()).isTrue();
        assertThat(slow.isClosed()).isTrue();
        // a closed subscription no longer receives anything new
        bus.publish(Event.of("container", "after", "x", Map.of()));
        assertThat(drain(slow)).extracting(Event::action).doesNotContain("after");
    }

    @Test
    void historyKeepsOnlyTheNewestEvents() {
        EventBus bus = new EventBus();
        for (int i = 0; i < EventBus.HISTORY + 5; i++) {
            bus.publish(Event.of("image", "n" + i, "x", Map.of()));
        }
        List<Event> recent = bus.recent();
        assertThat(recent).hasSize(EventBus.HISTORY);
        assertThat(recent.getFirst().action()).isEqualTo("n5");
    }

    private static List<Event> drain(EventBus.Subscription s) throws InterruptedException {
        List<Event> out = new ArrayList<>();
        Event e;
        while ((e = s.poll(50, TimeUnit.MILLISECONDS)) != null) {
            out.add(e);
        }
        return out;
    }
}
