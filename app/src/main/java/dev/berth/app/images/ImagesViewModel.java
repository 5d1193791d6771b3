package dev.berth.app.images;

import dev.berth.app.components.EmptyState;

/** The Images pane's state. Holds what the pane shows before the engine has any images. */
public final class ImagesViewModel {

    private final EmptyState emptyState = EmptyState.forPane("images");

    public String titleKey() {
        return "images.title";
    }

    public String subtitleKey() {
        return "images.subtitle";
    }

    public EmptyState emptyState() {
        return emptyState;
    }
}
