package dev.berth.app.containers;

import dev.berth.app.i18n.Text;

/** A field of the Run dialog that does not parse: what is wrong, as a bundle text naming the input. */
public final class InvalidInput extends IllegalArgumentException {

    private final transient Text text;

    public InvalidInput(String key, Object... args) {
        super(key);
        this.text = Text.of(key, args);
    }

    public Text text() {
        return text;
    }
}
