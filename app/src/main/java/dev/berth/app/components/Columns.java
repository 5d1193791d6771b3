package dev.berth.app.components;

import dev.berth.app.i18n.Localization;
import dev.berth.app.images.Formats;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.Tooltip;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.function.Function;

/**
 * The columns the panes' tables share: a header from the bundle, an id for tests, a preferred
 * width, and cells that show a row's value the same way in every pane (ages, Docker's decimal
 * sizes). Sorting uses the value, not its text.
 */
public final class Columns {

    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Columns() {}

    /** Text as the row gives it. */
    public static <S> TableColumn<S, String> text(Localization i18n, String key, String id, double width,
                                                  Function<S, String> value) {
        return shown(i18n, key, id, width, value, Function.identity());
    }

    /** The row's {@code value}, shown as {@code text} gives it (null: an empty cell), sorted by the value. */
    public static <S, T> TableColumn<S, T> shown(Localization i18n, String key, String id, double width,
                                                 Function<S, T> value, Function<T, String> text) {
        TableColumn<S, T> c = new TableColumn<>();
        c.setId(id);
        c.textProperty().bind(i18n.text(key));
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : text.apply(item));
            }
        });
        return c;
    }

    /** When: "3 days ago" in the chosen language, the exact local time in a tooltip; unknown sorts first. */
    public static <S> TableColumn<S, Instant> created(Localization i18n, String key, String id, double width,
                                                      Function<S, Instant> value) {
        TableColumn<S, Instant> c = new TableColumn<>();
        c.setId(id);
        c.textProperty().bind(i18n.text(key));
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        c.setComparator(Comparator.nullsFirst(Comparator.naturalOrder()));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Instant item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : i18n.get(Formats.ago(item, Instant.now())));
                setTooltip(empty || item == null ? null : new Tooltip(EXACT.format(item.atZone(ZoneId.systemDefault()))));
            }
        });
        return c;
    }

    /** Bytes in Docker's decimal units, right-aligned; a negative size (not known) shows nothing. */
    public static <S> TableColumn<S, Long> size(Localization i18n, String key, String id, double width,
                                                Function<S, Long> value) {
        TableColumn<S, Long> c = shown(i18n, key, id, width, value, bytes -> bytes < 0 ? null : Formats.size(bytes));
        c.getStyleClass().add("numeric");
        return c;
    }
}
