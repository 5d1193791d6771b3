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
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;

import java.util.ArrayList;
import java.util.List;

/** The Processes tab: {@code /containers/{id}/top} as a table whose columns are the titles {@code ps} gave. */
public final class ProcessesView {

    private final BorderPane root = new BorderPane();
    private final TableView<List<String>> table = new TableView<>();

    public ProcessesView(ContainerDetailsViewModel vm, Localization i18n) {
        table.setId("details-processes-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label placeholder = new Label();
        placeholder.textProperty().bind(i18n.text(vm.top().errorProperty()));
        table.setPlaceholder(placeholder);
        Button refresh = new Button();
        refresh.setId("details-processes-refresh");
        refresh.textProperty().bind(i18n.text("details.refresh"));
        refresh.setGraphic(new FontIcon(MaterialDesignR.REFRESH));
        refresh.setOnAction(e -> vm.refreshTop());
        HBox bar = new HBox(8, refresh);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 6, 8));
        root.setTop(bar);
        root.setCenter(table);
        vm.top().valueProperty().addListener((o, a, now) -> show(now));
    }

    private void show(JsonNode top) {
        table.getColumns().clear();
        table.getItems().clear();
        if (top == null) {
            return;
        }
        JsonNode titles = top.path("Titles");
        for (int i = 0; i < titles.size(); i++) {
            int col = i;
            TableColumn<List<String>, String> c = new TableColumn<>(titles.get(i).asText());
            c.setCellValueFactory(f -> new ReadOnlyStringWrapper(col < f.getValue().size() ? f.getValue().get(col) : ""));
            table.getColumns().add(c);
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode p : top.path("Processes")) {
            List<String> row = new ArrayList<>();
            p.forEach(v -> row.add(v.asText()));
            rows.add(row);
        }
        table.setItems(FXCollections.observableArrayList(rows));
    }

    public Node node() {
        return root;
    }

    public TableView<List<String>> table() {
        return table;
    }
}
