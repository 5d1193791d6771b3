package dev.berth.app.events;

import dev.berth.app.backend.EngineEvent;
import dev.berth.app.components.PaneHeader;
import dev.berth.app.i18n.Localization;
import dev.berth.app.i18n.Text;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;

import java.util.function.Function;

/** The Events pane: a toolbar (filter, pause, clear, count) over a virtualized table. */
public final class EventsView {

    private final VBox root;

    public EventsView(EventsViewModel viewModel, Localization i18n) {
        TextField filter = new TextField();
        filter.setId("events-filter");
        filter.promptTextProperty().bind(i18n.text("events.filter.prompt"));
        filter.textProperty().bindBidirectional(viewModel.filterProperty());
        filter.getStyleClass().add("search-field");
        FontIcon searchIcon = new FontIcon(MaterialDesignM.MAGNIFY);
        searchIcon.getStyleClass().add("search-icon");
        searchIcon.setMouseTransparent(true);
        StackPane search = new StackPane(filter, searchIcon);
        StackPane.setAlignment(searchIcon, Pos.CENTER_LEFT);
        StackPane.setMargin(searchIcon, new Insets(0, 0, 0, 9));

        ToggleButton pause = new ToggleButton();
        pause.setId("events-pause");
        pause.selectedProperty().bindBidirectional(viewModel.pausedProperty());
        pause.textProperty().bind(Bindings.when(pause.selectedProperty())
                .then(i18n.text("events.resume")).otherwise(i18n.text("events.pause")));
        FontIcon pauseIcon = new FontIcon(MaterialDesignP.PAUSE);
        pause.selectedProperty().addListener((obs, was, now) ->
                pauseIcon.setIconCode(now ? MaterialDesignP.PLAY : MaterialDesignP.PAUSE));
        pause.setGraphic(pauseIcon);

        Button clear = new Button();
        clear.setId("events-clear");
        clear.textProperty().bind(i18n.text("events.clear"));
        clear.setGraphic(new FontIcon(MaterialDesignD.DELETE_SWEEP_OUTLINE));
        clear.setOnAction(e -> viewModel.clear());

        Label waiting = new Label();
        waiting.getStyleClass().add("tag");
        waiting.textProperty().bind(Bindings.createStringBinding(
                () -> i18n.get("events.waiting", viewModel.waitingProperty().get()),
                viewModel.waitingProperty(), i18n.languageProperty()));
        waiting.visibleProperty().bind(viewModel.waitingProperty().greaterThan(0));
        waiting.managedProperty().bind(waiting.visibleProperty());

        Label count = new Label();
        count.setId("events-count");
        count.getStyleClass().add("muted");
        count.textProperty().bind(i18n.text(viewModel.summary()));

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox toolbar = new HBox(search, pause, clear, waiting, spacer, count);
        toolbar.getStyleClass().add("toolbar");

        TableView<EngineEvent> table = new TableView<>(viewModel.visibleEvents());
        table.setId("events-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(column(i18n, "events.column.time", 190, true, EventsViewModel::timeText));
        table.getColumns().add(column(i18n, "events.column.type", 110, false, EngineEvent::type));
        table.getColumns().add(column(i18n, "events.column.action", 110, false, EngineEvent::action));
        table.getColumns().add(column(i18n, "events.column.actor", 170, true, EngineEvent::actorLabel));
        table.getColumns().add(column(i18n, "events.column.attributes", 360, false, EventsViewModel::attributesText));
        Label placeholder = new Label();
        placeholder.setId("events-placeholder");
        placeholder.setWrapText(true);
        placeholder.textProperty().bind(i18n.text(Bindings.createObjectBinding(() -> {
            if (viewModel.problemProperty().get() != null) {
                return Text.of("events.placeholder.unavailable", viewModel.problemProperty().get());
            }
            return viewModel.allEvents().isEmpty() ? Text.of("events.placeholder") : Text.of("events.placeholder.filtered");
        }, viewModel.problemProperty(), viewModel.allEvents())));
        table.setPlaceholder(placeholder);
        VBox.setVgrow(table, Priority.ALWAYS);

        VBox body = new VBox(toolbar, table);
        body.getStyleClass().add("pane-body");
        VBox.setVgrow(body, Priority.ALWAYS);
        root = new VBox(PaneHeader.create(i18n, "events.title", "events.subtitle", "events"), body);
        root.setId("events-pane");
        root.getStyleClass().add("content");
    }

    private static TableColumn<EngineEvent, String> column(Localization i18n, String key, double width, boolean mono,
                                                           Function<EngineEvent, String> value) {
        TableColumn<EngineEvent, String> c = new TableColumn<>();
        c.textProperty().bind(i18n.text(key));
        c.setPrefWidth(width);
        c.setSortable(false);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        if (mono) {
            c.getStyleClass().add("mono");
        }
        return c;
    }

    public Parent root() {
        return root;
    }
}
