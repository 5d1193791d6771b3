package dev.berth.app.containers.details;

import dev.berth.app.i18n.Localization;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;

/**
 * The Stats tab: four live line charts over the last two minutes — CPU %, memory (MiB), network
 * received and sent (KiB/s) and block I/O read and written (KiB/s) — fed by the streamed
 * {@code /containers/{id}/stats}. Rates are the difference of two readings over the time between them.
 */
public final class StatsView {

    private final VBox root = new VBox(6);
    private final ScrollPane scroll = new ScrollPane(root);
    private final XYChart.Series<Number, Number> cpu = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> memory = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> rx = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> tx = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> read = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> write = new XYChart.Series<>();
    private final Label summary = new Label();
    private final ContainerDetailsViewModel vm;
    private final Localization i18n;

    public StatsView(ContainerDetailsViewModel vm, Localization i18n) {
        this.vm = vm;
        this.i18n = i18n;
        cpu.nameProperty().bind(i18n.text("details.stats.cpu"));
        memory.nameProperty().bind(i18n.text("details.stats.memory"));
        rx.nameProperty().bind(i18n.text("details.stats.rx"));
        tx.nameProperty().bind(i18n.text("details.stats.tx"));
        read.nameProperty().bind(i18n.text("details.stats.read"));
        write.nameProperty().bind(i18n.text("details.stats.write"));
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        grid.add(chart("details-stats-cpu", "details.stats.cpuTitle", List.of(cpu)), 0, 0);
        grid.add(chart("details-stats-memory", "details.stats.memoryTitle", List.of(memory)), 1, 0);
        grid.add(chart("details-stats-network", "details.stats.networkTitle", List.of(rx, tx)), 0, 1);
        grid.add(chart("details-stats-block", "details.stats.blockTitle", List.of(read, write)), 1, 1);
        var half = new javafx.scene.layout.ColumnConstraints();
        half.setPercentWidth(50);
        grid.getColumnConstraints().addAll(half, half);
        summary.setId("details-stats-summary");
        Label status = new Label();
        status.textProperty().bind(i18n.text(vm.statsStatusProperty()));
        root.getChildren().addAll(summary, status, grid);
        root.setPadding(new Insets(8));
        VBox.setVgrow(grid, Priority.ALWAYS);
        scroll.setFitToWidth(true);
        vm.stats().addListener((ListChangeListener<StatsPoint>) c -> redraw());
    }

    private LineChart<Number, Number> chart(String id, String titleKey, List<XYChart.Series<Number, Number>> series) {
        NumberAxis x = new NumberAxis();
        x.setForceZeroInRange(false);
        x.setTickLabelsVisible(false);
        NumberAxis y = new NumberAxis();
        y.setForceZeroInRange(true);
        LineChart<Number, Number> chart = new LineChart<>(x, y);
        chart.setId(id);
        chart.titleProperty().bind(i18n.text(titleKey));
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setPrefHeight(220);
        chart.getData().addAll(series);
        return chart;
    }

    private void redraw() {
        List<StatsPoint> points = List.copyOf(vm.stats());
        List<XYChart.Data<Number, Number>> c = new java.util.ArrayList<>();
        List<XYChart.Data<Number, Number>> m = new java.util.ArrayList<>();
        List<XYChart.Data<Number, Number>> r = new java.util.ArrayList<>();
        List<XYChart.Data<Number, Number>> t = new java.util.ArrayList<>();
        List<XYChart.Data<Number, Number>> br = new java.util.ArrayList<>();
        List<XYChart.Data<Number, Number>> bw = new java.util.ArrayList<>();
        if (points.isEmpty()) {
            for (var s : List.of(cpu, memory, rx, tx, read, write)) {
                s.getData().clear();
            }
            summary.setText("");
            return;
        }
        long t0 = points.getFirst().read().toEpochMilli();
        for (int i = 0; i < points.size(); i++) {
            StatsPoint p = points.get(i);
            double sec = (p.read().toEpochMilli() - t0) / 1000.0;
            c.add(new XYChart.Data<>(sec, p.cpuPercent()));
            m.add(new XYChart.Data<>(sec, p.memory() / 1048576.0));
            if (i > 0) {
                StatsPoint q = points.get(i - 1);
                double dt = Math.max(0.001, (p.read().toEpochMilli() - q.read().toEpochMilli()) / 1000.0);
                r.add(new XYChart.Data<>(sec, Math.max(0, p.rxBytes() - q.rxBytes()) / 1024.0 / dt));
                t.add(new XYChart.Data<>(sec, Math.max(0, p.txBytes() - q.txBytes()) / 1024.0 / dt));
                br.add(new XYChart.Data<>(sec, Math.max(0, p.blockRead() - q.blockRead()) / 1024.0 / dt));
                bw.add(new XYChart.Data<>(sec, Math.max(0, p.blockWrite() - q.blockWrite()) / 1024.0 / dt));
            }
        }
        cpu.getData().setAll(c);
        memory.getData().setAll(m);
        rx.getData().setAll(r);
        tx.getData().setAll(t);
        read.getData().setAll(br);
        write.getData().setAll(bw);
        StatsPoint last = points.getLast();
        summary.setText(i18n.get("details.stats.summary", String.format(java.util.Locale.ROOT, "%.1f", last.cpuPercent()),
                Bytes.human(last.memory()), Bytes.human(last.memoryLimit()), last.pids(),
                Bytes.human(last.rxBytes()), Bytes.human(last.txBytes()), Bytes.human(last.blockRead()), Bytes.human(last.blockWrite())));
    }

    public Node node() {
        return scroll;
    }
}
