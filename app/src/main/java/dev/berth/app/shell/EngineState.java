package dev.berth.app.shell;

import dev.berth.app.backend.Connection;
import dev.berth.app.i18n.Text;

/** Where the app's engine is in its life, as the status bar shows it. */
public sealed interface EngineState {

    /** Looking for an engine or starting the embedded one. */
    record Starting() implements EngineState {}

    /** An engine answers. */
    record Ready(Connection connection) implements EngineState {}

    /** No engine: the reason in plain words. */
    record Unavailable(Text reason) implements EngineState {}
}
