package dev.berth.app.containers;

import dev.berth.app.components.EmptyState;

/** The Containers pane's state. Holds what the pane shows before the engine has any containers. */
public final class ContainersViewModel {

    private final EmptyState emptyState = EmptyState.forPane("containers");

    public String titleKey() {
        return "containers.title";
    }

    public String subtitleKey() {
        return "containers.subtitle";
    }

    public EmptyState emptyState() {
        return emptyState;
    }
}
