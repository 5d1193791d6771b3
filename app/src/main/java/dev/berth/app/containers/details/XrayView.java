package dev.berth.app.containers.details;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.i18n.Localization;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The X-ray tab: what makes this process a container, explained. Three sections from Berth's
 * {@code GET /containers/{id}/xray}: its namespaces next to the host's (isolated when the inodes
 * differ), its cgroup with each limit file (what the kernel enforces next to what was asked) and
 * the usage counters, and its overlay root filesystem (the image's layers as lower directories,
 * newest first, the writable upper directory, the work directory and the merged mount point).
 */
public final class XrayView {

    private final ScrollPane scroll;
    private final TableView<JsonNode> namespaces = new TableView<>();
    private final TableView<JsonNode> limits = new TableView<>();
    private final TableView<JsonNode> usage = new TableView<>();
    private final TableView<JsonNode> lowers = new TableView<>();
    private final Label summary = new Label();
    private final Label cgroupPath = new Label();
    private final Label upper = new Label();
    private final Label work = new Label();
    private final Label merged = new Label();
    private final Localization i18n;

    public XrayView(ContainerDetailsViewModel vm, Localization i18n) {
        this.i18n = i18n;
        namespaces.setId("details-xray-namespaces");
        namespaces.getColumns().add(column("details.xray.ns.type", n -> n.path("Type").asText()));
        namespaces.getColumns().add(column("details.xray.ns.container", n -> Long.toString(n.path("Inode").asLong())));
        namespaces.getColumns().add(column("details.xray.ns.host", n -> Long.toString(n.path("HostInode").asLong())));
        TableColumn<JsonNode, String> shared = column("details.xray.ns.state",
                n -> i18n.get(n.path("Shared").asBoolean() ? "details.xray.ns.shared" : "details.xray.ns.isolated"));
        shared.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                JsonNode row = empty || getTableRow() == null ? null : getTableRow().getItem();
                if (empty || s == null || row == null) {
                    setText(null);
                    setStyle("");
                    return;
                }
                setText(s);
                setStyle(row.path("Shared").asBoolean() ? "-fx-text-fill: #ef6c00; -fx-font-weight: bold;"
                        : "-fx-text-fill: #2e7d32; -fx-font-weight: bold;");
            }
        });
        namespaces.getColumns().add(shared);
        namespaces.getColumns().add(column("details.xray.ns.meaning", n -> meaning(n.path("Type").asText())));
        size(namespaces, 11);
        double[] widths = {140, 130, 130, 110};
        for (int i = 0; i < widths.length; i++) {
            namespaces.getColumns().get(i).setPrefWidth(widths[i]);
            namespaces.getColumns().get(i).setMaxWidth(widths[i] * 1.5);
        }

        limits.setId("details-xray-limits");
        limits.getColumns().add(column("details.xray.cg.resource", n -> n.path("Resource").asText()));
        limits.getColumns().add(column("details.xray.cg.value", n -> value(n.path("Value"))));
        limits.getColumns().add(column("details.xray.cg.requested", n -> n.path("Requested").isNull() || n.path("Requested").isMissingNode()
                ? i18n.get("details.xray.cg.default") : value(n.path("Requested"))));
        limits.getColumns().add(column("details.xray.cg.file", n -> n.path("File").asText()));
        size(limits, 10);
        usage.setId("details-xray-usage");
        usage.getColumns().add(column("details.xray.cg.resource", n -> n.path("Resource").asText()));
        usage.getColumns().add(column("details.xray.cg.value", n -> value(n.path("Value"))));
        usage.getColumns().add(column("details.xray.cg.file", n -> n.path("File").asText()));
        size(usage, 6);

        lowers.setId("details-xray-lowers");
        lowers.getColumns().add(column("details.xray.fs.layer", n -> n.path("Index").asText()));
        lowers.getColumns().add(column("details.xray.fs.diffId", n -> shortDigest(n.path("DiffID").asText(""))));
        lowers.getColumns().add(column("details.xray.fs.chainId", n -> shortDigest(n.path("ChainID").asText(""))));
        lowers.getColumns().add(column("details.xray.fs.dir", n -> n.path("Dir").asText()));
        size(lowers, 6);

        summary.setId("details-xray-summary");
        summary.setWrapText(true);
        cgroupPath.setId("details-xray-cgroup-path");
        upper.setId("details-xray-upper");
        merged.setId("details-xray-merged");
        Button refresh = new Button();
        refresh.setId("details-xray-refresh");
        refresh.textProperty().bind(i18n.text("details.refresh"));
        refresh.setGraphic(new FontIcon(MaterialDesignR.REFRESH));
        refresh.setOnAction(e -> vm.refreshXray());
        Label error = new Label();
        error.textProperty().bind(i18n.text(vm.xray().errorProperty()));
        HBox bar = new HBox(10, refresh, summary, error);
        bar.setAlignment(Pos.CENTER_LEFT);

        VBox box = new VBox(8,
                bar,
                explain("details.xray.intro"),
                title("details.xray.ns.title"), explain("details.xray.ns.explain"), namespaces,
                title("details.xray.cg.title"), explain("details.xray.cg.explain"), cgroupPath,
                title("details.xray.cg.limits"), limits, title("details.xray.cg.usage"), usage,
                title("details.xray.fs.title"), explain("details.xray.fs.explain"), lowers, upper, work, merged);
        box.setPadding(new Insets(10));
        box.setFillWidth(true);
        scroll = new ScrollPane(box);
        scroll.setFitToWidth(true);
        vm.xray().valueProperty().addListener((o, a, now) -> show(now));
    }

    private void show(JsonNode x) {
        if (x == null) {
            for (TableView<JsonNode> t : List.of(namespaces, limits, usage, lowers)) {
                t.getItems().clear();
            }
            summary.setText("");
            cgroupPath.setText("");
            upper.setText("");
            work.setText("");
            merged.setText("");
            return;
        }
        List<JsonNode> ns = new ArrayList<>();
        x.path("Namespaces").forEach(ns::add);
        namespaces.setItems(FXCollections.observableArrayList(ns));
        long isolated = ns.stream().filter(n -> !n.path("Shared").asBoolean()).count();
        summary.setText(x.path("Running").asBoolean()
                ? i18n.get("details.xray.summary", Long.toString(x.path("Pid").asLong()), isolated, ns.size(),
                        x.path("HostNamespaces").asText())
                : i18n.get("details.xray.notRunning"));
        JsonNode cg = x.path("Cgroup");
        cgroupPath.setText(i18n.get("details.xray.cg.path", cg.path("Path").asText(), cg.path("Layout").asText()));
        List<JsonNode> l = new ArrayList<>();
        cg.path("Limits").forEach(l::add);
        limits.setItems(FXCollections.observableArrayList(l));
        List<JsonNode> u = new ArrayList<>();
        cg.path("Usage").forEach(u::add);
        usage.setItems(FXCollections.observableArrayList(u));
        JsonNode fs = x.path("Rootfs");
        List<JsonNode> lw = new ArrayList<>();
        JsonNode dirs = fs.path("LowerDirs");
        for (int i = 0; i < dirs.size(); i++) {
            com.fasterxml.jackson.databind.node.ObjectNode row = dirs.get(i).deepCopy();
            row.put("Index", i18n.get("details.xray.fs.index", dirs.size() - i)); // layer 1 is the image's bottom layer
            lw.add(row);
        }
        lowers.setItems(FXCollections.observableArrayList(lw));
        upper.setText(i18n.get("details.xray.fs.upper", fs.path("UpperDir").asText("")));
        work.setText(i18n.get("details.xray.fs.work", fs.path("WorkDir").asText("")));
        merged.setText(i18n.get(fs.path("Mounted").asBoolean() ? "details.xray.fs.merged" : "details.xray.fs.unmounted",
                fs.path("MergedDir").asText("")));
    }

    private String meaning(String type) {
        String key = "details.xray.ns.about." + type.replace("_for_children", "");
        try {
            String s = i18n.get(key);
            return type.endsWith("_for_children") ? i18n.get("details.xray.ns.about.children", s) : s;
        } catch (java.util.MissingResourceException e) {
            return "";
        }
    }

    /** A cgroup file's value with a readable form of big numbers: bytes and "unlimited". */
    private String value(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return i18n.get("details.xray.cg.missing");
        }
        String s = v.asText().replace('\n', ' ');
        if (s.equals("max") || s.equals("-1")) {
            return i18n.get("details.xray.cg.unlimited", s);
        }
        try {
            long n = Long.parseLong(s);
            if (n >= (1L << 62)) {
                return i18n.get("details.xray.cg.unlimited", s);
            }
            if (n >= 1024 * 1024) {
                return s + "  (" + Bytes.human(n) + ")";
            }
        } catch (NumberFormatException ignored) {
            // not a number: shown as it is
        }
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }

    private static String shortDigest(String d) {
        int colon = d.indexOf(':');
        return d.isEmpty() ? "" : colon >= 0 && d.length() > colon + 13 ? d.substring(0, colon + 13) : d;
    }

    private TableColumn<JsonNode, String> column(String key, Function<JsonNode, String> value) {
        TableColumn<JsonNode, String> c = new TableColumn<>();
        c.textProperty().bind(i18n.text(key));
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())));
        return c;
    }

    private static void size(TableView<?> t, int rows) {
        t.setFixedCellSize(24);
        t.setPrefHeight(30 + rows * 24);
        t.setMinHeight(30 + Math.min(rows, 4) * 24);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    }

    private Label title(String key) {
        Label l = new Label();
        l.textProperty().bind(i18n.text(key));
        l.setStyle("-fx-font-size: 15px; -fx-font-weight: bold; -fx-padding: 8 0 0 0;");
        return l;
    }

    private Label explain(String key) {
        Label l = new Label();
        l.textProperty().bind(i18n.text(key));
        l.setWrapText(true);
        l.setStyle("-fx-opacity: 0.85;");
        return l;
    }

    public Node node() {
        return scroll;
    }

    public TableView<JsonNode> namespaces() {
        return namespaces;
    }

}
