package dev.berth.app.containers.details;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.i18n.Localization;
import dev.berth.app.images.JsonTree;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The Inspect tab: the container's inspect document as a tree, with a search that opens and selects each hit in turn. */
public final class InspectView {

    private final BorderPane root = new BorderPane();
    private final TreeView<JsonTree.Entry> tree = new TreeView<>();
    private final Map<JsonTree.Entry, TreeItem<JsonTree.Entry>> items = new IdentityHashMap<>();
    private JsonTree.Entry rootEntry;
    private List<JsonTree.Entry> hits = new ArrayList<>();
    private int hit = -1;

    public InspectView(ContainerDetailsViewModel vm, Localization i18n) {
        tree.setId("details-inspect-tree");
        tree.setShowRoot(false);
        tree.setCellFactory(t -> new javafx.scene.control.TreeCell<>() {
            @Override
            protected void updateItem(JsonTree.Entry e, boolean empty) {
                super.updateItem(e, empty);
                setText(empty || e == null ? null : e.label());
            }
        });
        TextField search = new TextField();
        search.setId("details-inspect-search");
        search.promptTextProperty().bind(i18n.text("details.inspect.search"));
        search.setPrefColumnCount(24);
        Label count = new Label();
        count.setId("details-inspect-matches");
        search.textProperty().addListener((o, a, now) -> {
            hits = rootEntry == null ? List.of() : JsonTree.search(rootEntry, now);
            hit = -1;
            count.setText(now == null || now.isBlank() ? "" : i18n.get("details.logs.matches", hits.isEmpty() ? 0 : 1, hits.size()));
            next(count, i18n);
        });
        search.setOnAction(e -> next(count, i18n));
        Button refresh = new Button();
        refresh.setId("details-inspect-refresh");
        refresh.setGraphic(new FontIcon(MaterialDesignR.REFRESH));
        refresh.setOnAction(e -> vm.refreshInspect());
        HBox bar = new HBox(8, new FontIcon(MaterialDesignM.MAGNIFY), search, count, refresh);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 6, 8));
        Label error = new Label();
        error.textProperty().bind(i18n.text(vm.inspect().errorProperty()));
        error.visibleProperty().bind(vm.inspect().errorProperty().isNotNull());
        error.managedProperty().bind(error.visibleProperty());
        root.setTop(new javafx.scene.layout.VBox(bar, error));
        root.setCenter(tree);
        vm.inspect().valueProperty().addListener((o, a, now) -> show(now));
        show(vm.inspect().valueProperty().get());
    }

    private void show(JsonNode node) {
        items.clear();
        hits = List.of();
        hit = -1;
        if (node == null) {
            rootEntry = null;
            tree.setRoot(null);
            return;
        }
        rootEntry = JsonTree.of("container", node);
        TreeItem<JsonTree.Entry> r = item(rootEntry);
        r.setExpanded(true);
        tree.setRoot(r);
    }

    private TreeItem<JsonTree.Entry> item(JsonTree.Entry e) {
        TreeItem<JsonTree.Entry> it = new TreeItem<>(e);
        items.put(e, it);
        for (JsonTree.Entry c : e.children()) {
            it.getChildren().add(item(c));
        }
        return it;
    }

    private void next(Label count, Localization i18n) {
        if (hits.isEmpty()) {
            return;
        }
        hit = (hit + 1) % hits.size();
        TreeItem<JsonTree.Entry> it = items.get(hits.get(hit));
        for (TreeItem<JsonTree.Entry> p = it.getParent(); p != null; p = p.getParent()) {
            p.setExpanded(true);
        }
        tree.getSelectionModel().select(it);
        int row = tree.getRow(it);
        if (row >= 0) {
            tree.scrollTo(Math.max(0, row - 3));
        }
        count.setText(i18n.get("details.logs.matches", hit + 1, hits.size()));
    }

    public Node node() {
        return root;
    }

    public TreeView<JsonTree.Entry> tree() {
        return tree;
    }
}
