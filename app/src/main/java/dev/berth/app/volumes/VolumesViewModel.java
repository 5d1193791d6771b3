package dev.berth.app.volumes;

import dev.berth.app.components.EmptyState;

/** The Volumes pane's state. Holds what the pane shows before the engine has any volumes. */
public final class VolumesViewModel {

    private final EmptyState emptyState = EmptyState.forPane("volumes");

    public String titleKey() {
        return "volumes.title";
    }

    public String subtitleKey() {
        return "volumes.subtitle";
    }

    public EmptyState emptyState() {
        return emptyState;
    }
}
