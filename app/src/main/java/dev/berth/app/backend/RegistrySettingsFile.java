package dev.berth.app.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.state.AtomicFiles;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code registry-mirrors} and {@code insecure-registries} keys of an embedded engine's
 * {@code <root>/config.json} (the names of Docker's daemon.json). Other keys in the file are kept
 * as they are. Entries are checked before anything is written; the write is atomic.
 */
public final class RegistrySettingsFile {

    public static final String MIRRORS = "registry-mirrors";
    public static final String INSECURE = "insecure-registries";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HOST_PORT = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::\\d{1,5})?");
    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    private final Path file;

    public RegistrySettingsFile(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public RegistrySettings read() {
        ObjectNode root = readRoot();
        return new RegistrySettings(strings(root.path(MIRRORS)), strings(root.path(INSECURE)), true, file.toString());
    }

    /** Checks both lists, then writes them (trimmed, duplicates dropped), keeping other keys. */
    public RegistrySettings write(List<String> mirrors, List<String> insecure) {
        List<String> m = clean(mirrors);
        List<String> i = clean(insecure);
        m.forEach(RegistrySettingsFile::checkMirror);
        i.forEach(RegistrySettingsFile::checkInsecure);
        ObjectNode root = readRoot();
        ArrayNode ma = root.putArray(MIRRORS);
        m.forEach(ma::add);
        ArrayNode ia = root.putArray(INSECURE);
        i.forEach(ia::add);
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot write " + file + ": " + e.getMessage(), e);
        }
        return read();
    }

    /** A mirror is an http(s) URL with a host and nothing after the path. */
    public static void checkMirror(String mirror) {
        try {
            URI u = new URI(mirror);
            if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null
                    || u.getQuery() != null || u.getFragment() != null) {
                throw new URISyntaxException(mirror, "expected http:// or https:// and a host");
            }
        } catch (URISyntaxException e) {
            throw new EngineException.InvalidArgument("invalid mirror \"" + mirror + "\": " + e.getReason()
                    + " (e.g. https://mirror.example.com)");
        }
    }

    /** An insecure registry is {@code host}, {@code host:port} or an IPv4 CIDR like {@code 10.0.0.0/8}. */
    public static void checkInsecure(String entry) {
        var cidr = CIDR.matcher(entry);
        if (cidr.matches()) {
            for (int g = 1; g <= 4; g++) {
                if (Integer.parseInt(cidr.group(g)) > 255) {
                    throw new EngineException.InvalidArgument("invalid insecure registry \"" + entry + "\": " + cidr.group(g) + " is not an address byte");
                }
            }
            if (Integer.parseInt(cidr.group(5)) > 32) {
                throw new EngineException.InvalidArgument("invalid insecure registry \"" + entry + "\": prefix longer than 32");
            }
            return;
        }
        if (entry.contains("://") || !HOST_PORT.matcher(entry).matches()) {
            throw new EngineException.InvalidArgument("invalid insecure registry \"" + entry
                    + "\": expected host, host:port or a CIDR such as 10.0.0.0/8, without http://");
        }
        int colon = entry.lastIndexOf(':');
        if (colon > 0 && !entry.endsWith("]") && Integer.parseInt(entry.substring(colon + 1)) > 65535) {
            throw new EngineException.InvalidArgument("invalid insecure registry \"" + entry + "\": port above 65535");
        }
    }

    private static List<String> clean(List<String> entries) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String e : entries == null ? List.<String>of() : entries) {
            if (e != null && !e.isBlank()) {
                out.add(e.strip());
            }
        }
        return new ArrayList<>(out);
    }

    private ObjectNode readRoot() {
        if (!Files.isRegularFile(file)) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || n.isMissingNode()) {
                return JSON.createObjectNode();
            }
            if (!n.isObject()) {
                throw new EngineException.InvalidArgument(file + " is not a JSON object");
            }
            return (ObjectNode) n;
        } catch (IOException e) {
            throw new EngineException.InvalidArgument("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
