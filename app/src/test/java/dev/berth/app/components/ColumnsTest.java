package dev.berth.app.components;

import dev.berth.app.i18n.Language;
import dev.berth.app.i18n.Localization;
import javafx.collections.FXCollections;
import javafx.scene.Scene;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared table columns in a real window: what their cells say, their tooltips, how they sort. */
@ExtendWith(ApplicationExtension.class)
class ColumnsTest {

    record Thing(String name, long size, Instant created) {}

    private static final Instant WHEN = Instant.parse("2026-11-20T10:00:00Z");

    private final Localization i18n = new Localization(Language.ENGLISH);
    private TableView<Thing> table;

    @Start
    void start(Stage stage) {
        table = new TableView<>(FXCollections.observableArrayList(
                new Thing("big", 190_000_000, WHEN),
                new Thing("unknown", -1, null),
                new Thing("small", 4_260_000, WHEN.plusSeconds(3600))));
        table.getColumns().add(Columns.text(i18n, "volumes.column.name", "t-name", 100, Thing::name));
        table.getColumns().add(Columns.size(i18n, "volumes.column.size", "t-size", 100, Thing::size));
        table.getColumns().add(Columns.created(i18n, "volumes.column.created", "t-created", 150, Thing::created));
        stage.setScene(new Scene(table, 400, 200));
        stage.show();
    }

    /** The cells of column {@code id}, top to bottom. */
    private List<TableCell<?, ?>> cells(FxRobot robot, String id) {
        return robot.lookup(".table-row-cell .table-cell").queryAllAs(TableCell.class).stream()
                .filter(c -> c.getTableColumn() != null && id.equals(c.getTableColumn().getId())
                        && c.getIndex() >= 0 && c.getIndex() < 3)
                .sorted(java.util.Comparator.comparingInt(TableCell::getIndex))
                .<TableCell<?, ?>>map(c -> c)
                .toList();
    }

    @Test
    void headersComeFromTheBundleAndCellsSayTheValueInDockersWords(FxRobot robot) {
        assertThat(table.getColumns()).extracting(TableColumn::getText).containsExactly("Name", "Size", "Created");
        assertThat(cells(robot, "t-name")).extracting(TableCell::getText).containsExactly("big", "unknown", "small");
        // decimal units as docker prints them; a size the engine does not know stays empty
        assertThat(cells(robot, "t-size")).extracting(TableCell::getText).containsExactly("190 MB", null, "4.26 MB");
        assertThat(table.getColumns().get(1).getStyleClass()).contains("numeric");
        List<TableCell<?, ?>> created = cells(robot, "t-created");
        assertThat(created.get(1).getTooltip()).isNull();
        assertThat(created.get(0).getTooltip().getText())
                .isEqualTo(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(WHEN.atZone(ZoneId.systemDefault())));
        assertThat(created).allMatch(c -> c.getText() != null && !c.getText().isBlank());
    }

    @Test
    void sortingUsesTheValueNotItsText(FxRobot robot) {
        TableColumn<Thing, ?> size = table.getColumns().get(1);
        TableColumn<Thing, ?> created = table.getColumns().get(2);
        robot.interact(() -> {
            table.getSortOrder().setAll(List.of(size));
            table.sort();
        });
        assertThat(table.getItems()).extracting(Thing::name).containsExactly("unknown", "small", "big");
        robot.interact(() -> {
            table.getSortOrder().setAll(List.of(created));
            table.sort();
        });
        // an unknown time sorts first, then oldest to newest
        assertThat(table.getItems()).extracting(Thing::name).containsExactly("unknown", "big", "small");
    }
}
