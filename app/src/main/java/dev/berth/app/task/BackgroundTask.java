package dev.berth.app.task;

import dev.berth.app.i18n.Text;

/** A piece of background work as the status bar shows it. */
public record BackgroundTask(long id, Text title) {}
