package dev.berth.engine.volume;

import dev.berth.engine.errors.EngineException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Docker's mount syntaxes into {@link MountSpec}s, refusing bad ones with Docker's own
 * messages (the daemon's for {@code -v} and for what {@code --mount} asks of the daemon, the
 * CLI's for the {@code --mount} field syntax):
 * <ul>
 *   <li>{@code -v name:/ctr[:opts]}, {@code -v /host:/ctr[:opts]}, {@code -v /ctr} — opts are
 *       comma-separated {@code ro|rw}, {@code z|Z} (accepted; there is no SELinux to relabel),
 *       a propagation mode, {@code nocopy}, a consistency mode ({@code consistent|cached|delegated},
 *       accepted and meaningless on Linux); at most one of each kind;</li>
 *   <li>{@code --mount type=bind|volume|tmpfs,source=,target=,readonly,volume-opt=k=v,
 *       volume-label=k=v,volume-driver=,volume-nocopy,tmpfs-size=,tmpfs-mode=,bind-propagation=}
 *       ({@code src}, {@code dst}, {@code destination}, {@code ro} too; the type defaults to volume);</li>
 *   <li>{@code --tmpfs /path[:options]}.</li>
 * </ul>
 * A {@code -v} bind source that does not exist is created when the container is created
 * ({@link MountSpec.Bind#createSource()}); a {@code --mount} bind source must exist.
 */
public final class MountSpecs {

    private static final Set<String> RW_MODES = Set.of("rw", "ro");
    private static final Set<String> LABEL_MODES = Set.of("z", "Z");
    private static final Set<String> PROPAGATION_MODES = Set.of("private", "rprivate", "slave", "rslave", "shared", "rshared");
    private static final Set<String> COPY_MODES = Set.of("nocopy");
    private static final Set<String> CONSISTENCY_MODES = Set.of("consistent", "cached", "delegated");
    private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kKmMgGtTpP])?[iI]?[bB]?");

    private MountSpecs() {}

    // ---- -v ----

    /** Parses one {@code -v}/{@code --volume} value (a {@code Binds} entry of the API). */
    public static MountSpec parseVolumeFlag(String raw) {
        String[] arr = raw.split(":", 4);
        if (arr[0].isEmpty()) {
            throw invalidSpec(raw);
        }
        String source = "";
        String target;
        String mode = "";
        switch (arr.length) {
            case 1 -> target = arr[0];
            case 2 -> {
                if (validMode(arr[1])) {
                    throw invalidSpec(raw); // a destination and a mode, but no source: /foo:rw
                }
                source = arr[0];
                target = arr[1];
            }
            case 3 -> {
                source = arr[0];
                target = arr[1];
                mode = arr[2];
            }
            default -> throw invalidSpec(raw);
        }
        if (!validMode(mode)) {
            throw new EngineException.InvalidArgument("invalid mode: " + mode);
        }
        List<String> words = mode.isEmpty() ? List.of() : List.of(mode.split(","));
        boolean readOnly = words.contains("ro");
        String propagation = words.stream().filter(PROPAGATION_MODES::contains).findFirst().orElse(null);
        boolean noCopy = words.contains("nocopy");
        boolean bind = source.startsWith("/");
        String type = bind ? "bind" : "volume";
        try {
            String cleanTarget = validateTarget(type, target);
            if (bind) {
                if (noCopy) {
                    throw mountConfig(type, "field VolumeOptions must not be specified");
                }
                return new MountSpec.Bind(clean(source), cleanTarget, readOnly, propagation, true);
            }
            if (propagation != null) {
                throw mountConfig(type, "field BindOptions must not be specified");
            }
            String name = source.isEmpty() ? null : source;
            if (name != null) {
                validateVolumeName(name);
            }
            return new MountSpec.VolumeMount(name, cleanTarget, readOnly, noCopy, null, Map.of(), Map.of());
        } catch (MountConfigException e) {
            throw new EngineException.InvalidArgument("invalid volume specification: '" + raw + "': " + e.getMessage());
        }
    }

    private static boolean validMode(String mode) {
        if (mode.isEmpty()) {
            return true;
        }
        int rw = 0, label = 0, propagation = 0, copy = 0, consistency = 0;
        for (String o : mode.split(",", -1)) {
            if (RW_MODES.contains(o)) {
                rw++;
            } else if (LABEL_MODES.contains(o)) {
                label++;
            } else if (PROPAGATION_MODES.contains(o)) {
                propagation++;
            } else if (COPY_MODES.contains(o)) {
                copy++;
            } else if (CONSISTENCY_MODES.contains(o)) {
                consistency++;
            } else {
                return false;
            }
        }
        return rw <= 1 && label <= 1 && propagation <= 1 && copy <= 1 && consistency <= 1;
    }

    private static EngineException.InvalidArgument invalidSpec(String raw) {
        return new EngineException.InvalidArgument("invalid volume specification: '" + raw + "'");
    }

    /** Docker's check of a volume name, with its message. */
    static void validateVolumeName(String name) {
        if (name.length() == 1) {
            throw new EngineException.InvalidArgument("volume name is too short, names should be at least two alphanumeric characters");
        }
        if (!VOLUME_NAME.matcher(name).matches()) {
            throw new EngineException.InvalidArgument("\"" + name + "\" includes invalid characters for a local volume name, "
                    + "only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
        }
    }

    // ---- --mount ----

    /** Parses one {@code --mount} value (comma-separated {@code key=value} fields). */
    public static MountSpec parseMountFlag(String value) {
        String type = "volume";
        String source = "";
        String target = "";
        boolean readOnly = false;
        String propagation = null;
        Boolean noCopy = null;
        String driver = null;
        Map<String, String> volumeOpts = new LinkedHashMap<>();
        Map<String, String> volumeLabels = new LinkedHashMap<>();
        Long tmpfsSize = null;
        Integer tmpfsMode = null;
        boolean volumeOptions = false, bindOptions = false, tmpfsOptions = false;
        for (String field : splitCsv(value)) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (eq < 0) {
                switch (key) {
                    case "readonly", "ro" -> readOnly = true;
                    case "volume-nocopy" -> {
                        noCopy = true;
                        volumeOptions = true;
                    }
                    default -> throw new EngineException.InvalidArgument("invalid field '" + field + "' must be a key=value pair");
                }
                continue;
            }
            String v = field.substring(eq + 1);
            switch (key) {
                case "type" -> type = v.toLowerCase(Locale.ROOT);
                case "source", "src" -> source = v;
                case "target", "dst", "destination" -> target = v;
                case "readonly", "ro" -> readOnly = parseBool(key, v);
                case "consistency" -> {
                    if (!CONSISTENCY_MODES.contains(v.toLowerCase(Locale.ROOT)) && !v.equalsIgnoreCase("default")) {
                        throw new EngineException.InvalidArgument("invalid value for " + key + ": " + v);
                    }
                }
                case "bind-propagation" -> {
                    propagation = v.toLowerCase(Locale.ROOT);
                    bindOptions = true;
                }
                case "volume-nocopy" -> {
                    noCopy = parseBool(key, v);
                    volumeOptions = true;
                }
                case "volume-label" -> {
                    putKeyValue(volumeLabels, v);
                    volumeOptions = true;
                }
                case "volume-driver" -> {
                    driver = v;
                    volumeOptions = true;
                }
                case "volume-opt" -> {
                    putKeyValue(volumeOpts, v);
                    volumeOptions = true;
                }
                case "tmpfs-size" -> {
                    tmpfsSize = parseSize(v).orElseThrow(() -> new EngineException.InvalidArgument(
                            "invalid value for " + key + ": " + v));
                    tmpfsOptions = true;
                }
                case "tmpfs-mode" -> {
                    try {
                        tmpfsMode = Integer.parseUnsignedInt(v, 8);
                    } catch (NumberFormatException e) {
                        throw new EngineException.InvalidArgument("invalid value for " + key + ": " + v);
                    }
                    tmpfsOptions = true;
                }
                default -> throw new EngineException.InvalidArgument("unexpected key '" + key + "' in '" + field + "'");
            }
        }
        if (target.isEmpty()) {
            throw new EngineException.InvalidArgument("target is required");
        }
        if (volumeOptions && !type.equals("volume")) {
            throw new EngineException.InvalidArgument("cannot mix 'volume-*' options with mount type '" + type + "'");
        }
        if (bindOptions && !type.equals("bind")) {
            throw new EngineException.InvalidArgument("cannot mix 'bind-*' options with mount type '" + type + "'");
        }
        if (tmpfsOptions && !type.equals("tmpfs")) {
            throw new EngineException.InvalidArgument("cannot mix 'tmpfs-*' options with mount type '" + type + "'");
        }
        try {
            return switch (type) {
                case "bind" -> {
                    String t = validateTarget(type, target);
                    if (source.isEmpty()) {
                        throw mountConfig(type, "field Source must not be empty");
                    }
                    if (propagation != null && !PROPAGATION_MODES.contains(propagation)) {
                        throw mountConfig(type, "invalid propagation mode: " + propagation);
                    }
                    if (!source.startsWith("/")) {
                        throw mountConfig(type, "invalid mount path: '" + source + "' mount path must be absolute");
                    }
                    if (!Files.exists(Path.of(source))) {
                        throw mountConfig(type, "bind source path does not exist: " + source);
                    }
                    yield new MountSpec.Bind(clean(source), t, readOnly, propagation, false);
                }
                case "volume" -> {
                    String t = validateTarget(type, target);
                    String name = source.isEmpty() ? null : source;
                    if (name != null) {
                        validateVolumeName(name);
                    }
                    yield new MountSpec.VolumeMount(name, t, readOnly, Boolean.TRUE.equals(noCopy), driver, volumeOpts, volumeLabels);
                }
                case "tmpfs" -> {
                    String t = validateTarget(type, target);
                    if (!source.isEmpty()) {
                        throw mountConfig(type, "field Source must not be specified");
                    }
                    yield new MountSpec.Tmpfs(t, tmpfsOptions(readOnly, tmpfsMode, tmpfsSize));
                }
                default -> throw mountConfig(type, "mount type unknown");
            };
        } catch (MountConfigException e) {
            throw new EngineException.InvalidArgument(e.getMessage());
        }
    }

    /** Fields separated by commas; a field in double quotes may hold commas (as the CLI's CSV reader allows). */
    private static List<String> splitCsv(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean parseBool(String key, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "1", "t", "true" -> true;
            case "0", "f", "false" -> false;
            default -> throw new EngineException.InvalidArgument("invalid value for " + key + ": " + v);
        };
    }

    private static void putKeyValue(Map<String, String> map, String kv) {
        int eq = kv.indexOf('=');
        if (eq < 0) {
            map.put(kv, "");
        } else {
            map.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
    }

    /** Docker's {@code RAMInBytes}: {@code 64m}, {@code 1.5g}, {@code 1024}, {@code 10MiB} (binary units). */
    static java.util.Optional<Long> parseSize(String v) {
        Matcher m = SIZE.matcher(v.strip());
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        int shift = switch (unit) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            case "p" -> 50;
            default -> 0;
        };
        return java.util.Optional.of((long) (n * (1L << shift)));
    }

    /** Docker's conversion of tmpfs options to a mount string: {@code ro}, {@code mode=} in octal, {@code size=} in the largest exact unit. */
    private static String tmpfsOptions(boolean readOnly, Integer mode, Long size) {
        List<String> out = new ArrayList<>();
        if (readOnly) {
            out.add("ro");
        }
        if (mode != null && mode != 0) {
            out.add("mode=" + Integer.toOctalString(mode));
        }
        if (size != null && size != 0) {
            long s = size;
            String suffix = "";
            for (var u : List.of(Map.entry("g", 1L << 30), Map.entry("m", 1L << 20), Map.entry("k", 1L << 10))) {
                if (s % u.getValue() == 0) {
                    s = s / u.getValue();
                    suffix = u.getKey();
                    break;
                }
            }
            out.add("size=" + s + suffix);
        }
        return String.join(",", out);
    }

    // ---- --tmpfs ----

    /** Parses one {@code --tmpfs /path[:options]} value. */
    public static MountSpec.Tmpfs parseTmpfsFlag(String raw) {
        int colon = raw.indexOf(':');
        String dest = colon < 0 ? raw : raw.substring(0, colon);
        String options = colon < 0 ? "" : raw.substring(colon + 1);
        if (dest.isEmpty() || (dest.startsWith("/") && clean(dest).equals("/"))) {
            throw new EngineException.InvalidArgument(dest.isEmpty()
                    ? "invalid mount path: '' mount path must be absolute"
                    : "invalid specification: destination can't be '/'");
        }
        if (!dest.startsWith("/")) {
            throw new EngineException.InvalidArgument("invalid mount path: '" + dest + "' mount path must be absolute");
        }
        return new MountSpec.Tmpfs(clean(dest), options);
    }

    // ---- checks across mounts ----

    /** Refuses two mounts at one place: {@code duplicate mount point: /data}. */
    public static void checkDuplicates(Collection<? extends MountSpec> mounts) {
        Set<String> seen = new HashSet<>();
        for (MountSpec m : mounts) {
            if (!seen.add(m.target())) {
                throw new EngineException.InvalidArgument("duplicate mount point: " + m.target());
            }
        }
    }

    /**
     * The anonymous volumes an image's {@code VOLUME} paths add: one for each path no explicit
     * mount (or {@code --volumes-from} mount) already covers.
     */
    public static List<MountSpec> imageVolumes(Collection<String> imageVolumePaths, Collection<? extends MountSpec> explicit) {
        Set<String> taken = new HashSet<>();
        explicit.forEach(m -> taken.add(m.target()));
        List<MountSpec> out = new ArrayList<>();
        for (String p : imageVolumePaths.stream().sorted().toList()) {
            if (!p.startsWith("/")) {
                continue; // an image with a relative VOLUME: Docker ignores it too
            }
            String t = clean(p);
            if (!t.equals("/") && taken.add(t)) {
                out.add(new MountSpec.VolumeMount(null, t, false));
            }
        }
        return out;
    }

    // ---- helpers ----

    private static final class MountConfigException extends RuntimeException {
        MountConfigException(String message) {
            super(message, null, false, false);
        }
    }

    private static MountConfigException mountConfig(String type, String reason) {
        return new MountConfigException("invalid mount config for type \"" + type + "\": " + reason);
    }

    private static String validateTarget(String type, String target) {
        if (target.isEmpty()) {
            throw mountConfig(type, "field Target must not be empty");
        }
        if (target.startsWith("/") && clean(target).equals("/")) {
            throw mountConfig(type, "invalid specification: destination can't be '/'");
        }
        if (!target.startsWith("/")) {
            throw mountConfig(type, "invalid mount path: '" + target + "' mount path must be absolute");
        }
        return clean(target);
    }

    /** Go's {@code path.Clean} for absolute paths: no {@code .}, no {@code ..} above the root, no double or trailing slash. */
    static String clean(String p) {
        List<String> parts = new ArrayList<>();
        for (String s : p.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                }
                continue;
            }
            parts.add(s);
        }
        return "/" + String.join("/", parts);
    }
}
