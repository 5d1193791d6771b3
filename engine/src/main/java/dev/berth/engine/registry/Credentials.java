package dev.berth.engine.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A username and password (or personal access token) for one registry. {@link #toString()}
 * never shows the password; nothing in this package writes it anywhere but {@code auth.json}
 * and the {@code Authorization} header.
 */
public record Credentials(String username, String password) {

    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** The value of an HTTP Basic {@code Authorization} header. */
    String basicHeader() {
        return "Basic " + encoded();
    }

    /** base64(user:password), the {@code auth} field of {@code auth.json}. */
    String encoded() {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=<redacted>]";
    }
}
