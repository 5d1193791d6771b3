package dev.berth.app.builds;

import dev.berth.app.builds.DockerfileDrop.Open;
import dev.berth.app.i18n.Localization;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignH;

import java.io.File;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Makes a node (the main window's root) a drop target for Dockerfiles: while a drag carries
 * files that {@link DockerfileDrop} would build, the drop is accepted (as a copy: the dragged
 * files are only read) and an overlay says "Drop to build"; any other drag is left alone and
 * shows nothing. A drop hands the {@link Open} outcome to {@code onDrop}.
 */
public final class DockerfileDropTarget {

    private final VBox overlay;
    private List<File> lastFiles;
    private DockerfileDrop.Outcome lastOutcome;

    /**
     * Installs the handlers on {@code target} and adds the overlay on top of its children.
     *
     * @param onDrop what a drop opens (the Build dialog, pre-filled)
     */
    public DockerfileDropTarget(StackPane target, Localization i18n, Consumer<Open> onDrop) {
        FontIcon icon = new FontIcon(MaterialDesignH.HAMMER_WRENCH);
        icon.getStyleClass().add("drop-overlay-icon");
        Label title = new Label();
        title.textProperty().bind(i18n.text("builds.drop.overlay.title"));
        title.getStyleClass().add("drop-overlay-title");
        title.setId("drop-overlay-title");
        Label body = new Label();
        body.textProperty().bind(i18n.text("builds.drop.overlay.body"));
        body.getStyleClass().add("drop-overlay-body");
        overlay = new VBox(12, icon, title, body);
        overlay.setAlignment(Pos.CENTER);
        overlay.setId("drop-overlay");
        overlay.getStyleClass().add("drop-overlay");
        overlay.setMouseTransparent(true);
        overlay.setVisible(false);
        target.getChildren().add(overlay);

        target.addEventHandler(DragEvent.DRAG_OVER, e -> {
            if (cachedOutcome(e.getDragboard()) instanceof Open) {
                e.acceptTransferModes(TransferMode.COPY, TransferMode.LINK);
                overlay.setVisible(true);
                e.consume();
            } else {
                overlay.setVisible(false);
            }
        });
        target.addEventHandler(DragEvent.DRAG_EXITED, e -> {
            overlay.setVisible(false);
            lastOutcome = null; // the next drag (perhaps the same files, changed meanwhile) is checked again
        });
        target.addEventHandler(DragEvent.DRAG_DROPPED, e -> {
            overlay.setVisible(false);
            lastOutcome = null;
            if (outcome(e.getDragboard()) instanceof Open open) {
                e.setDropCompleted(true);
                e.consume();
                onDrop.accept(open);
            }
        });
    }

    private static DockerfileDrop.Outcome outcome(Dragboard board) {
        return DockerfileDrop.of(files(board));
    }

    private static List<File> files(Dragboard board) {
        return board != null && board.hasFiles() ? board.getFiles() : null;
    }

    /**
     * The outcome for the files being dragged, checked once per drag rather than at every DRAG_OVER
     * (many a second, on the UI thread, and the checks touch the file system); a drop checks again.
     */
    private DockerfileDrop.Outcome cachedOutcome(Dragboard board) {
        List<File> files = files(board);
        if (lastOutcome == null || !Objects.equals(files, lastFiles)) {
            lastFiles = files == null ? null : List.copyOf(files);
            lastOutcome = DockerfileDrop.of(files);
        }
        return lastOutcome;
    }

    /** The overlay, shown while an acceptable drag is over the window. */
    public Node overlay() {
        return overlay;
    }
}
