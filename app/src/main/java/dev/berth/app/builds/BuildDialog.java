package dev.berth.app.builds;

import dev.berth.app.builds.BuildDialogModel.ArgRow;
import dev.berth.app.builds.BuildDialogModel.Field;
import dev.berth.app.builds.BuildDialogModel.Problem;
import dev.berth.app.builds.BuildDialogModel.TagRow;
import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import dev.berth.app.i18n.Text;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.util.StringConverter;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignH;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Build dialog ({@code docker build}): context folder and Dockerfile (typed or chosen),
 * tags, build arguments (the Dockerfile's ARGs filled in), target stage, no-cache and pull.
 * The form's state and checks live in {@link BuildDialogModel}; each problem shows under its
 * field as it is typed and Build stays disabled until there is none. Build closes the dialog
 * and hands the {@link BuildRequest} on; the build itself runs in the Builds pane. A Dockerfile
 * or folder dropped onto the open dialog replaces its context and Dockerfile.
 */
public final class BuildDialog {

    private final Stage stage;
    private final BuildDialogModel model;
    private final Localization i18n;
    private final Map<Field, Label> errors = Dialogs.fieldErrors(Field.class, "build-error");
    private final VBox tagRows = new VBox(6);
    private final GridPane argRows = new GridPane();
    private final Label noArgs;
    private final Button build;

    public BuildDialog(BuildDialogModel model, Localization i18n, Node owner, Consumer<BuildRequest> onBuild) {
        this.model = model;
        this.i18n = i18n;

        Label heading = Dialogs.label(i18n, "builds.dialog.heading");
        heading.getStyleClass().add("dialog-heading");
        Label intro = Dialogs.label(i18n, "builds.dialog.intro");
        intro.getStyleClass().add("muted");
        intro.setWrapText(true);

        TextField context = field("build-context", "builds.dialog.context.prompt");
        context.textProperty().bindBidirectional(model.contextDirProperty());
        Button browseContext = Dialogs.button(i18n, "builds.dialog.browse", "build-context-browse");
        browseContext.setGraphic(new FontIcon(MaterialDesignF.FOLDER_OPEN_OUTLINE));
        browseContext.setOnAction(e -> chooseContext());
        TextField dockerfile = field("build-dockerfile", "builds.dialog.dockerfile.prompt");
        dockerfile.textProperty().bindBidirectional(model.dockerfileProperty());
        Button browseFile = Dialogs.button(i18n, "builds.dialog.browse", "build-dockerfile-browse");
        browseFile.setGraphic(new FontIcon(MaterialDesignF.FILE_DOCUMENT_OUTLINE));
        browseFile.setOnAction(e -> chooseDockerfile());

        ComboBox<String> target = new ComboBox<>();
        target.setId("build-target");
        target.setMaxWidth(Double.MAX_VALUE);
        target.setConverter(new StringConverter<>() {
            @Override
            public String toString(String s) {
                return s == null || s.isEmpty() ? i18n.get("builds.dialog.target.last") : s;
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        Runnable fillTargets = () -> {
            String chosen = model.targetProperty().get();
            target.getItems().setAll(withLast(model.stages()));
            target.getSelectionModel().select(target.getItems().contains(chosen) ? chosen : "");
        };
        model.stages().addListener((ListChangeListener<String>) c -> fillTargets.run());
        fillTargets.run();
        target.valueProperty().addListener((obs, old, now) -> model.targetProperty().set(now == null ? "" : now));
        model.targetProperty().addListener((obs, old, now) -> target.getSelectionModel().select(now == null ? "" : now));

        CheckBox noCache = check("build-nocache", "builds.dialog.noCache");
        noCache.selectedProperty().bindBidirectional(model.noCacheProperty());
        CheckBox pull = check("build-pull", "builds.dialog.pull");
        pull.selectedProperty().bindBidirectional(model.pullProperty());

        GridPane general = Dialogs.formGrid(120);
        int r = 0;
        general.addRow(r++, Dialogs.label(i18n, "builds.dialog.context"), withError(row(context, browseContext), Field.CONTEXT));
        general.addRow(r++, Dialogs.label(i18n, "builds.dialog.dockerfile"), withError(row(dockerfile, browseFile), Field.DOCKERFILE));
        Button addTag = addButton("build-tags-add", "builds.dialog.tags.add", () -> addTagRow(model.addTag("")));
        Label tagsLabel = Dialogs.label(i18n, "builds.dialog.tags");
        GridPane.setValignment(tagsLabel, javafx.geometry.VPos.TOP);
        general.addRow(r++, tagsLabel, new VBox(6, tagRows, addTag, errors.get(Field.TAGS)));
        general.addRow(r++, Dialogs.label(i18n, "builds.dialog.target"), withError(target, Field.TARGET));
        general.addRow(r, new Label(), new HBox(16, noCache, pull));

        argRows.setId("build-args");
        argRows.setHgap(8);
        argRows.setVgap(6);
        noArgs = Dialogs.label(i18n, "builds.dialog.args.none");
        noArgs.getStyleClass().add("muted");
        Button addArg = addButton("build-args-add", "builds.dialog.args.add", () -> model.addBuildArg("", ""));
        model.buildArgs().addListener((ListChangeListener<ArgRow>) c -> {
            boolean structural = false;
            while (c.next()) {
                structural |= c.wasAdded() || c.wasRemoved() || c.wasPermutated();
            }
            if (structural) {
                fillArgRows();
            }
        });
        fillArgRows();
        for (TagRow t : model.tags()) {
            addTagRow(t);
        }

        Label reading = Dialogs.label(i18n, "builds.dialog.reading");
        reading.setId("build-reading");
        reading.getStyleClass().add("muted");
        reading.visibleProperty().bind(model.parsingProperty());
        reading.managedProperty().bind(reading.visibleProperty());

        VBox form = new VBox(10, heading, intro, general, Dialogs.section(i18n, "builds.dialog.section.args", "builds.dialog.args.note"),
                argRows, noArgs, addArg, errors.get(Field.BUILD_ARGS));
        ScrollPane scroll = new ScrollPane(form);
        scroll.setFitToWidth(true);
        scroll.setPrefViewportHeight(430);
        scroll.setPrefViewportWidth(660);
        scroll.getStyleClass().add("edge-to-edge");

        build = Dialogs.button(i18n, "builds.dialog.build", "build-start");
        build.getStyleClass().add("accent");
        build.setDefaultButton(true);
        build.setGraphic(new FontIcon(MaterialDesignH.HAMMER_WRENCH));
        Button cancel = Dialogs.button(i18n, "dialog.cancel", "build-cancel");
        cancel.setCancelButton(true);

        VBox content = new VBox(10, scroll, reading, Dialogs.buttonRow(new Node[0], cancel, build));
        VBox.setVgrow(scroll, Priority.ALWAYS);
        stage = Dialogs.stage(owner, i18n, "builds.dialog.title", content, "build-dialog");
        cancel.setOnAction(e -> stage.close());
        build.setOnAction(e -> {
            if (model.ready()) {
                BuildRequest request = model.request();
                stage.close();
                onBuild.accept(request);
            }
        });
        // another Dockerfile or folder dropped onto the dialog replaces the context and the Dockerfile
        content.addEventHandler(javafx.scene.input.DragEvent.DRAG_OVER, e -> {
            if (dropped(e.getDragboard()) != null) {
                e.acceptTransferModes(javafx.scene.input.TransferMode.COPY, javafx.scene.input.TransferMode.LINK);
                e.consume();
            }
        });
        content.addEventHandler(javafx.scene.input.DragEvent.DRAG_DROPPED, e -> {
            DockerfileDrop.Open open = dropped(e.getDragboard());
            if (open != null) {
                e.setDropCompleted(true);
                e.consume();
                model.prefill(open.contextDir(), open.dockerfile());
            }
        });
        model.problemsProperty().addListener((obs, old, now) -> showProblems(now));
        model.parsingProperty().addListener((obs, old, now) -> showProblems(model.problemsProperty().get()));
        i18n.languageProperty().addListener((obs, old, now) -> showProblems(model.problemsProperty().get()));
        showProblems(model.problemsProperty().get());
    }

    public void show() {
        stage.show();
    }

    /** The stage, for tests and the screenshot. */
    Stage stage() {
        return stage;
    }

    private void showProblems(List<Problem> problems) {
        for (Field f : Field.values()) {
            List<Text> texts = problems.stream().filter(p -> p.field() == f).map(Problem::text)
                    // an empty context is not an error to shout about before anything was chosen: Build is just disabled
                    .filter(t -> !t.key().equals("builds.dialog.validation.context.empty")).toList();
            Label l = errors.get(f);
            l.setText(String.join("\n", texts.stream().map(i18n::get).toList()));
            l.setVisible(!texts.isEmpty());
            l.setManaged(!texts.isEmpty());
        }
        build.setDisable(!model.ready());
    }

    private static DockerfileDrop.Open dropped(javafx.scene.input.Dragboard board) {
        return board != null && board.hasFiles() && DockerfileDrop.of(board.getFiles()) instanceof DockerfileDrop.Open o ? o : null;
    }

    // ---- choosers ---------------------------------------------------------------------------------

    private void chooseContext() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.titleProperty().bind(i18n.text("builds.dialog.context.choose"));
        Path current = existing(model.contextDirProperty().get());
        if (current != null) {
            chooser.setInitialDirectory(current.toFile());
        }
        File dir = chooser.showDialog(stage);
        if (dir != null) {
            model.contextDirProperty().set(dir.getAbsolutePath());
        }
    }

    private void chooseDockerfile() {
        FileChooser chooser = fileChooser(i18n);
        chooser.titleProperty().bind(i18n.text("builds.dialog.dockerfile.choose"));
        Path current = existing(model.contextDirProperty().get());
        if (current != null) {
            chooser.setInitialDirectory(current.toFile());
        }
        File file = chooser.showOpenDialog(stage);
        if (file == null) {
            return;
        }
        Path chosen = file.toPath().toAbsolutePath().normalize();
        Path ctx = existing(model.contextDirProperty().get());
        if (ctx != null && chosen.startsWith(ctx.toAbsolutePath().normalize())) {
            model.dockerfileProperty().set(ctx.toAbsolutePath().normalize().relativize(chosen).toString());
        } else if (ctx == null && chosen.getParent() != null) {
            // no context yet: the Dockerfile's folder, as a drop of the file would choose
            model.prefill(chosen.getParent(), chosen.getFileName().toString());
        } else {
            // outside the context: shown as typed, and the model says why it cannot be built so
            model.dockerfileProperty().set(chosen.toString());
        }
    }

    /** A chooser for Dockerfiles (by their usual names) or any file. */
    static FileChooser fileChooser(Localization i18n) {
        FileChooser chooser = new FileChooser();
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter(i18n.get("builds.dialog.file.dockerfiles"),
                        "Dockerfile", "Dockerfile.*", "*.Dockerfile", "*.dockerfile", "Containerfile", "Containerfile.*"),
                new FileChooser.ExtensionFilter(i18n.get("builds.dialog.file.all"), "*"));
        return chooser;
    }

    private static Path existing(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            Path p = Path.of(text.strip());
            return p.isAbsolute() && Files.isDirectory(p) ? p : null;
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    // ---- rows -------------------------------------------------------------------------------------

    private void addTagRow(TagRow tag) {
        TextField t = field(null, "builds.dialog.tags.prompt");
        t.getStyleClass().add("build-tag");
        t.textProperty().bindBidirectional(tag.textProperty());
        HBox.setHgrow(t, Priority.ALWAYS);
        Button remove = removeButton();
        HBox row = new HBox(8, t, remove);
        row.setAlignment(Pos.CENTER_LEFT);
        remove.setOnAction(e -> {
            tagRows.getChildren().remove(row);
            model.tags().remove(tag);
        });
        tagRows.getChildren().add(row);
    }

    private void fillArgRows() {
        argRows.getChildren().clear();
        argRows.getColumnConstraints().setAll(new ColumnConstraints(), grow(), new ColumnConstraints(), new ColumnConstraints());
        int i = 0;
        for (ArgRow arg : model.buildArgs()) {
            Node name;
            if (arg.declared()) {
                // the Dockerfile names it: shown, not edited
                Label fixed = new Label(arg.nameProperty().get());
                fixed.getStyleClass().addAll("build-arg-name", "mono");
                fixed.setMinWidth(140);
                name = fixed;
            } else {
                TextField typed = field(null, "builds.dialog.args.name");
                typed.getStyleClass().add("build-arg-name");
                typed.textProperty().bindBidirectional(arg.nameProperty());
                typed.setPrefColumnCount(12);
                name = typed;
            }
            TextField value = field(null, "builds.dialog.args.value");
            value.getStyleClass().add("build-arg-value");
            value.textProperty().bindBidirectional(arg.valueProperty());
            Node last;
            Label note = new Label();
            note.getStyleClass().add("muted");
            if (arg.declared()) {
                note.textProperty().bind(arg.declaredDefault() == null ? i18n.text("builds.dialog.args.noDefault")
                        : i18n.text("builds.dialog.args.declared", arg.declaredDefault()));
                last = new Label();
            } else {
                Button remove = removeButton();
                remove.setOnAction(e -> model.buildArgs().remove(arg));
                last = remove;
            }
            argRows.addRow(i++, name, value, note, last);
        }
        noArgs.setVisible(model.buildArgs().isEmpty());
        noArgs.setManaged(noArgs.isVisible());
    }

    private static ColumnConstraints grow() {
        ColumnConstraints c = new ColumnConstraints();
        c.setHgrow(Priority.ALWAYS);
        return c;
    }

    private static List<String> withLast(List<String> stages) {
        List<String> all = new java.util.ArrayList<>();
        all.add("");
        all.addAll(stages);
        return all;
    }

    // ---- small parts ------------------------------------------------------------------------------

    private TextField field(String id, String promptKey) {
        TextField f = new TextField();
        if (id != null) {
            f.setId(id);
        }
        f.promptTextProperty().bind(i18n.text(promptKey));
        return f;
    }

    private CheckBox check(String id, String key) {
        CheckBox c = new CheckBox();
        c.setId(id);
        c.textProperty().bind(i18n.text(key));
        return c;
    }

    private Button addButton(String id, String key, Runnable action) {
        Button b = Dialogs.button(i18n, key, id);
        b.setGraphic(new FontIcon(MaterialDesignP.PLUS));
        b.setOnAction(e -> action.run());
        return b;
    }

    private static Button removeButton() {
        Button remove = new Button();
        remove.setGraphic(new FontIcon(MaterialDesignC.CLOSE));
        remove.getStyleClass().add("run-row-remove");
        return remove;
    }

    private static HBox row(TextField input, Button browse) {
        HBox.setHgrow(input, Priority.ALWAYS);
        input.setMaxWidth(Double.MAX_VALUE);
        HBox box = new HBox(8, input, browse);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private VBox withError(Node input, Field f) {
        return new VBox(4, input, errors.get(f));
    }
}
