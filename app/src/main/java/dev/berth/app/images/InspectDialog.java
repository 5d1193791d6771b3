package dev.berth.app.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import dev.berth.app.images.ImagesViewModel.Row;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inspect: the image's JSON as a tree with a search box. Typing selects the first entry whose
 * key or value contains the text and opens its parents; Enter goes to the next one.
 */
public final class InspectDialog {

    private final Stage stage;
    private final Map<JsonTree.Entry, TreeItem<JsonTree.Entry>> items = new HashMap<>();
    private List<JsonTree.Entry> hits = List.of();
    private int current;

    public InspectDialog(Localization i18n, Node owner, Row row, JsonNode json) {
        this(i18n, owner, "inspect.title", row.reference(), json);
    }

    /** The dialog for any object's JSON (a network, a volume), titled from {@code titleKey}. */
    public InspectDialog(Localization i18n, Node owner, String titleKey, String name, JsonNode json) {
        JsonTree.Entry rootEntry = JsonTree.of(name, json);
        TreeItem<JsonTree.Entry> rootItem = item(rootEntry);
        rootItem.setExpanded(true);
        TreeView<JsonTree.Entry> tree = new TreeView<>(rootItem);
        tree.setId("inspect-tree");
        tree.setCellFactory(t -> new TreeCell<>() {
            @Override
            protected void updateItem(JsonTree.Entry item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.label());
            }
        });
        tree.getStyleClass().add("json-tree");
        VBox.setVgrow(tree, Priority.ALWAYS);

        TextField search = new TextField();
        search.setId("inspect-search");
        search.promptTextProperty().bind(i18n.text("inspect.search.prompt"));
        search.getStyleClass().add("search-field");
        FontIcon icon = new FontIcon(MaterialDesignM.MAGNIFY);
        icon.getStyleClass().add("search-icon");
        icon.setMouseTransparent(true);
        StackPane searchBox = new StackPane(search, icon);
        StackPane.setAlignment(icon, Pos.CENTER_LEFT);
        StackPane.setMargin(icon, new Insets(0, 0, 0, 9));
        HBox.setHgrow(searchBox, Priority.ALWAYS);
        Label matches = new Label();
        matches.setId("inspect-matches");
        matches.getStyleClass().add("muted");
        search.textProperty().addListener((obs, old, now) -> {
            hits = JsonTree.search(rootEntry, now);
            current = 0;
            show(tree, matches, i18n);
        });
        search.setOnAction(e -> {
            if (!hits.isEmpty()) {
                current = (current + 1) % hits.size();
                show(tree, matches, i18n);
            }
        });

        Button copy = Dialogs.button(i18n, "inspect.copy", "inspect-copy");
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            try {
                c.putString(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                c.putString(json.toString());
            }
            Clipboard.getSystemClipboard().setContent(c);
        });
        Button close = Dialogs.button(i18n, "dialog.close", "inspect-close");
        close.setCancelButton(true);
        Label heading = new Label();
        heading.textProperty().bind(i18n.text("inspect.heading", name));
        heading.getStyleClass().add("dialog-heading");
        HBox searchRow = new HBox(10, searchBox, matches);
        searchRow.setAlignment(Pos.CENTER_LEFT);
        VBox content = new VBox(12, heading, searchRow, tree, Dialogs.buttonRow(new Node[] {copy}, close));
        content.setPrefSize(720, 560);
        stage = Dialogs.stage(owner, i18n, titleKey, content, "inspect-dialog");
        close.setOnAction(e -> stage.close());
    }

    private TreeItem<JsonTree.Entry> item(JsonTree.Entry e) {
        TreeItem<JsonTree.Entry> item = new TreeItem<>(e);
        items.put(e, item);
        for (JsonTree.Entry c : e.children()) {
            item.getChildren().add(item(c));
        }
        // the first level open, so the tree does not start as one line
        item.setExpanded(e.path().indexOf('.') < 0 && e.path().indexOf('[') < 0);
        return item;
    }

    private void show(TreeView<JsonTree.Entry> tree, Label matches, Localization i18n) {
        matches.textProperty().unbind();
        if (hits.isEmpty()) {
            matches.textProperty().bind(i18n.text("inspect.matches.none"));
            tree.getSelectionModel().clearSelection();
            return;
        }
        matches.textProperty().bind(i18n.text("inspect.matches", current + 1, hits.size()));
        TreeItem<JsonTree.Entry> item = items.get(hits.get(current));
        for (TreeItem<JsonTree.Entry> p = item.getParent(); p != null; p = p.getParent()) {
            p.setExpanded(true);
        }
        item.setExpanded(true);
        tree.getSelectionModel().select(item);
        int index = tree.getRow(item);
        tree.scrollTo(Math.max(0, index - 3));
    }

    public void show() {
        stage.show();
    }
}
