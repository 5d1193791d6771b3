package dev.berth.app.networks;

import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.app.i18n.Text;
import dev.berth.app.networks.NetworksClient.CreateSpec;
import dev.berth.app.networks.NetworksClient.Network;
import dev.berth.app.testing.HeadlessViewModel;
import dev.berth.engine.network.NetworkCreateRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

import static dev.berth.app.testing.HeadlessViewModel.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Networks view model without a window, on an embedded engine through its API socket: the
 * list follows the engine's network events, whoever makes the change; commands report in words.
 */
class NetworksViewModelTest {

    @TempDir
    Path tmp;

    private HeadlessViewModel<NetworksViewModel> h;
    private EmbeddedBackend backend;

    @BeforeEach
    void start() {
        h = HeadlessViewModel.start(tmp, NetworksViewModel::new, NetworksViewModel::connect);
        backend = h.backend();
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aNetworkMadeElsewhereAppearsAndGoesThroughTheEventsAlone() throws Exception {
        waitFor(rows -> rows.size() == 3);
        assertThat((boolean) onUi(v -> v.noUserNetworksProperty().get())).isTrue();

        backend.engine().networks().create(new NetworkCreateRequest("made-outside", null, "10.99.60.0/24", null, null, true,
                Map.of("by", "engine"), Map.of()));
        List<Network> rows = waitFor(r -> r.stream().anyMatch(n -> n.name().equals("made-outside")));
        Network n = rows.stream().filter(x -> x.name().equals("made-outside")).findFirst().orElseThrow();
        assertThat(n.subnet()).isEqualTo("10.99.60.0/24");
        assertThat(n.gateway()).isEqualTo("10.99.60.1");
        assertThat(n.internal()).isTrue();
        assertThat(n.labels()).containsEntry("by", "engine");
        assertThat((boolean) onUi(v -> v.noUserNetworksProperty().get())).isFalse();

        backend.engine().networks().remove("made-outside");
        waitFor(r -> r.size() == 3);
    }

    @Test
    void createRemoveAndPruneReportInWordsAndRefusalsComeBackFromTheEngine() throws Exception {
        waitFor(rows -> rows.size() == 3);
        AtomicReference<Text> refusal = new AtomicReference<>();
        onUi(v -> {
            v.create(new CreateSpec("vm-net", "10.99.61.0/24", "10.99.61.254", "", false, Map.of()), () -> { }, refusal::set);
            return null;
        });
        waitFor(r -> r.stream().anyMatch(n -> n.name().equals("vm-net")));
        assertThat((Text) onUi(v -> v.statusProperty().get())).isEqualTo(Text.of("networks.created", "vm-net"));

        onUi(v -> {
            v.create(new CreateSpec("vm-net", "", "", "", false, Map.of()), () -> { }, refusal::set);
            return null;
        });
        waitUntil(() -> refusal.get() != null);
        assertThat(refusal.get().key()).isEqualTo("error.conflict"); // HTTP 409 carries both categories
        assertThat(refusal.get().args().getFirst().toString()).contains("network with name vm-net already exists");

        Network none = onUi(v -> v.rows().stream().filter(n -> n.name().equals("none")).findFirst().orElseThrow());
        onUi(v -> {
            v.remove(none);
            return null;
        });
        waitUntil(() -> onUi(v -> v.statusIsErrorProperty().get()));
        assertThat((String) onUi(v -> v.statusProperty().get().key())).isEqualTo("error.conflict");

        AtomicReference<List<String>> pruned = new AtomicReference<>();
        onUi(v -> {
            v.prune(pruned::set);
            return null;
        });
        waitUntil(() -> pruned.get() != null);
        assertThat(pruned.get()).containsExactly("vm-net");
        waitFor(r -> r.size() == 3);
    }

    private <T> T onUi(Function<NetworksViewModel, T> read) {
        return h.onUi(read);
    }

    private List<Network> waitFor(Predicate<List<Network>> condition) throws InterruptedException {
        return h.waitFor(NetworksViewModel::rows, condition, v -> ", status: " + v.statusProperty().get());
    }
}
