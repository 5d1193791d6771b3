package dev.berth.app.containers.details;

import com.techsenger.jeditermfx.ui.JediTermFxWidget;
import com.techsenger.jeditermfx.ui.settings.DefaultSettingsProvider;
import dev.berth.app.i18n.ErrorText;
import dev.berth.app.i18n.Localization;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.UiExecutor;
import com.techsenger.jeditermfx.core.util.TermSize;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.layout.StackPane;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;

import java.util.List;

/**
 * A Terminal tab: JediTermFX on a TTY in the container. An exec tab runs {@code /bin/bash} when
 * the image has it, else {@code /bin/sh}, through {@code POST /containers/{id}/exec} and a hijacked
 * {@code /exec/{id}/start}; an attach tab joins the container's own TTY (a container run with
 * {@code -it}) through a hijacked {@code /containers/{id}/attach}. The terminal's size follows the
 * tab and is sent to the engine. When the shell ends a message over the terminal says whether the
 * container stopped or only the shell exited.
 */
public final class TerminalTab {

    private final DetailsClient client;
    private final UiExecutor ui;
    private final String containerId;
    private final boolean attach;
    private final Tab tab = new Tab();
    private final JediTermFxWidget widget = new JediTermFxWidget(80, 24, new DefaultSettingsProvider());
    private final Label message = new Label();
    private final ObjectProperty<Text> state = new SimpleObjectProperty<>(this, "state", Text.of("details.terminal.connecting"));
    private volatile HijackedTtyConnector connector;
    private volatile String execId;
    private volatile boolean closed;

    public TerminalTab(DetailsClient client, UiExecutor ui, Localization i18n, String containerId, String containerName,
                       int number, boolean attach) {
        this.client = client;
        this.ui = ui;
        this.containerId = containerId;
        this.attach = attach;
        tab.textProperty().bind(i18n.text(attach ? "details.terminal.attachTab" : "details.terminal.tab", number));
        tab.setGraphic(new FontIcon(MaterialDesignC.CONSOLE));
        tab.setId(attach ? "details-attach-tab" : "details-terminal-tab-" + number);
        tab.setClosable(true);
        message.setId("details-terminal-message");
        message.textProperty().bind(i18n.text(state));
        message.setWrapText(true);
        message.setStyle("-fx-background-color: rgba(30,30,30,0.85); -fx-text-fill: white; -fx-padding: 10 14;"
                + " -fx-background-radius: 6; -fx-font-size: 13px;");
        StackPane.setAlignment(message, Pos.TOP_CENTER);
        StackPane pane = new StackPane(widget.getPane(), message);
        pane.setId("details-terminal-pane");
        tab.setContent(pane);
        tab.setOnClosed(e -> close());
        connect();
    }

    /**
     * Starts the session once the terminal has its real size, so the TTY starts with it: a resize
     * racing the shell's first prompt is avoided (see the report on the engine's hijacked input).
     */
    private void connect() {
        javafx.scene.layout.Pane pane = widget.getPane();
        if (pane.getWidth() > 0 && pane.getHeight() > 0) {
            connect(widget.getTerminalPanel().getTerminalSizeFromComponent());
            return;
        }
        javafx.beans.value.ChangeListener<Number> once = new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends Number> o, Number a, Number b) {
                if (pane.getWidth() > 0 && pane.getHeight() > 0) {
                    pane.widthProperty().removeListener(this);
                    pane.heightProperty().removeListener(this);
                    connect(widget.getTerminalPanel().getTerminalSizeFromComponent());
                }
            }
        };
        pane.widthProperty().addListener(once);
        pane.heightProperty().addListener(once);
    }

    private void connect(TermSize measured) {
        TermSize size = measured == null || measured.getRows() <= 0 || measured.getColumns() <= 0
                ? new TermSize(80, 24) : measured;
        ui.submit(Text.of("details.terminal.connecting"), () -> {
            if (attach) {
                HijackedStream s = client.attach(containerId);
                client.containerResize(containerId, size.getRows(), size.getColumns());
                return s;
            }
            String shell = client.shell(containerId);
            String id = client.execCreate(containerId, List.of(shell), true, true);
            execId = id;
            return client.execStart(id, size.getRows(), size.getColumns());
        }, stream -> {
            if (closed) {
                stream.close();
                return;
            }
            HijackedTtyConnector c = new HijackedTtyConnector(stream, containerId, size, (rows, cols) -> {
                if (attach) {
                    client.containerResize(containerId, rows, cols);
                } else {
                    client.execResize(execId, rows, cols);
                }
            }, this::ended);
            connector = c;
            widget.setTtyConnector(c);
            widget.start();
            message.setVisible(false);
            state.set(Text.of("details.terminal.connected"));
            widget.getPreferredFocusableNode().requestFocus();
        }, e -> {
            state.set(ErrorText.of(e));
            message.setVisible(true);
        });
    }

    /** The shell's output ended: tell whether the container stopped or just the shell exited. */
    private void ended() {
        if (closed) {
            return;
        }
        ui.submit(Text.of("details.terminal.checking"), () -> {
            // a shell killed with its container ends a moment before the engine has recorded the exit
            for (int i = 0; i < 15; i++) {
                if (!client.running(containerId)) {
                    return false;
                }
                Thread.sleep(200);
            }
            return true;
        }, running -> {
            state.set(Text.of(running ? "details.terminal.exited" : "details.terminal.stopped"));
            message.setVisible(true);
        }, e -> {
            state.set(Text.of("details.terminal.stopped"));
            message.setVisible(true);
        });
    }

    public Tab tab() {
        return tab;
    }

    public JediTermFxWidget widget() {
        return widget;
    }

    /** What the terminal shows now (its screen lines), for tests and the screenshot. */
    public String screenText() {
        var buffer = widget.getTerminalTextBuffer();
        buffer.lock();
        try {
            StringBuilder all = new StringBuilder();
            for (int i = -buffer.getHistoryLinesCount(); i < buffer.getScreenLinesCount(); i++) {
                all.append(buffer.getLine(i).getText()).append('\n');
            }
            return all.toString();
        } finally {
            buffer.unlock();
        }
    }

    /** The connector once connected, else null. */
    public HijackedTtyConnector connector() {
        return connector;
    }

    public ObjectProperty<Text> stateProperty() {
        return state;
    }

    /** Ends the session: closes the connection (the shell gets a hangup) and the widget. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        HijackedTtyConnector c = connector;
        if (c != null) {
            c.close();
        }
        try {
            widget.close();
        } catch (RuntimeException ignored) {
            // already stopped
        }
    }
}
