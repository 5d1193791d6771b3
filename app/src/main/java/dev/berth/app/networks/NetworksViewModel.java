package dev.berth.app.networks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.backend.Backend;
import dev.berth.app.components.EmptyState;
import dev.berth.app.i18n.ErrorText;
import dev.berth.app.i18n.Text;
import dev.berth.app.networks.NetworksClient.CreateSpec;
import dev.berth.app.networks.NetworksClient.Network;
import dev.berth.app.task.LiveList;
import dev.berth.app.task.UiExecutor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.function.Consumer;

/**
 * The Networks pane's state: every network with its subnet, gateway and attached containers,
 * read again whenever the engine publishes a {@code network} event (create, destroy, connect,
 * disconnect, prune), never on a timer; and the pane's commands. Every engine call runs on the
 * executor's background threads through {@link NetworksClient}.
 */
public final class NetworksViewModel implements AutoCloseable {

    private final UiExecutor executor;
    private final EmptyState emptyState = EmptyState.forPane("networks");
    private final LiveList<Network, NetworksClient> list;
    private final ReadOnlyObjectWrapper<Text> status = new ReadOnlyObjectWrapper<>(this, "status");
    private final ReadOnlyBooleanWrapper statusIsError = new ReadOnlyBooleanWrapper(this, "statusIsError");
    private final BooleanBinding noUserNetworks;
    private final ObjectBinding<Text> summary;

    public NetworksViewModel(UiExecutor executor) {
        this.executor = executor;
        list = new LiveList<>(executor, Text.of("networks.task.list"), b -> new NetworksClient(b.api()), NetworksClient::list,
                e -> "network".equals(e.type()), this::fail);
        ObservableList<Network> rows = list.rows();
        noUserNetworks = Bindings.createBooleanBinding(() -> rows.stream().allMatch(Network::builtin), rows);
        summary = Bindings.createObjectBinding(() -> Text.of("networks.count", rows.size()), rows);
    }

    public String titleKey() {
        return "networks.title";
    }

    public String subtitleKey() {
        return "networks.subtitle";
    }

    public EmptyState emptyState() {
        return emptyState;
    }

    /** Starts showing {@code b}'s networks and following its network events. */
    public void connect(Backend b) {
        list.connect(b);
    }

    private NetworksClient client() {
        return list.client();
    }

    /** Reads the list again in the background. */
    public void refresh() {
        list.refresh();
    }

    /** {@code docker network create}; {@code onDone} runs after success, {@code onError} gets the engine's refusal. */
    public void create(CreateSpec spec, Runnable onDone, Consumer<Text> onError) {
        executor.submit(Text.of("networks.task.create", spec.name()), () -> client().create(spec), id -> {
            report(Text.of("networks.created", spec.name()), false);
            refresh();
            onDone.run();
        }, t -> onError.accept(ErrorText.of(t)));
    }

    /** {@code docker network rm}; the engine's refusal (containers attached, built-in) shows in the status line. */
    public void remove(Network n) {
        executor.submit(Text.of("networks.task.remove", n.name()), () -> {
            client().remove(n.id());
            return n;
        }, removed -> {
            report(Text.of("networks.removed", n.name()), false);
            refresh();
        }, this::fail);
    }

    /** {@code docker network prune -f}. */
    public void prune(Consumer<List<String>> onDone) {
        executor.submit(Text.of("networks.task.prune"), () -> client().prune(), names -> {
            report(Text.of("networks.pruned", names.size(), String.join(", ", names)), false);
            refresh();
            onDone.accept(names);
        }, this::fail);
    }

    public void inspect(Network n, Consumer<JsonNode> onResult) {
        executor.submit(Text.of("networks.task.inspect", n.name()), () -> client().inspect(n.id()), onResult, this::fail);
    }

    private void fail(Throwable t) {
        report(ErrorText.of(t), true);
    }

    private void report(Text text, boolean error) {
        statusIsError.set(error);
        status.set(text);
    }

    // ---- state ----------------------------------------------------------------------------------

    /** Every network, by name. */
    public ObservableList<Network> rows() {
        return list.rows();
    }

    /** True while the engine has only its built-in networks (the pane shows its empty state above them). */
    public BooleanBinding noUserNetworksProperty() {
        return noUserNetworks;
    }

    public ReadOnlyBooleanProperty loadedProperty() {
        return list.loadedProperty();
    }

    public ReadOnlyObjectProperty<Backend> backendProperty() {
        return list.backendProperty();
    }

    /** The outcome of the last command, in words; null before the first. */
    public ReadOnlyObjectProperty<Text> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty statusIsErrorProperty() {
        return statusIsError.getReadOnlyProperty();
    }

    /** "N networks". */
    public ObjectBinding<Text> summary() {
        return summary;
    }

    public UiExecutor executor() {
        return executor;
    }

    @Override
    public void close() {
        list.close();
    }
}
