package dev.berth.app.containers.details;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.i18n.Localization;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Network tab: the container's address on each network it is attached to and its published
 * ports (from inspect's {@code NetworkSettings}), with "open in browser" for a published TCP port.
 */
public final class NetworkView {

    /** One network attachment. */
    public record Address(String network, String ip, String gateway, String mac) {}

    /** One published port: {@code 80/tcp} to {@code 127.0.0.1:8080}; url null when not a TCP port. */
    public record Port(String containerPort, String host, String url) {}

    private final VBox root = new VBox(8);
    private final TableView<Address> addresses = new TableView<>();
    private final TableView<Port> ports = new TableView<>();
    private final Label mode = new Label();

    public NetworkView(ContainerDetailsViewModel vm, Localization i18n, Consumer<String> browser) {
        addresses.setId("details-network-addresses");
        addresses.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        addresses.getColumns().add(column(i18n, "details.network.name", Address::network));
        addresses.getColumns().add(column(i18n, "details.network.ip", Address::ip));
        addresses.getColumns().add(column(i18n, "details.network.gateway", Address::gateway));
        addresses.getColumns().add(column(i18n, "details.network.mac", Address::mac));
        addresses.setPrefHeight(160);
        Label noAddresses = new Label();
        noAddresses.textProperty().bind(i18n.text("details.network.noAddresses"));
        addresses.setPlaceholder(noAddresses);

        ports.setId("details-network-ports");
        ports.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        ports.getColumns().add(column(i18n, "details.network.containerPort", Port::containerPort));
        ports.getColumns().add(column(i18n, "details.network.hostPort", Port::host));
        TableColumn<Port, Port> open = new TableColumn<>();
        open.textProperty().bind(i18n.text("details.network.open"));
        open.setCellValueFactory(f -> new javafx.beans.property.ReadOnlyObjectWrapper<>(f.getValue()));
        open.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Port p, boolean empty) {
                super.updateItem(p, empty);
                if (empty || p == null || p.url() == null) {
                    setGraphic(null);
                    return;
                }
                Hyperlink link = new Hyperlink(p.url());
                link.setId("details-network-open-" + p.containerPort().replace('/', '-'));
                link.setOnAction(e -> browser.accept(p.url()));
                setGraphic(link);
            }
        });
        ports.getColumns().add(open);
        Label noPorts = new Label();
        noPorts.textProperty().bind(i18n.text("details.network.noPorts"));
        ports.setPlaceholder(noPorts);

        Label a = new Label();
        a.textProperty().bind(i18n.text("details.network.addresses"));
        a.getStyleClass().add("details-section-title");
        Label p = new Label();
        p.textProperty().bind(i18n.text("details.network.ports"));
        p.getStyleClass().add("details-section-title");
        mode.setId("details-network-mode");
        root.getChildren().addAll(mode, a, addresses, p, ports);
        root.setPadding(new Insets(8));
        vm.inspect().valueProperty().addListener((o, old, now) -> show(now, i18n));
    }

    private static <T> TableColumn<T, String> column(Localization i18n, String key, java.util.function.Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>();
        c.textProperty().bind(i18n.text(key));
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())));
        return c;
    }

    private void show(JsonNode inspect, Localization i18n) {
        if (inspect == null) {
            addresses.getItems().clear();
            ports.getItems().clear();
            mode.setText("");
            return;
        }
        mode.setText(i18n.get("details.network.mode", inspect.path("HostConfig").path("NetworkMode").asText("default")));
        addresses.setItems(FXCollections.observableArrayList(addresses(inspect)));
        ports.setItems(FXCollections.observableArrayList(ports(inspect)));
    }

    /** Each network of {@code NetworkSettings.Networks} with the container's address on it. */
    public static List<Address> addresses(JsonNode inspect) {
        List<Address> out = new ArrayList<>();
        inspect.path("NetworkSettings").path("Networks").properties().forEach(e -> {
            JsonNode n = e.getValue();
            String ip = n.path("IPAddress").asText("");
            if (n.path("IPPrefixLen").asInt(0) > 0 && !ip.isEmpty()) {
                ip = ip + "/" + n.path("IPPrefixLen").asInt();
            }
            out.add(new Address(e.getKey(), ip, n.path("Gateway").asText(""), n.path("MacAddress").asText("")));
        });
        return out;
    }

    /** Each published port of {@code NetworkSettings.Ports}; a TCP port gets an http URL on its host address. */
    public static List<Port> ports(JsonNode inspect) {
        List<Port> out = new ArrayList<>();
        inspect.path("NetworkSettings").path("Ports").properties().forEach(e -> {
            JsonNode bindings = e.getValue();
            if (bindings == null || !bindings.isArray() || bindings.isEmpty()) {
                out.add(new Port(e.getKey(), "", null));
                return;
            }
            for (JsonNode b : bindings) {
                String ip = b.path("HostIp").asText("");
                String port = b.path("HostPort").asText("");
                String shownIp = ip.isEmpty() ? "0.0.0.0" : ip;
                String urlHost = ip.isEmpty() || ip.equals("0.0.0.0") ? "localhost" : ip.equals("::") ? "localhost"
                        : ip.contains(":") ? "[" + ip + "]" : ip;
                String url = e.getKey().endsWith("/tcp") && !port.isEmpty() ? "http://" + urlHost + ":" + port + "/" : null;
                out.add(new Port(e.getKey(), shownIp + ":" + port, url));
            }
        });
        return out;
    }

    public Node node() {
        return root;
    }
}
