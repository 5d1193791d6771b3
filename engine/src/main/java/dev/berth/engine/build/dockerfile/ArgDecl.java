package dev.berth.engine.build.dockerfile;

import java.util.Objects;

/** One name of an ARG instruction and its default value, or null when it has none ({@code ARG NAME}). */
public record ArgDecl(String name, String defaultValue) {
    public ArgDecl {
        Objects.requireNonNull(name, "name");
    }

    public boolean hasDefault() {
        return defaultValue != null;
    }
}
