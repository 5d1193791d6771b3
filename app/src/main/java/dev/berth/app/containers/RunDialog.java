package dev.berth.app.containers;

import dev.berth.app.components.Dialogs;
import dev.berth.app.containers.RunRequest.Field;
import dev.berth.app.i18n.ErrorText;
import dev.berth.app.i18n.Localization;
import dev.berth.app.i18n.Text;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.util.StringConverter;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Run dialog ({@code docker run -d}): image (the engine's images offered, any reference
 * typed), name, command, environment, memory and CPU limits, restart policy, interactive and
 * TTY, remove when stopped; then Ports, Volumes and Network. Every field is checked as it is
 * typed ({@link RunRequest#validate()}), the problem shown under it, and Run stays disabled
 * until there is none. Run creates and starts the container; an engine refusal shows here and
 * the dialog stays open.
 */
final class RunDialog {

    private final Stage stage;
    private final ContainersViewModel vm;
    private final Localization i18n;
    private final ComboBox<String> image = new ComboBox<>();
    private final TextField name;
    private final TextField command;
    private final VBox envRows = new VBox(6);
    private final TextField memory;
    private final TextField cpus;
    private final ComboBox<String> restart = new ComboBox<>();
    private final TextField retries;
    private final CheckBox interactive;
    private final CheckBox tty;
    private final CheckBox autoRemove;
    private final VBox portRows = new VBox(6);
    private final VBox volumeRows = new VBox(6);
    private final ComboBox<String> network = new ComboBox<>();
    private final Map<Field, Label> errors = Dialogs.fieldErrors(Field.class, "run-error");
    private final ReadOnlyObjectWrapper<Text> message = new ReadOnlyObjectWrapper<>();
    private final Button start;
    private final VBox form;
    private final ScrollPane scroll;
    private boolean running;
    /** The engine's verdict on the image reference as last typed (null: fine or not checked yet). */
    private Text imageProblem;
    private String imageChecked = "";

    RunDialog(ContainersViewModel vm, Localization i18n, Node owner, String initialImage, Runnable onStarted) {
        this.vm = vm;
        this.i18n = i18n;
        this.name = field("run-name", "run.name.prompt");
        this.command = field("run-command", "run.command.prompt");
        this.memory = field("run-memory", "run.memory.prompt");
        this.cpus = field("run-cpus", "run.cpus.prompt");
        this.retries = field("run-retries", "run.retries.prompt");
        this.interactive = check("run-interactive", "run.interactive");
        this.tty = check("run-tty", "run.tty");
        this.autoRemove = check("run-autoremove", "run.autoRemove");

        Label heading = Dialogs.label(i18n, "run.heading");
        heading.getStyleClass().add("dialog-heading");
        Label intro = Dialogs.label(i18n, "run.intro");
        intro.getStyleClass().add("muted");
        intro.setWrapText(true);

        image.setId("run-image");
        image.setEditable(true);
        image.setMaxWidth(Double.MAX_VALUE);
        image.promptTextProperty().bind(i18n.text("run.image.prompt"));
        image.getEditor().setText(initialImage == null ? "" : initialImage);
        vm.imageNames(names -> {
            String typed = image.getEditor().getText();
            image.getItems().setAll(names);
            image.getEditor().setText(typed);
        });

        restart.setId("run-restart");
        restart.getItems().setAll(RunRequest.RESTART_POLICIES);
        restart.getSelectionModel().select("no");
        retries.setPrefColumnCount(6);
        retries.visibleProperty().bind(restart.valueProperty().isEqualTo("on-failure"));
        retries.managedProperty().bind(retries.visibleProperty());
        network.setId("run-network");
        // "" is the engine's default network (no NetworkMode sent, as docker run without --network)
        network.getItems().setAll(withDefault(ContainersViewModel.BUILTIN_NETWORKS));
        network.getSelectionModel().selectFirst();
        network.setConverter(new StringConverter<>() {
            @Override
            public String toString(String n) {
                return n == null || n.isEmpty() ? i18n.get("run.network.default") : n;
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        vm.networks(names -> {
            String chosen = network.getValue();
            network.getItems().setAll(withDefault(names));
            network.getSelectionModel().select(network.getItems().contains(chosen) ? chosen : "");
        });

        GridPane general = Dialogs.formGrid(110);
        int r = 0;
        general.addRow(r++, Dialogs.label(i18n, "run.image"), withError(image, Field.IMAGE));
        general.addRow(r++, Dialogs.label(i18n, "run.name"), withError(name, Field.NAME));
        general.addRow(r++, Dialogs.label(i18n, "run.command"), withError(command, Field.COMMAND));
        HBox limits = new HBox(8, memory, Dialogs.label(i18n, "run.cpus"), cpus);
        limits.setAlignment(Pos.CENTER_LEFT);
        memory.setPrefColumnCount(8);
        cpus.setPrefColumnCount(6);
        VBox limitsBox = new VBox(4, limits, errors.get(Field.MEMORY), errors.get(Field.CPUS));
        general.addRow(r++, Dialogs.label(i18n, "run.memory"), limitsBox);
        HBox restartBox = new HBox(8, restart, retries);
        restartBox.setAlignment(Pos.CENTER_LEFT);
        general.addRow(r++, Dialogs.label(i18n, "run.restart"), withError(restartBox, Field.RESTART));
        HBox options = new HBox(16, interactive, tty, autoRemove);
        general.addRow(r, new Label(), options);

        Button addEnv = addButton("run-env-add", "run.env.add", () -> addEnvRow("", ""));
        Button addPort = addButton("run-ports-add", "run.ports.add", () -> addPortRow(""));
        Button addVolume = addButton("run-volumes-add", "run.volumes.add", () -> addVolumeRow("", "", false));

        form = new VBox(10,
                heading, intro, general,
                Dialogs.section(i18n, "run.section.env", "run.env.note"), envRows, addEnv, errors.get(Field.ENV),
                Dialogs.section(i18n, "run.section.ports", "run.ports.note"), portRows, addPort, errors.get(Field.PORTS),
                Dialogs.section(i18n, "run.section.volumes", "run.volumes.note"), volumeRows, addVolume, errors.get(Field.VOLUMES),
                Dialogs.section(i18n, "run.section.network", "run.network.note"), network, errors.get(Field.NETWORK));
        scroll = new ScrollPane(form);
        scroll.setFitToWidth(true);
        scroll.setPrefViewportHeight(720);
        scroll.setPrefViewportWidth(640);
        scroll.getStyleClass().add("edge-to-edge");

        Label result = new Label();
        result.setId("run-message");
        result.setWrapText(true);
        result.getStyleClass().add("field-error");
        result.textProperty().bind(i18n.text(message.getReadOnlyProperty()));
        result.visibleProperty().bind(message.isNotNull());
        result.managedProperty().bind(result.visibleProperty());
        result.setMaxWidth(Double.MAX_VALUE);
        result.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);

        start = Dialogs.button(i18n, "run.start", "run-start");
        start.getStyleClass().add("accent");
        start.setDefaultButton(true);
        start.setGraphic(new FontIcon(MaterialDesignP.PLAY));
        Button cancel = Dialogs.button(i18n, "dialog.cancel", "run-cancel");
        cancel.setCancelButton(true);

        VBox content = new VBox(10, scroll, result, Dialogs.buttonRow(new Node[0], cancel, start));
        VBox.setVgrow(scroll, Priority.ALWAYS);
        stage = Dialogs.stage(owner, i18n, "run.title", content, "run-dialog");
        cancel.setOnAction(e -> stage.close());
        start.setOnAction(e -> submit(onStarted));

        for (var input : List.of(name.textProperty(), command.textProperty(), memory.textProperty(), cpus.textProperty(),
                retries.textProperty(), image.getEditor().textProperty())) {
            input.addListener((obs, old, now) -> revalidate());
        }
        image.getEditor().textProperty().addListener((obs, old, now) -> checkImage(now));
        checkImage(image.getEditor().getText());
        restart.valueProperty().addListener((obs, old, now) -> revalidate());
        network.valueProperty().addListener((obs, old, now) -> revalidate());
        autoRemove.selectedProperty().addListener((obs, old, now) -> revalidate());
        i18n.languageProperty().addListener((obs, old, now) -> revalidate());
        revalidate();
    }

    void show() {
        stage.show();
        image.getEditor().requestFocus();
    }

    /** The dialog's fields as a request. */
    RunRequest request() {
        List<RunRequest.EnvVar> env = new ArrayList<>();
        for (Node n : envRows.getChildren()) {
            TextField[] f = textFields(n);
            env.add(new RunRequest.EnvVar(f[0].getText(), f[1].getText()));
        }
        List<String> ports = new ArrayList<>();
        for (Node n : portRows.getChildren()) {
            ports.add(textFields(n)[0].getText());
        }
        List<RunRequest.VolumeRow> volumes = new ArrayList<>();
        for (Node n : volumeRows.getChildren()) {
            TextField[] f = textFields(n);
            CheckBox ro = (CheckBox) ((HBox) n).getChildren().stream().filter(c -> c instanceof CheckBox).findFirst().orElseThrow();
            volumes.add(new RunRequest.VolumeRow(f[0].getText(), f[1].getText(), ro.isSelected()));
        }
        return new RunRequest(image.getEditor().getText(), name.getText(), command.getText(), env, memory.getText(), cpus.getText(),
                restart.getValue(), retries.isVisible() ? retries.getText() : "", interactive.isSelected(), tty.isSelected(),
                autoRemove.isSelected(), ports, volumes, network.getValue());
    }

    private static List<String> withDefault(List<String> names) {
        List<String> all = new ArrayList<>();
        all.add("");
        all.addAll(names);
        return all;
    }

    private static TextField[] textFields(Node row) {
        return ((HBox) row).getChildren().stream().filter(c -> c instanceof TextField).toArray(TextField[]::new);
    }

    private void checkImage(String typed) {
        imageChecked = typed;
        imageProblem = null;
        revalidate();
        vm.checkImage(typed, problem -> {
            if (typed.equals(imageChecked)) { // a later keystroke has its own check under way
                imageProblem = problem;
                revalidate();
            }
        });
    }

    private void revalidate() {
        List<RunRequest.Problem> problems = new ArrayList<>(request().validate());
        if (imageProblem != null && problems.stream().noneMatch(p -> p.field() == Field.IMAGE)) {
            problems.addFirst(new RunRequest.Problem(Field.IMAGE, imageProblem));
        }
        for (Field f : Field.values()) {
            Label l = errors.get(f);
            Text t = problems.stream().filter(p -> p.field() == f).map(RunRequest.Problem::text).findFirst().orElse(null);
            // an empty image is not an error to shout about before anything was typed: Run is just disabled
            boolean show = t != null && !(f == Field.IMAGE && t.key().equals("run.validation.image.empty"));
            l.setText(t == null ? "" : i18n.get(t));
            l.setVisible(show);
            l.setManaged(show);
        }
        start.setDisable(running || !problems.isEmpty());
    }

    private void submit(Runnable onStarted) {
        RunRequest request = request();
        if (!request.validate().isEmpty()) {
            return;
        }
        running = true;
        message.set(null);
        revalidate();
        vm.run(request, id -> {
            running = false;
            stage.close();
            if (onStarted != null) {
                onStarted.run();
            }
        }, failure -> {
            running = false;
            message.set(ErrorText.of(failure));
            revalidate();
        });
    }

    // ---- rows -------------------------------------------------------------------------------------

    private void addEnvRow(String key, String value) {
        TextField k = field(null, "run.env.key");
        k.getStyleClass().add("run-env-key");
        k.setText(key);
        TextField v = field(null, "run.env.value");
        v.getStyleClass().add("run-env-value");
        v.setText(value);
        HBox.setHgrow(v, Priority.ALWAYS);
        addRow(envRows, k, v);
    }

    private void addPortRow(String spec) {
        TextField p = field(null, "run.ports.prompt");
        p.getStyleClass().add("run-port");
        p.setText(spec);
        HBox.setHgrow(p, Priority.ALWAYS);
        addRow(portRows, p);
    }

    private void addVolumeRow(String source, String target, boolean readOnly) {
        TextField s = field(null, "run.volumes.source");
        s.getStyleClass().add("run-volume-source");
        s.setText(source);
        TextField t = field(null, "run.volumes.target");
        t.getStyleClass().add("run-volume-target");
        t.setText(target);
        CheckBox ro = check(null, "run.volumes.readOnly");
        ro.getStyleClass().add("run-volume-readonly");
        ro.setSelected(readOnly);
        ro.selectedProperty().addListener((obs, old, now) -> revalidate());
        HBox.setHgrow(s, Priority.ALWAYS);
        HBox.setHgrow(t, Priority.ALWAYS);
        addRow(volumeRows, s, t, ro);
    }

    private void addRow(VBox rows, Node... inputs) {
        Button remove = new Button();
        remove.setGraphic(new FontIcon(MaterialDesignC.CLOSE));
        remove.getStyleClass().add("run-row-remove");
        HBox row = new HBox(8, inputs);
        row.getChildren().add(remove);
        row.setAlignment(Pos.CENTER_LEFT);
        remove.setOnAction(e -> {
            rows.getChildren().remove(row);
            revalidate();
        });
        for (Node n : inputs) {
            if (n instanceof TextField f) {
                f.textProperty().addListener((obs, old, now) -> revalidate());
            }
        }
        rows.getChildren().add(row);
        revalidate();
        inputs[0].requestFocus();
        reveal(row);
    }

    /** Scrolls the form so that {@code node} (just added, below the fold) is in sight. */
    private void reveal(Node node) {
        if (scroll == null || form.getScene() == null) {
            return;
        }
        form.applyCss();
        form.layout();
        double contentHeight = form.getLayoutBounds().getHeight();
        double viewport = scroll.getViewportBounds().getHeight();
        if (contentHeight <= viewport) {
            return;
        }
        double bottom = form.sceneToLocal(node.localToScene(node.getLayoutBounds())).getMaxY();
        double top = scroll.getVvalue() * (contentHeight - viewport);
        if (bottom > top + viewport) {
            scroll.setVvalue(Math.min(1, (bottom - viewport + 40) / (contentHeight - viewport)));
        }
    }

    // ---- small builders ---------------------------------------------------------------------------

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
        if (id != null) {
            c.setId(id);
        }
        c.textProperty().bind(i18n.text(key));
        return c;
    }

    private Button addButton(String id, String key, Runnable action) {
        Button b = Dialogs.button(i18n, key, id);
        b.setGraphic(new FontIcon(org.kordamp.ikonli.materialdesign2.MaterialDesignP.PLUS));
        b.setOnAction(e -> action.run());
        return b;
    }

    private VBox withError(Node input, Field f) {
        VBox box = new VBox(4, input, errors.get(f));
        if (input instanceof TextField t) {
            t.setMaxWidth(Double.MAX_VALUE);
        }
        return box;
    }

    /** The stage, for tests. */
    Stage stage() {
        return stage;
    }
}
