package dev.berth.engine.image.archive;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.ImageConfig;
import dev.berth.engine.state.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Dockerfile instructions {@code docker import --change} and {@code docker commit --change}
 * accept (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR), applied
 * to an image's run configuration. CMD, ENTRYPOINT and VOLUME take the JSON form
 * ({@code ["sh", "-c"]}) or the shell form; ENV and LABEL take {@code key=value} pairs (quotes
 * allowed) or the old {@code KEY value} form.
 */
final class ChangeCommands {

    private ChangeCommands() {}

    /** The instructions a change may use, as Docker lists them. */
    static final List<String> ALLOWED = List.of("CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD",
            "STOPSIGNAL", "USER", "VOLUME", "WORKDIR");

    /**
     * Applies {@code changes} in order to {@code base} (may be null).
     *
     * @throws EngineException.InvalidArgument naming the change that is not one of {@link #ALLOWED} or is malformed
     */
    static ImageConfig.Config apply(ImageConfig.Config base, List<String> changes) {
        Builder b = new Builder(base);
        for (String change : changes) {
            String line = change.strip();
            if (line.isEmpty()) {
                continue;
            }
            int space = firstWhitespace(line);
            String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            String rest = space < 0 ? "" : line.substring(space).strip();
            if (!ALLOWED.contains(keyword)) {
                throw new EngineException.InvalidArgument(keyword + " is not a valid change command (allowed: "
                        + String.join(", ", ALLOWED) + ")");
            }
            if (rest.isEmpty()) {
                throw new EngineException.InvalidArgument(keyword + " requires at least one argument, in change \"" + change + "\"");
            }
            switch (keyword) {
                case "CMD" -> b.cmd = commandForm(rest, change);
                case "ENTRYPOINT" -> b.entrypoint = commandForm(rest, change);
                case "ENV" -> pairs(rest, change).forEach(b::env);
                case "EXPOSE" -> {
                    for (String port : words(rest, change)) {
                        b.exposedPorts.put(port(port, change), Map.of());
                    }
                }
                case "LABEL" -> b.labels.putAll(pairs(rest, change));
                case "ONBUILD" -> b.onBuild.add(rest);
                case "STOPSIGNAL" -> b.stopSignal = rest;
                case "USER" -> b.user = rest;
                case "VOLUME" -> {
                    List<String> vols = rest.startsWith("[") ? jsonArray(rest, change) : words(rest, change);
                    for (String v : vols) {
                        if (v.isBlank()) {
                            throw new EngineException.InvalidArgument("VOLUME names an empty path, in change \"" + change + "\"");
                        }
                        b.volumes.put(v, Map.of());
                    }
                }
                case "WORKDIR" -> {
                    String dir = rest;
                    if (!dir.startsWith("/")) {
                        String current = b.workingDir == null || b.workingDir.isEmpty() ? "/" : b.workingDir;
                        dir = current.endsWith("/") ? current + dir : current + "/" + dir;
                    }
                    b.workingDir = dir;
                }
                default -> throw new IllegalStateException(keyword);
            }
        }
        return b.build();
    }

    private static int firstWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** JSON form when it parses as an array of strings, else {@code /bin/sh -c REST} as Docker does. */
    private static List<String> commandForm(String rest, String change) {
        if (rest.startsWith("[")) {
            try {
                return Json.mapper().readValue(rest, new TypeReference<List<String>>() {});
            } catch (Exception notJson) {
                // Docker falls back to the shell form for anything that is not a JSON string array
            }
        }
        return List.of("/bin/sh", "-c", rest);
    }

    private static List<String> jsonArray(String rest, String change) {
        try {
            return Json.mapper().readValue(rest, new TypeReference<List<String>>() {});
        } catch (Exception e) {
            throw new EngineException.InvalidArgument("not a JSON array of strings in change \"" + change + "\"");
        }
    }

    /** {@code 80}, {@code 80/tcp}, {@code 53/udp}, {@code 8000-8010/tcp}: the key Docker's ExposedPorts uses. */
    private static String port(String spec, String change) {
        String[] parts = spec.split("/", -1);
        String proto = parts.length > 1 ? parts[1].toLowerCase(Locale.ROOT) : "tcp";
        if (parts.length > 2 || !List.of("tcp", "udp", "sctp").contains(proto)) {
            throw new EngineException.InvalidArgument("invalid port " + spec + " in change \"" + change
                    + "\": expected PORT[/tcp|udp|sctp]");
        }
        String[] range = parts[0].split("-", -1);
        if (range.length > 2) {
            throw new EngineException.InvalidArgument("invalid port " + spec + " in change \"" + change + "\"");
        }
        for (String p : range) {
            int n;
            try {
                n = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > 65535) {
                throw new EngineException.InvalidArgument("invalid port " + spec + " in change \"" + change
                        + "\": ports are 1 to 65535");
            }
        }
        return parts[0] + "/" + proto;
    }

    /** {@code k=v k2="v 2"}, or the old single-pair form {@code KEY some value}. */
    private static Map<String, String> pairs(String rest, String change) {
        List<String> words = words(rest, change);
        Map<String, String> out = new LinkedHashMap<>();
        if (!words.getFirst().contains("=")) {
            int space = firstWhitespace(rest);
            if (space < 0) {
                throw new EngineException.InvalidArgument("missing value for " + rest + " in change \"" + change
                        + "\": use KEY=value");
            }
            out.put(rest.substring(0, space), unquote(rest.substring(space).strip(), change));
            return out;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new EngineException.InvalidArgument("\"" + w + "\" is not KEY=value, in change \"" + change + "\"");
            }
            out.put(w.substring(0, eq), w.substring(eq + 1));
        }
        return out;
    }

    private static String unquote(String s, String change) {
        List<String> w = words(s, change);
        return w.size() == 1 ? w.getFirst() : String.join(" ", w);
    }

    /** Splits on unquoted whitespace, removing quotes and backslash escapes as a shell would. */
    static List<String> words(String s, String change) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < s.length()) {
                    cur.append(s.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new EngineException.InvalidArgument("unterminated quote in change \"" + change + "\"");
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }

    /** The run configuration being changed. */
    private static final class Builder {
        String user;
        final Map<String, Object> exposedPorts = new TreeMap<>();
        final List<String> env = new ArrayList<>();
        List<String> entrypoint;
        List<String> cmd;
        final Map<String, Object> volumes = new TreeMap<>();
        String workingDir;
        final Map<String, String> labels = new TreeMap<>();
        String stopSignal;
        Boolean argsEscaped;
        ImageConfig.Healthcheck healthcheck;
        final List<String> onBuild = new ArrayList<>();
        List<String> shell;

        Builder(ImageConfig.Config c) {
            if (c == null) {
                return;
            }
            user = c.user();
            if (c.exposedPorts() != null) {
                exposedPorts.putAll(c.exposedPorts());
            }
            if (c.env() != null) {
                env.addAll(c.env());
            }
            entrypoint = c.entrypoint();
            cmd = c.cmd();
            if (c.volumes() != null) {
                volumes.putAll(c.volumes());
            }
            workingDir = c.workingDir();
            if (c.labels() != null) {
                labels.putAll(c.labels());
            }
            stopSignal = c.stopSignal();
            argsEscaped = c.argsEscaped();
            healthcheck = c.healthcheck();
            if (c.onBuild() != null) {
                onBuild.addAll(c.onBuild());
            }
            shell = c.shell();
        }

        void env(String key, String value) {
            env.removeIf(e -> e.equals(key) || e.startsWith(key + "="));
            env.add(key + "=" + value);
        }

        ImageConfig.Config build() {
            return new ImageConfig.Config(user, exposedPorts.isEmpty() ? null : exposedPorts, env.isEmpty() ? null : env,
                    entrypoint, cmd, volumes.isEmpty() ? null : volumes, workingDir, labels.isEmpty() ? null : labels,
                    stopSignal, argsEscaped, healthcheck, onBuild.isEmpty() ? null : onBuild, shell);
        }
    }
}
