package dev.berth.app.backend;

import dev.berth.engine.EngineConfig;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedBackendTest {

    @TempDir
    Path tmp;

    private EngineConfig config() {
        return new EngineConfig(tmp.resolve("root"), tmp.resolve("berth.sock"));
    }

    @Test
    void versionAndInfoComeFromTheEngine() {
        try (EmbeddedBackend b = EmbeddedBackend.start(config(), false)) {
            EngineVersion v = b.version();
            assertThat(v.product()).isEqualTo("Berth Engine");
            assertThat(v.version()).isEqualTo(b.engine().system().version().engineVersion());
            assertThat(v.apiVersion()).isEqualTo("1.47");
            assertThat(v.os()).isEqualTo("linux");
            EngineInfo i = b.info();
            assertThat(i.runtime()).isEqualTo(b.engine().system().tools().runtime().map(t -> t.name() + " " + t.version()).orElse(""));
            assertThat(i.runtime()).startsWith("runc ");
            assertThat(i.rootDir()).isEqualTo(tmp.resolve("root").toString());
            assertThat(i.engineId()).hasSize(32);
            assertThat(i.cpus()).isPositive();
        }
    }

    @Test
    void eventsArriveWithTheirAttributesAndHistorySinceTheGivenTime() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        try (EmbeddedBackend b = EmbeddedBackend.start(config(), false)) {
            LinkedBlockingQueue<EngineEvent> got = new LinkedBlockingQueue<>();
            try (EventSubscription s = b.events(before, got::add, failure -> {})) {
                EngineEvent start = got.poll(5, TimeUnit.SECONDS);
                assertThat(start).isNotNull();
                assertThat(start.type()).isEqualTo("daemon");
                assertThat(start.action()).isEqualTo("start");

                b.engine().events().publish(Event.of("network", "connect", "n1", Map.of("name", "backend", "container", "c1")));
                EngineEvent e = got.poll(5, TimeUnit.SECONDS);
                assertThat(e).isNotNull();
                assertThat(e.type()).isEqualTo("network");
                assertThat(e.actorLabel()).isEqualTo("backend");
                assertThat(e.attributes()).containsEntry("container", "c1");
            }
        }
    }

    @Test
    void withoutTheApiServerTheEngineStillRunsAndSaysWhy() {
        try (EmbeddedBackend b = EmbeddedBackend.start(config(), false)) {
            Connection.Embedded c = (Connection.Embedded) b.connection();
            assertThat(c.root()).isEqualTo(tmp.resolve("root"));
            assertThat(c.socket()).isEqualTo(tmp.resolve("berth.sock"));
            assertThat(c.socketProblem()).isPresent();
        }
    }

    @Test
    void closingReleasesTheStateRootForTheNextEngine() {
        EmbeddedBackend first = EmbeddedBackend.start(config(), false);
        assertThatThrownBy(() -> EmbeddedBackend.start(config(), false)).isInstanceOf(EngineException.Conflict.class);
        first.close();
        try (EmbeddedBackend second = EmbeddedBackend.start(config(), false)) {
            assertThat(second.info().engineId()).isEqualTo(first.info().engineId());
        }
    }
}
