package dev.berth.app.shell;

/** The destinations of the navigation. */
public enum Page {
    CONTAINERS("containers"),
    IMAGES("images"),
    VOLUMES("volumes"),
    NETWORKS("networks"),
    BUILDS("builds"),
    EVENTS("events"),
    SETTINGS("settings");

    private final String id;

    Page(String id) {
        this.id = id;
    }

    /** Used in node ids ({@code nav-images}) and bundle keys ({@code nav.images}). */
    public String id() {
        return id;
    }

    public String navKey() {
        return "nav." + id;
    }
}
