package dev.berth.engine.api.system;

import dev.berth.engine.system.SystemInfo;
import dev.berth.engine.system.VersionInfo;

/** What the system router needs from the engine. */
public interface SystemBackend {

    /** The engine's version and platform ({@code GET /version}). */
    VersionInfo version();

    /** Host, tools and counts ({@code GET /info}). */
    SystemInfo info();

    /** How many readers are subscribed to the event bus right now. */
    int eventListeners();
}
