package dev.berth.engine.build.dockerfile;

/**
 * Where something is in a Dockerfile: 1-based line and column (columns count UTF-16 characters,
 * a tab is one column).
 */
public record Position(String file, int line, int column) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
