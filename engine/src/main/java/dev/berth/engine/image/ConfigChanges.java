package dev.berth.engine.image;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.ImageConfig;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code docker commit --change} (and {@code docker import --change}): Dockerfile instructions
 * applied to an image config. Supported, as in Docker: {@code CMD}, {@code ENTRYPOINT},
 * {@code ENV}, {@code EXPOSE}, {@code LABEL}, {@code ONBUILD}, {@code STOPSIGNAL}, {@code USER},
 * {@code VOLUME}, {@code WORKDIR}. {@code CMD}, {@code ENTRYPOINT} and {@code VOLUME} take the
 * JSON form ({@code ["a","b"]}) or the shell form ({@code CMD echo hi} runs
 * {@code /bin/sh -c "echo hi"}, or the config's {@code Shell}); {@code ENV} and {@code LABEL} take
 * {@code k=v} pairs with quotes and backslash escapes, or the legacy {@code ENV k v}. As in a
 * Dockerfile, {@code ENTRYPOINT} clears the command unless a {@code CMD} came before it.
 */
public final class ConfigChanges {

    private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
    /** The instructions a change may use, as Docker lists them. */
    private static final List<String> KEYWORDS = List.of("CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD",
            "STOPSIGNAL", "USER", "VOLUME", "WORKDIR");

    private ConfigChanges() {}

    /** Applies {@code changes} in order to {@code config} (may be null) and returns the result. */
    public static ImageConfig.Config apply(ImageConfig.Config config, List<String> changes) {
        Builder b = new Builder(config);
        for (String change : changes) {
            if (change == null || change.isBlank()) {
                continue;
            }
            String line = change.strip();
            int sp = indexOfSpace(line);
            String keyword = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
            String rest = sp < 0 ? "" : line.substring(sp + 1).strip();
            if (KEYWORDS.contains(keyword) && rest.isEmpty()) {
                throw new EngineException.InvalidArgument(keyword + " requires at least one argument, in change \"" + change + "\"");
            }
            switch (keyword) {
                case "CMD" -> {
                    b.cmd = commandForm(rest, b.shell, change);
                    b.cmdSet = true;
                }
                case "ENTRYPOINT" -> {
                    b.entrypoint = commandForm(rest, b.shell, change);
                    if (!b.cmdSet) {
                        b.cmd = null;
                    }
                }
                case "ENV" -> {
                    for (Map.Entry<String, String> kv : pairs(rest, true, change).entrySet()) {
                        b.env.removeIf(e -> e.equals(kv.getKey()) || e.startsWith(kv.getKey() + "="));
                        b.env.add(kv.getKey() + "=" + kv.getValue());
                    }
                }
                case "LABEL" -> b.labels.putAll(pairs(rest, false, change));
                case "EXPOSE" -> {
                    for (String port : words(rest, change)) {
                        b.exposedPorts.put(port(port, change), Map.of());
                    }
                }
                case "ONBUILD" -> {
                    if (rest.isEmpty()) {
                        throw new EngineException.InvalidArgument("ONBUILD requires an instruction: \"" + change + "\"");
                    }
                    b.onBuild.add(rest);
                }
                case "STOPSIGNAL" -> b.stopSignal = single(rest, change);
                case "USER" -> b.user = single(rest, change);
                case "VOLUME" -> {
                    List<String> vols = rest.startsWith("[") ? json(rest, change) : words(rest, change);
                    for (String v : vols) {
                        if (v.isBlank()) {
                            throw new EngineException.InvalidArgument("VOLUME specified can not be an empty string: \"" + change + "\"");
                        }
                        b.volumes.put(v, Map.of());
                    }
                }
                case "WORKDIR" -> {
                    String w = single(rest, change);
                    if (!w.startsWith("/")) {
                        String base = b.workingDir == null || b.workingDir.isEmpty() ? "/" : b.workingDir;
                        w = base.endsWith("/") ? base + w : base + "/" + w;
                    }
                    b.workingDir = w;
                }
                default -> throw new EngineException.InvalidArgument(keyword + " is not a valid change command");
            }
        }
        return b.build();
    }

    /** {@code PORT[-PORT][/tcp|udp|sctp]} with ports 1 to 65535, normalised to {@code PORT/proto}. */
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

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> commandForm(String rest, List<String> shell, String change) {
        if (rest.startsWith("[")) {
            try {
                return json(rest, change);
            } catch (EngineException.InvalidArgument notJson) {
                // Docker falls back to the shell form when the brackets are not valid JSON
            }
        }
        if (rest.isEmpty()) {
            throw new EngineException.InvalidArgument("missing arguments in change \"" + change + "\"");
        }
        List<String> out = new ArrayList<>(shell == null || shell.isEmpty() ? DEFAULT_SHELL : shell);
        out.add(rest);
        return out;
    }

    private static List<String> json(String rest, String change) {
        try {
            return Json.mapper().readValue(rest, new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new EngineException.InvalidArgument("not a JSON array of strings in change \"" + change + "\"");
        }
    }

    private static String single(String rest, String change) {
        List<String> w = words(rest, change);
        if (w.size() != 1) {
            throw new EngineException.InvalidArgument("exactly one argument is needed in change \"" + change + "\"");
        }
        return w.getFirst();
    }

    /** {@code k=v k2="v 2"} pairs; with {@code legacy}, {@code K rest of line} is one pair too. */
    private static Map<String, String> pairs(String rest, boolean legacy, String change) {
        List<String> w = words(rest, change);
        Map<String, String> out = new LinkedHashMap<>();
        if (w.isEmpty()) {
            throw new EngineException.InvalidArgument("missing arguments in change \"" + change + "\"");
        }
        if (!w.getFirst().contains("=")) {
            if (legacy && w.size() >= 2) {
                int sp = indexOfSpace(rest);
                out.put(w.getFirst(), String.join(" ", words(rest.substring(sp + 1).strip(), change)));
                return out;
            }
            throw new EngineException.InvalidArgument("expected key=value in change \"" + change + "\"");
        }
        for (String kv : w) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new EngineException.InvalidArgument("expected key=value, got \"" + kv + "\" in change \"" + change + "\"");
            }
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }

    /** Splits on unquoted whitespace; quotes are removed, a backslash escapes the next character. */
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

    private static final class Builder {
        final ImageConfig.Config base;
        String user;
        final Map<String, Object> exposedPorts;
        final List<String> env;
        List<String> entrypoint;
        List<String> cmd;
        final Map<String, Object> volumes;
        String workingDir;
        final Map<String, String> labels;
        String stopSignal;
        final List<String> onBuild;
        final List<String> shell;
        boolean cmdSet;

        Builder(ImageConfig.Config c) {
            base = c;
            user = c == null ? null : c.user();
            exposedPorts = c == null || c.exposedPorts() == null ? new TreeMap<>() : new TreeMap<>(c.exposedPorts());
            env = c == null || c.env() == null ? new ArrayList<>() : new ArrayList<>(c.env());
            entrypoint = c == null ? null : c.entrypoint();
            cmd = c == null ? null : c.cmd();
            volumes = c == null || c.volumes() == null ? new TreeMap<>() : new TreeMap<>(c.volumes());
            workingDir = c == null ? null : c.workingDir();
            labels = c == null || c.labels() == null ? new TreeMap<>() : new TreeMap<>(c.labels());
            stopSignal = c == null ? null : c.stopSignal();
            onBuild = c == null || c.onBuild() == null ? new ArrayList<>() : new ArrayList<>(c.onBuild());
            shell = c == null ? null : c.shell();
        }

        ImageConfig.Config build() {
            return new ImageConfig.Config(user, exposedPorts.isEmpty() ? null : exposedPorts, env.isEmpty() ? null : List.copyOf(env),
                    entrypoint, cmd, volumes.isEmpty() ? null : volumes, workingDir, labels.isEmpty() ? null : labels, stopSignal,
                    base == null ? null : base.argsEscaped(), base == null ? null : base.healthcheck(),
                    onBuild.isEmpty() ? null : List.copyOf(onBuild), shell);
        }
    }
}
