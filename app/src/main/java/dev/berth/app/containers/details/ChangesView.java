package dev.berth.app.containers.details;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.i18n.Localization;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Changes tab: {@code /containers/{id}/changes} (what the container's writable layer holds)
 * as a file tree; each changed path is marked A (added), C (changed) or D (deleted), as
 * {@code docker diff} prints them.
 */
public final class ChangesView {

    /** A node of the tree: its name, its full path and its mark (blank for a directory only passed through). */
    public record Change(String name, String path, String mark) {}

    private final BorderPane root = new BorderPane();
    private final TreeView<Change> tree = new TreeView<>();

    public ChangesView(ContainerDetailsViewModel vm, Localization i18n) {
        tree.setId("details-changes-tree");
        tree.setShowRoot(false);
        tree.setCellFactory(t -> new TreeCell<>() {
            @Override
            protected void updateItem(Change c, boolean empty) {
                super.updateItem(c, empty);
                getStyleClass().removeAll("details-change-A", "details-change-C", "details-change-D");
                if (empty || c == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                setText(c.name());
                if (c.mark().isBlank()) {
                    setGraphic(null);
                } else {
                    Label mark = new Label(c.mark());
                    String colour = switch (c.mark()) {
                        case "A" -> "#2e7d32";
                        case "D" -> "#c62828";
                        default -> "#ef6c00";
                    };
                    mark.setStyle("-fx-text-fill: white; -fx-background-color: " + colour
                            + "; -fx-padding: 0 5; -fx-background-radius: 3; -fx-font-weight: bold;");
                    setGraphic(mark);
                    getStyleClass().add("details-change-" + c.mark());
                }
            }
        });
        Label legend = new Label();
        legend.textProperty().bind(i18n.text("details.changes.legend"));
        Label error = new Label();
        error.textProperty().bind(i18n.text(vm.changes().errorProperty()));
        Button refresh = new Button();
        refresh.setId("details-changes-refresh");
        refresh.textProperty().bind(i18n.text("details.refresh"));
        refresh.setGraphic(new FontIcon(MaterialDesignR.REFRESH));
        refresh.setOnAction(e -> vm.refreshChanges());
        HBox bar = new HBox(12, refresh, legend, error);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 6, 8));
        root.setTop(bar);
        root.setCenter(tree);
        Label none = new Label();
        none.textProperty().bind(i18n.text("details.changes.none"));
        vm.changes().valueProperty().addListener((o, a, now) -> {
            tree.setRoot(build(now));
            root.setCenter(now != null && now.isEmpty() ? none : tree);
        });
    }

    /** The tree of {@code changes} ({@code [{Path, Kind}]}, Kind 0 changed, 1 added, 2 deleted), every level open. */
    public static TreeItem<Change> build(JsonNode changes) {
        TreeItem<Change> rootItem = new TreeItem<>(new Change("/", "/", ""));
        if (changes == null) {
            return rootItem;
        }
        Map<String, TreeItem<Change>> byPath = new LinkedHashMap<>();
        byPath.put("/", rootItem);
        for (JsonNode c : changes) {
            String path = c.path("Path").asText();
            String mark = switch (c.path("Kind").asInt()) {
                case 1 -> "A";
                case 2 -> "D";
                default -> "C";
            };
            TreeItem<Change> parent = rootItem;
            StringBuilder sofar = new StringBuilder();
            String[] parts = path.split("/");
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].isEmpty()) {
                    continue;
                }
                sofar.append('/').append(parts[i]);
                String p = sofar.toString();
                boolean last = i == parts.length - 1;
                TreeItem<Change> item = byPath.get(p);
                if (item == null) {
                    item = new TreeItem<>(new Change(parts[i], p, last ? mark : ""));
                    item.setExpanded(true);
                    parent.getChildren().add(item);
                    byPath.put(p, item);
                } else if (last) {
                    item.setValue(new Change(parts[i], p, mark));
                }
                parent = item;
            }
        }
        rootItem.setExpanded(true);
        return rootItem;
    }

    public Node node() {
        return root;
    }

    public TreeView<Change> tree() {
        return tree;
    }
}
