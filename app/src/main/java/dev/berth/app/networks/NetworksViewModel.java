package dev.berth.app.networks;

import dev.berth.app.components.EmptyState;

/** The Networks pane's state. Holds what the pane shows before the engine has any networks. */
public final class NetworksViewModel {

    private final EmptyState emptyState = EmptyState.forPane("networks");

    public String titleKey() {
        return "networks.title";
    }

    public String subtitleKey() {
        return "networks.subtitle";
    }

    public EmptyState emptyState() {
        return emptyState;
    }
}
