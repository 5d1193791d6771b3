package dev.berth.app.backend;

import dev.berth.engine.EngineConfig;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Docker API client against a real Berth engine serving a temp unix socket. */
class RemoteBackendTest {

    @TempDir
    static Path tmp;
    private static EmbeddedBackend server;
    private static Path socket;

    @BeforeAll
    static void serve() {
        socket = tmp.resolve("berth.sock");
        server = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), socket), true);
        Connection.Embedded c = (Connection.Embedded) server.connection();
        assertThat(c.socketProblem()).as("the engine serves the Docker API on " + socket).isEmpty();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void negotiatesTheApiVersionAndReadsVersionAndInfoOverTheUnixSocket() {
        try (RemoteBackend client = RemoteBackend.connect(new DockerHost.Unix(socket))) {
            assertThat(client.apiVersion()).isLessThanOrEqualTo(RemoteBackend.MAX_API_VERSION);
            assertThat(client.connection()).isEqualTo(new Connection.Remote(new DockerHost.Unix(socket)));
            EngineVersion v = client.version();
            EngineVersion local = server.version();
            assertThat(v.version()).isEqualTo(local.version());
            assertThat(v.apiVersion()).isEqualTo(client.apiVersion().toString());
            assertThat(v.os()).isEqualTo("linux");
            EngineInfo i = client.info();
            assertThat(i.engineId()).isEqualTo(server.info().engineId());
            assertThat(i.serverVersion()).isEqualTo(local.version());
            assertThat(i.rootDir()).isEqualTo(tmp.resolve("root").toString());
        }
    }

    @Test
    void registrySettingsAreReadOnlyForAnEngineTheAppIsAClientOf() {
        try (RemoteBackend client = RemoteBackend.connect(new DockerHost.Unix(socket))) {
            assertThat(client.registrySettings().editable()).isFalse();
            assertThatThrownBy(() -> client.saveRegistrySettings(java.util.List.of(), java.util.List.of()))
                    .isInstanceOf(EngineException.FailedPrecondition.class);
        }
    }

    @Test
    void eventsStreamLiveFromTheEnginesBus() throws Exception {
        try (RemoteBackend client = RemoteBackend.connect(new DockerHost.Unix(socket))) {
            LinkedBlockingQueue<EngineEvent> got = new LinkedBlockingQueue<>();
            AtomicReference<Throwable> ended = new AtomicReference<>();
            try (EventSubscription s = client.events(Instant.now(), got::add, ended::set)) {
                // the stream is open once the server has answered; publish until the first one arrives
                EngineEvent first = null;
                for (int i = 0; i < 50 && first == null; i++) {
                    server.engine().events().publish(Event.of("volume", "create", "vol-" + i, Map.of("driver", "local")));
                    first = got.poll(200, TimeUnit.MILLISECONDS);
                }
                assertThat(first).isNotNull();
                assertThat(first.type()).isEqualTo("volume");
                assertThat(first.action()).isEqualTo("create");
                assertThat(first.attributes()).containsEntry("driver", "local");
                assertThat(ended.get()).isNull();
            }
        }
    }

    @Test
    void speaksTheSameApiOverTcp() throws Exception {
        try (TcpForwarder tcp = new TcpForwarder(socket);
             RemoteBackend client = RemoteBackend.connect(new DockerHost.Tcp("127.0.0.1", tcp.port()))) {
            assertThat(client.connection().toString()).contains("tcp://127.0.0.1:" + tcp.port());
            assertThat(client.info().engineId()).isEqualTo(server.info().engineId());
            assertThat(client.version().version()).isEqualTo(server.version().version());
        }
    }

    @Test
    void nothingListeningIsUnavailableNamingTheSocket() {
        Path none = tmp.resolve("nobody.sock");
        assertThatThrownBy(() -> RemoteBackend.connect(new DockerHost.Unix(none)))
                .isInstanceOf(EngineException.Unavailable.class)
                .hasMessageContaining("unix://" + none);
    }

    @Test
    void theLocatorConnectsToAnEngineAlreadyServingTheSocket() {
        BackendOptions o = BackendOptions.parse(new String[] {"--root", tmp.resolve("other-root").toString(),
                "--socket", socket.toString()}, Map.of());
        try (Backend b = new BackendLocator(o).locate()) {
            assertThat(b).isInstanceOf(RemoteBackend.class);
            assertThat(b.info().engineId()).isEqualTo(server.info().engineId());
        }
        assertThat(tmp.resolve("other-root")).doesNotExist();
    }
}
