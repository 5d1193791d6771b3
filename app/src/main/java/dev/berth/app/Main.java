package dev.berth.app;

/** Entry point of the desktop app (a plain class, so JavaFX can run from the class path). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        throw new UnsupportedOperationException("the app shell lands with the foundation work");
    }
}
