package dev.berth.app.volumes;

import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import dev.berth.app.i18n.Text;
import dev.berth.app.images.Formats;
import dev.berth.app.volumes.VolumesClient.FileEntry;
import dev.berth.app.volumes.VolumesClient.Volume;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

/**
 * A read-only browser of a volume's files: a tree table (name, size, permissions, modified)
 * whose directories are read from the engine only when opened. Symbolic links are shown as
 * links and never opened; the engine refuses to follow them anyway.
 */
public final class VolumeBrowserDialog {

    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** A row: an entry and its absolute path inside the volume. */
    public record Item(FileEntry entry, String path) {}

    private final Stage stage;
    private final VolumesViewModel vm;
    private final Volume volume;
    private final ObjectProperty<Text> problem = new SimpleObjectProperty<>();

    public VolumeBrowserDialog(VolumesViewModel vm, Localization i18n, Node owner, Volume volume) {
        this.vm = vm;
        this.volume = volume;
        TreeItem<Item> root = new DirectoryItem(new Item(new FileEntry("/", "directory", 0, 0755, null), "/"));
        TreeTableView<Item> tree = new TreeTableView<>(root);
        tree.setId("volumes-browser-tree");
        tree.setShowRoot(true);
        tree.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TreeTableColumn<Item, String> name = column(i18n, "volumes.browser.column.name", 300, i -> i.entry().name());
        name.setCellFactory(c -> new TreeTableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                Item row = empty || getTableRow() == null ? null : getTableRow().getItem();
                setText(empty ? null : item);
                setGraphic(row == null ? null : new FontIcon(switch (row.entry().type()) {
                    case "directory" -> MaterialDesignF.FOLDER_OUTLINE;
                    case "symlink" -> MaterialDesignL.LINK_VARIANT;
                    default -> MaterialDesignF.FILE_OUTLINE;
                }));
            }
        });
        tree.getColumns().add(name);
        tree.getColumns().add(column(i18n, "volumes.browser.column.size", 110,
                i -> i.entry().directory() ? "" : Formats.size(i.entry().size())));
        tree.getColumns().add(column(i18n, "volumes.browser.column.mode", 110, i -> permissions(i.entry().mode())));
        tree.getColumns().add(column(i18n, "volumes.browser.column.modified", 170,
                i -> i.entry().modified() == null ? "" : EXACT.format(i.entry().modified().atZone(ZoneId.systemDefault()))));
        VBox.setVgrow(tree, Priority.ALWAYS);
        root.setExpanded(true);

        Label heading = new Label();
        heading.textProperty().bind(i18n.text("volumes.browser.heading", volume.name()));
        heading.getStyleClass().add("dialog-heading");
        Label note = Dialogs.label(i18n, "volumes.browser.note");
        note.getStyleClass().add("muted");
        note.setWrapText(true);
        Label error = new Label();
        error.setId("volumes-browser-error");
        error.setWrapText(true);
        error.getStyleClass().add("status-line-error");
        error.textProperty().bind(i18n.text(problem));
        error.visibleProperty().bind(problem.isNotNull());
        error.managedProperty().bind(error.visibleProperty());
        Button close = Dialogs.button(i18n, "dialog.close", "volumes-browser-close");
        close.setCancelButton(true);
        VBox content = new VBox(12, heading, note, tree, error, Dialogs.buttonRow(new Node[0], close));
        content.setPrefSize(760, 520);
        stage = Dialogs.stage(owner, i18n, "volumes.browser.title", content, "volumes-browser");
        close.setOnAction(e -> stage.close());
    }

    /** A directory: its children are read the first time it is opened. */
    private final class DirectoryItem extends TreeItem<Item> {
        private boolean requested;

        DirectoryItem(Item item) {
            super(item);
            expandedProperty().addListener((obs, was, now) -> {
                if (now) {
                    load();
                }
            });
        }

        @Override
        public boolean isLeaf() {
            return false;
        }

        private void load() {
            if (requested) {
                return;
            }
            requested = true;
            vm.files(volume, getValue().path(), entries -> {
                for (FileEntry e : entries) {
                    String path = (getValue().path().endsWith("/") ? getValue().path() : getValue().path() + "/") + e.name();
                    Item child = new Item(e, path);
                    getChildren().add(e.directory() ? new DirectoryItem(child) : new TreeItem<>(child));
                }
            }, why -> {
                requested = false;
                problem.set(why);
            });
        }
    }

    private static TreeTableColumn<Item, String> column(Localization i18n, String key, double width, Function<Item, String> value) {
        TreeTableColumn<Item, String> c = new TreeTableColumn<>();
        c.textProperty().bind(i18n.text(key));
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().getValue() == null ? ""
                : value.apply(cell.getValue().getValue())));
        return c;
    }

    /** {@code rwxr-x---} from permission bits. */
    static String permissions(int mode) {
        StringBuilder s = new StringBuilder(9);
        String letters = "rwx";
        for (int i = 8; i >= 0; i--) {
            s.append((mode & (1 << i)) != 0 ? letters.charAt((8 - i) % 3) : '-');
        }
        return s.toString();
    }

    public void show() {
        stage.show();
    }
}
