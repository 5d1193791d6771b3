package dev.berth.app.builds;

import dev.berth.app.components.EmptyState;

/** The Builds pane's state. Holds what the pane shows before the engine has any builds. */
public final class BuildsViewModel {

    private final EmptyState emptyState = EmptyState.forPane("builds");

    public String titleKey() {
        return "builds.title";
    }

    public String subtitleKey() {
        return "builds.subtitle";
    }

    public EmptyState emptyState() {
        return emptyState;
    }
}
