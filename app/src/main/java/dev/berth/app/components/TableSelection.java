package dev.berth.app.components;

import javafx.collections.ListChangeListener;
import javafx.scene.control.TableView;

import java.util.function.Function;

/** Keeps a table's selection on the same object when a refresh replaces all its rows. */
public final class TableSelection {

    private TableSelection() {}

    /**
     * After each change of the table's items, the row whose {@code id} equals that of the row
     * selected last is selected again; then {@code afterwards} runs.
     */
    public static <T> void keepAcrossRefresh(TableView<T> table, Function<T, String> id, Runnable afterwards) {
        String[] selected = {null};
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                selected[0] = id.apply(now);
            }
        });
        table.getItems().addListener((ListChangeListener<T>) c -> {
            T now = table.getSelectionModel().getSelectedItem();
            if (selected[0] != null && (now == null || !id.apply(now).equals(selected[0]))) {
                table.getItems().stream().filter(r -> id.apply(r).equals(selected[0])).findFirst()
                        .ifPresent(r -> table.getSelectionModel().select(r));
            }
            afterwards.run();
        });
    }
}
