package dev.berth.app.images;

import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import dev.berth.app.images.ImagesViewModel.Row;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

import java.time.Instant;
import java.util.List;

/**
 * Layers: the image's history, newest first: the layer's short digest, size, how many other
 * images share it, when and by what command it was made.
 */
public final class LayersDialog {

    private final Stage stage;

    public LayersDialog(Localization i18n, Node owner, Row row, List<ImageLayer> layers) {
        TableView<ImageLayer> table = new TableView<>(FXCollections.observableArrayList(layers));
        table.setId("layers-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        TableColumn<ImageLayer, String> layer = new TableColumn<>();
        layer.textProperty().bind(i18n.text("layers.column.layer"));
        layer.setPrefWidth(120);
        layer.getStyleClass().add("mono");
        layer.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().hasLayer()
                ? Formats.shortDigest(c.getValue().diffId()) : "—"));

        TableColumn<ImageLayer, Long> size = new TableColumn<>();
        size.setId("layers-col-size");
        size.textProperty().bind(i18n.text("layers.column.size"));
        size.setPrefWidth(90);
        size.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().size()));
        size.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Long item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : Formats.size(item));
            }
        });

        TableColumn<ImageLayer, ImageLayer> shared = new TableColumn<>();
        shared.setId("layers-col-shared");
        shared.textProperty().bind(i18n.text("layers.column.shared"));
        shared.setPrefWidth(150);
        shared.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        shared.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(ImageLayer item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().remove("shared");
                if (empty || item == null || !item.hasLayer()) {
                    setText(null);
                    return;
                }
                if (item.sharedWith() > 0) {
                    getStyleClass().add("shared");
                    setText(item.sharedWith() == 1 ? i18n.get("layers.shared.one") : i18n.get("layers.shared", item.sharedWith()));
                } else {
                    setText(i18n.get("layers.unique"));
                }
            }
        });

        TableColumn<ImageLayer, Instant> created = new TableColumn<>();
        created.textProperty().bind(i18n.text("layers.column.created"));
        created.setPrefWidth(110);
        created.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().created()));
        created.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Instant item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : i18n.get(Formats.ago(item, Instant.now())));
            }
        });

        TableColumn<ImageLayer, String> by = new TableColumn<>();
        by.textProperty().bind(i18n.text("layers.column.createdBy"));
        by.setPrefWidth(360);
        by.getStyleClass().add("mono");
        by.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().createdBy()));
        by.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty || item == null || item.isEmpty() ? null : new Tooltip(item));
            }
        });
        table.getColumns().addAll(List.of(layer, size, shared, created, by));
        VBox.setVgrow(table, Priority.ALWAYS);

        long total = layers.stream().mapToLong(ImageLayer::size).sum();
        long sharedBytes = layers.stream().filter(l -> l.sharedWith() > 0).mapToLong(ImageLayer::size).sum();
        Label heading = new Label();
        heading.textProperty().bind(i18n.text("layers.heading", row.reference()));
        heading.getStyleClass().add("dialog-heading");
        Label summary = new Label();
        summary.setId("layers-summary");
        summary.getStyleClass().add("muted");
        summary.textProperty().bind(i18n.text("layers.summary", layers.stream().filter(ImageLayer::hasLayer).count(),
                Formats.size(total), Formats.size(sharedBytes)));
        Button close = Dialogs.button(i18n, "dialog.close", "layers-close");
        close.setCancelButton(true);
        VBox content = new VBox(12, heading, summary, table, Dialogs.buttonRow(new Node[0], close));
        content.setPrefSize(860, 420);
        stage = Dialogs.stage(owner, i18n, "layers.title", content, "layers-dialog");
        close.setOnAction(e -> stage.close());
    }

    public void show() {
        stage.show();
    }
}
