package dev.berth.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.state.AtomicFiles;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Logins in the docker-compatible {@code auth.json} format
 * ({@code {"auths":{"host":{"auth":"base64(user:pass)"}}}}), so a file written by
 * {@code docker login} or {@code podman login} works here and the other way round. Keys may be
 * written as {@code host}, {@code host:port} or a URL ({@code https://index.docker.io/v1/});
 * all Docker Hub spellings mean {@code docker.io}. Other fields of the file are kept. Credential
 * helpers ({@code credsStore}) and identity tokens are not supported.
 *
 * <p>The file is written atomically with mode 0600. Passwords never appear in messages.
 */
public final class CredentialStore {

    private final Path file;

    public CredentialStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    /** The login for {@code registry} ({@code host[:port]}), if any. */
    public synchronized Optional<Credentials> get(String registry) {
        String key = normalizeKey(registry);
        ObjectNode root = read();
        JsonNode auths = root.path("auths");
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (normalizeKey(e.getKey()).equals(key)) {
                return decode(e.getKey(), e.getValue());
            }
        }
        return Optional.empty();
    }

    /** Stores (replaces) the login for {@code registry}. */
    public synchronized void store(String registry, Credentials credentials) {
        String key = normalizeKey(registry);
        ObjectNode root = read();
        ObjectNode auths = root.has("auths") && root.get("auths").isObject()
                ? (ObjectNode) root.get("auths") : root.putObject("auths");
        removeKey(auths, key);
        auths.putObject(key).put("auth", credentials.encoded());
        write(root);
    }

    /** Forgets the login for {@code registry}; false when there was none. */
    public synchronized boolean remove(String registry) {
        String key = normalizeKey(registry);
        ObjectNode root = read();
        if (!(root.get("auths") instanceof ObjectNode auths) || !removeKey(auths, key)) {
            return false;
        }
        write(root);
        return true;
    }

    private static boolean removeKey(ObjectNode auths, String key) {
        boolean removed = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.properties().iterator(); it.hasNext(); ) {
            if (normalizeKey(it.next().getKey()).equals(key)) {
                it.remove();
                removed = true;
            }
        }
        return removed;
    }

    private Optional<Credentials> decode(String key, JsonNode entry) {
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String plain;
            try {
                plain = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new EngineException.InvalidArgument("the login for " + key + " in " + file
                        + " is not valid base64; log in again");
            }
            int colon = plain.indexOf(':');
            if (colon < 0) {
                throw new EngineException.InvalidArgument("the login for " + key + " in " + file
                        + " is not user:password; log in again");
            }
            return Optional.of(new Credentials(plain.substring(0, colon), plain.substring(colon + 1)));
        }
        String user = entry.path("username").asText("");
        String pass = entry.path("password").asText("");
        if (!user.isEmpty() && !pass.isEmpty()) {
            return Optional.of(new Credentials(user, pass));
        }
        return Optional.empty();
    }

    private ObjectNode read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Json.mapper().createObjectNode();
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            return Json.mapper().createObjectNode();
        }
        try {
            JsonNode tree = Json.mapper().readTree(bytes);
            if (tree instanceof ObjectNode o) {
                return o;
            }
        } catch (IOException e) {
            // fall through: never echo the file's content, it holds secrets
        }
        throw new EngineException.InvalidArgument(file + " is not a valid auth.json (expected a JSON object with \"auths\")");
    }

    private void write(ObjectNode root) {
        try {
            AtomicFiles.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root),
                    PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code https://index.docker.io/v1/} → {@code docker.io}; {@code http://h:5000/v2} → {@code h:5000}. */
    static String normalizeKey(String key) {
        String k = key.strip();
        if (k.contains("://")) {
            URI u = URI.create(k);
            k = u.getRawAuthority() == null ? k : u.getRawAuthority();
        } else {
            int slash = k.indexOf('/');
            if (slash >= 0) {
                k = k.substring(0, slash);
            }
        }
        return RegistryRepository.canonicalRegistry(k);
    }

    @Override
    public String toString() {
        return "CredentialStore[" + file + "]";
    }
}
