package dev.berth.app.components;

import dev.berth.app.i18n.Localization;
import javafx.scene.control.Button;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.function.Consumer;

/**
 * The buttons of a pane's header and toolbar, and the items of its rows' context menus: a label
 * from the bundle, an icon, an id for tests.
 */
public final class PaneButtons {

    private PaneButtons() {}

    /** A button that runs {@code action}. */
    public static Button button(Localization i18n, String key, String id, Ikon icon, Runnable action) {
        Button b = new Button();
        b.setId(id);
        b.textProperty().bind(i18n.text(key));
        b.setGraphic(new FontIcon(icon));
        b.setOnAction(e -> action.run());
        return b;
    }

    /** A button that passes {@code table}'s selected row to {@code action} (nothing when none is selected). */
    public static <T> Button forSelected(Localization i18n, String key, String id, Ikon icon, TableView<T> table,
                                         Consumer<T> action) {
        return button(i18n, key, id, icon, () -> {
            T selected = table.getSelectionModel().getSelectedItem();
            if (selected != null) {
                action.accept(selected);
            }
        });
    }

    /** A context-menu item that passes {@code row}'s item to {@code action} (nothing on an empty row). */
    public static <T> MenuItem menuItem(Localization i18n, String key, String id, Ikon icon, TableRow<T> row,
                                        Consumer<T> action) {
        MenuItem item = new MenuItem();
        item.setId(id);
        item.textProperty().bind(i18n.text(key));
        item.setGraphic(new FontIcon(icon));
        item.setOnAction(e -> {
            if (row.getItem() != null) {
                action.accept(row.getItem());
            }
        });
        return item;
    }
}
