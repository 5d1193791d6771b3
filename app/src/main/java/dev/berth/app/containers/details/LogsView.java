package dev.berth.app.containers.details;

import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;

import java.io.File;
import java.util.Locale;

/**
 * The Logs tab: a virtualized {@link ListView} of log lines (only the visible rows exist as
 * nodes, so 100,000 lines scroll smoothly), stderr lines marked red, ANSI colours rendered,
 * timestamps on demand, search with highlighted hits and next/previous, follow (keep the newest
 * line in view) and save to a file.
 */
public final class LogsView {

    /** The xterm palette for colour indexes 0 to 15. */
    private static final Color[] ANSI = {
            Color.web("#000000"), Color.web("#cd3131"), Color.web("#0dbc79"), Color.web("#bc9a0c"),
            Color.web("#2472c8"), Color.web("#bc3fbc"), Color.web("#11a8cd"), Color.web("#a0a0a0"),
            Color.web("#666666"), Color.web("#f14c4c"), Color.web("#23d18b"), Color.web("#d5b50f"),
            Color.web("#3b8eea"), Color.web("#d670d6"), Color.web("#29b8db"), Color.web("#e5e5e5")};
    private static final Color STDERR = Color.web("#c62828");
    private static final Color TIMESTAMP = Color.web("#7a7a7a");
    private static final Font MONO = Font.font("Monospaced", 12.5);
    private static final Font MONO_BOLD = Font.font("Monospaced", FontWeight.BOLD, 12.5);

    private final LogsViewModel vm;
    private final BorderPane root = new BorderPane();
    private final ListView<LogLine> list = new ListView<>();

    public LogsView(LogsViewModel vm, Localization i18n) {
        this.vm = vm;
        list.setId("details-logs-list");
        list.setItems(vm.lines());
        list.setFixedCellSize(20);
        list.setCellFactory(v -> new LineCell());
        list.getStyleClass().add("details-logs");
        Label empty = new Label();
        empty.textProperty().bind(i18n.text("details.logs.empty"));
        list.setPlaceholder(empty);

        ToggleButton follow = new ToggleButton();
        follow.setId("details-logs-follow");
        follow.textProperty().bind(i18n.text("details.logs.follow"));
        follow.setGraphic(new FontIcon(MaterialDesignA.ARROW_COLLAPSE_DOWN));
        follow.selectedProperty().bindBidirectional(vm.followProperty());
        CheckBox timestamps = new CheckBox();
        timestamps.setId("details-logs-timestamps");
        timestamps.textProperty().bind(i18n.text("details.logs.timestamps"));
        timestamps.selectedProperty().bindBidirectional(vm.timestampsProperty());
        vm.timestampsProperty().addListener((o, a, b) -> list.refresh());

        TextField search = new TextField();
        search.setId("details-logs-search");
        search.promptTextProperty().bind(i18n.text("details.logs.search"));
        search.textProperty().bindBidirectional(vm.searchProperty());
        search.setPrefColumnCount(18);
        Label hits = new Label();
        hits.setId("details-logs-matches");
        hits.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> vm.searchProperty().get() == null || vm.searchProperty().get().isBlank() ? ""
                        : i18n.get("details.logs.matches", vm.currentMatchProperty().get() + 1, vm.matchesProperty().get()),
                vm.matchesProperty(), vm.currentMatchProperty(), vm.searchProperty(), i18n.languageProperty()));
        Button prev = iconButton(new FontIcon(MaterialDesignC.CHEVRON_UP), "details-logs-prev");
        Button next = iconButton(new FontIcon(MaterialDesignC.CHEVRON_DOWN), "details-logs-next");
        prev.setOnAction(e -> jump(false));
        next.setOnAction(e -> jump(true));
        search.setOnAction(e -> jump(true));
        vm.searchProperty().addListener((o, a, b) -> {
            list.refresh();
            int line = vm.currentMatchLine();
            if (line >= 0) {
                vm.followProperty().set(false);
                list.scrollTo(line);
            }
        });

        Button save = Dialogs.button(i18n, "details.logs.save", "details-logs-save");
        save.setGraphic(new FontIcon(MaterialDesignC.CONTENT_SAVE_OUTLINE));
        save.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle(i18n.get("details.logs.save"));
            chooser.setInitialFileName("container.log");
            File f = chooser.showSaveDialog(root.getScene() == null ? null : root.getScene().getWindow());
            if (f != null) {
                vm.saveTo(f.toPath());
            }
        });
        Label status = new Label();
        status.setId("details-logs-status");
        status.textProperty().bind(i18n.text(vm.statusProperty()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        FontIcon glass = new FontIcon(MaterialDesignM.MAGNIFY);
        HBox bar = new HBox(8, follow, timestamps, glass, search, prev, next, hits, spacer, status, save);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 6, 8));
        root.setTop(bar);
        root.setCenter(list);

        vm.lines().addListener((ListChangeListener<LogLine>) c -> {
            if (vm.followProperty().get() && !vm.lines().isEmpty()) {
                list.scrollTo(vm.lines().size() - 1);
            }
        });
        vm.followProperty().addListener((o, a, now) -> {
            if (now && !vm.lines().isEmpty()) {
                list.scrollTo(vm.lines().size() - 1);
            }
        });
    }

    private static Button iconButton(Node icon, String id) {
        Button b = new Button();
        b.setGraphic(icon);
        b.setId(id);
        return b;
    }

    private void jump(boolean forward) {
        int line = vm.nextMatch(forward);
        if (line >= 0) {
            vm.followProperty().set(false);
            list.scrollTo(Math.max(0, line - 3));
            list.getSelectionModel().select(line);
        }
    }

    public Node node() {
        return root;
    }

    /** The list (a virtualized control), for tests. */
    public ListView<LogLine> list() {
        return list;
    }

    /** One row: a stream marker, the timestamp when shown, the text in its ANSI colours with search hits highlighted. */
    private final class LineCell extends ListCell<LogLine> {
        private final Region marker = new Region();

        LineCell() {
            marker.setMinWidth(3);
            marker.setPrefWidth(3);
            setPadding(new Insets(0, 4, 0, 0));
        }

        @Override
        protected void updateItem(LogLine line, boolean empty) {
            super.updateItem(line, empty);
            getStyleClass().removeAll("details-log-stdout", "details-log-stderr");
            setText(null);
            if (empty || line == null) {
                setGraphic(null);
                return;
            }
            boolean err = line.stream() == LogLine.Stream.STDERR;
            getStyleClass().add(err ? "details-log-stderr" : "details-log-stdout");
            marker.setStyle(err ? "-fx-background-color: #c62828;" : "-fx-background-color: transparent;");
            TextFlow flow = new TextFlow();
            if (vm.timestampsProperty().get() && line.timestamp() != null) {
                Text ts = new Text(line.timestamp() + "  ");
                ts.setFont(MONO);
                ts.setFill(TIMESTAMP);
                flow.getChildren().add(ts);
            }
            String needle = vm.searchProperty().get();
            needle = needle == null || needle.isBlank() ? null : needle.toLowerCase(Locale.ROOT);
            for (AnsiText.Span span : AnsiText.parse(line.text())) {
                addSpan(flow, span, err, needle);
            }
            HBox row = new HBox(6, marker, flow);
            row.setAlignment(Pos.CENTER_LEFT);
            setGraphic(row);
        }

        private void addSpan(TextFlow flow, AnsiText.Span span, boolean err, String needle) {
            String s = span.text();
            if (needle == null) {
                flow.getChildren().add(text(s, span.style(), err));
                return;
            }
            String lower = s.toLowerCase(Locale.ROOT);
            int from = 0;
            int hit;
            while ((hit = lower.indexOf(needle, from)) >= 0) {
                if (hit > from) {
                    flow.getChildren().add(text(s.substring(from, hit), span.style(), err));
                }
                Label mark = new Label(s.substring(hit, hit + needle.length()));
                mark.setFont(MONO_BOLD);
                mark.getStyleClass().add("details-log-hit");
                mark.setStyle("-fx-background-color: #ffd54f; -fx-text-fill: black; -fx-padding: 0;");
                flow.getChildren().add(mark);
                from = hit + needle.length();
            }
            if (from < s.length()) {
                flow.getChildren().add(text(s.substring(from), span.style(), err));
            }
        }

        private Text text(String s, AnsiText.Style style, boolean err) {
            Text t = new Text(s);
            t.setFont(style.bold() ? MONO_BOLD : MONO);
            t.setUnderline(style.underline());
            if (style.fg() >= 0) {
                t.setFill(colour(style.fg()));
            } else if (err) {
                t.setFill(STDERR);
            } else {
                t.getStyleClass().add("details-log-text");
                t.setStyle("-fx-fill: -fx-text-background-color;"); // the theme's text colour, light or dark
            }
            return t;
        }
    }

    /** The colour of an xterm colour index (16 palette colours, the 6x6x6 cube, 24 greys). */
    static Color colour(int idx) {
        if (idx < 16) {
            return ANSI[idx];
        }
        if (idx < 232) {
            int i = idx - 16;
            int[] steps = {0, 95, 135, 175, 215, 255};
            return Color.rgb(steps[i / 36], steps[(i / 6) % 6], steps[i % 6]);
        }
        int g = 8 + (idx - 232) * 10;
        return Color.rgb(g, g, g);
    }
}
