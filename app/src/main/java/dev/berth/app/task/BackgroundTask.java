package dev.berth.app.task;

import dev.berth.app.i18n.Text;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;

/**
 * A piece of background work as the status bar shows it.
 *
 * @param progress done so far from 0 to 1, or negative while unknown; changes on the UI thread
 */
public record BackgroundTask(long id, Text title, DoubleProperty progress) {

    public BackgroundTask(long id, Text title) {
        this(id, title, new SimpleDoubleProperty(-1));
    }
}
