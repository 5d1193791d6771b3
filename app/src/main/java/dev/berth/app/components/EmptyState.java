package dev.berth.app.components;

/**
 * What a pane says when it has nothing to show: bundle keys of a title, one or two sentences
 * on what will appear there and how to get something there, and a command to try.
 */
public record EmptyState(String titleKey, String bodyKey, String hintKey) {

    /** The keys {@code <pane>.empty.title}, {@code <pane>.empty.body}, {@code <pane>.empty.hint}. */
    public static EmptyState forPane(String pane) {
        return new EmptyState(pane + ".empty.title", pane + ".empty.body", pane + ".empty.hint");
    }
}
