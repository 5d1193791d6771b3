package dev.berth.engine.build.dockerfile;

import java.util.Objects;

/** One {@code key=value} of ENV or LABEL (as written before expansion, as meant after). */
public record KeyValue(String key, String value) {
    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
