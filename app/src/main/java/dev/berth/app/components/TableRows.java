package dev.berth.app.components;

import javafx.beans.binding.Bindings;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;

import java.util.function.Consumer;
import java.util.function.Function;

/** How the panes' table rows answer the mouse and the keyboard. */
public final class TableRows {

    private TableRows() {}

    /**
     * Each row gets the context menu {@code menu} makes for it (none while it is empty) and runs
     * {@code onDoubleClick} with its item when double-clicked; Delete runs {@code onDelete} with the
     * selected item.
     */
    public static <T> void actions(TableView<T> table, Function<TableRow<T>, ContextMenu> menu, Consumer<T> onDoubleClick,
                                   Consumer<T> onDelete) {
        table.setRowFactory(t -> {
            TableRow<T> row = new TableRow<>();
            row.contextMenuProperty().bind(Bindings.when(row.emptyProperty()).then((ContextMenu) null).otherwise(menu.apply(row)));
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    onDoubleClick.accept(row.getItem());
                }
            });
            return row;
        });
        table.setOnKeyPressed(e -> {
            T selected = table.getSelectionModel().getSelectedItem();
            if (e.getCode() == KeyCode.DELETE && selected != null) {
                onDelete.accept(selected);
            }
        });
    }
}
