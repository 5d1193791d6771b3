package dev.berth.engine.api.images;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.registry.Credentials;
import dev.berth.engine.state.Json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Docker's {@code AuthConfig}: the body of {@code POST /auth}, and (base64url-encoded JSON) the
 * {@code X-Registry-Auth} header of pull and push. Turned into {@link Credentials} here and
 * nowhere else; {@link #toString()} never shows a secret.
 *
 * @param username      user name
 * @param password      password or access token
 * @param auth          base64 of {@code username:password}, as in a docker config file
 * @param email         ignored (Docker ignores it too)
 * @param serverAddress the registry ({@code 127.0.0.1:5000}, {@code https://index.docker.io/v1/})
 * @param identityToken an OAuth refresh token; not used by Berth's registry client
 * @param registryToken a bearer token for the registry; not used by Berth's registry client
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegistryAuth(
        @JsonProperty("username") String username,
        @JsonProperty("password") String password,
        @JsonProperty("auth") String auth,
        @JsonProperty("email") String email,
        @JsonProperty("serveraddress") String serverAddress,
        @JsonProperty("identitytoken") String identityToken,
        @JsonProperty("registrytoken") String registryToken) {

    /** The header pull and push carry credentials in. */
    public static final String HEADER = "X-Registry-Auth";

    /** Docker Hub, when a login names no server. */
    public static final String DEFAULT_SERVER = "docker.io";

    private static final RegistryAuth EMPTY = new RegistryAuth(null, null, null, null, null, null, null);

    /**
     * Decodes an {@code X-Registry-Auth} value: base64url (padding optional; the standard
     * alphabet is accepted too, as Docker does) of an AuthConfig JSON object. An absent or blank
     * header, and {@code {}}, mean no credentials.
     *
     * @throws EngineException.InvalidArgument when the value is not base64 of an AuthConfig object
     */
    public static RegistryAuth decodeHeader(String header) {
        if (header == null || header.isBlank()) {
            return EMPTY;
        }
        String s = header.strip().replace('+', '-').replace('/', '_');
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new EngineException.InvalidArgument("invalid " + HEADER + " header: not base64url: " + e.getMessage());
        }
        return parse(json, HEADER + " header");
    }

    /**
     * Parses a {@code POST /auth} body.
     *
     * @throws EngineException.InvalidArgument when it is not an AuthConfig JSON object
     */
    public static RegistryAuth parseBody(byte[] body) {
        if (body.length == 0) {
            throw new EngineException.InvalidArgument("login needs a JSON body with username, password and serveraddress");
        }
        return parse(body, "login body");
    }

    private static RegistryAuth parse(byte[] json, String what) {
        String text = new String(json, StandardCharsets.UTF_8).strip();
        if (text.isEmpty() || text.equals("null")) {
            return EMPTY;
        }
        if (!text.startsWith("{")) {
            throw new EngineException.InvalidArgument("invalid " + what + ": expected a JSON object with username and password");
        }
        try {
            RegistryAuth a = Json.mapper().readValue(text, RegistryAuth.class);
            return a == null ? EMPTY : a;
        } catch (JacksonException e) {
            throw new EngineException.InvalidArgument("invalid " + what + ": " + e.getOriginalMessage());
        }
    }

    /**
     * The username and password: the explicit fields, else those in {@code auth}; empty when
     * neither gives a username.
     *
     * @throws EngineException.InvalidArgument when {@code auth} is not base64 of {@code user:password}
     */
    public Optional<Credentials> credentials() {
        if (username != null && !username.isEmpty()) {
            return Optional.of(new Credentials(username, password == null ? "" : password));
        }
        if (auth != null && !auth.isBlank()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new EngineException.InvalidArgument("invalid auth field: not base64 of username:password");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw new EngineException.InvalidArgument("invalid auth field: not base64 of username:password");
            }
            return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        return Optional.empty();
    }

    /** The registry named by {@code serveraddress}, or Docker Hub when it names none. */
    public String server() {
        return serverAddress == null || serverAddress.isBlank() ? DEFAULT_SERVER : serverAddress.strip();
    }

    @Override
    public String toString() {
        return "RegistryAuth[username=" + username + ", serveraddress=" + serverAddress + ", secrets=<redacted>]";
    }
}
