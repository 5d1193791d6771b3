package dev.berth.engine.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** EXPOSE's port syntax: {@code PORT[-PORT][/tcp|udp|sctp]}, ports 1 to 65535, normalised to {@code PORT[-PORT]/proto}. */
final class Ports {

    private static final Pattern SPEC = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?(?:/([a-zA-Z]+))?");

    private Ports() {}

    /** The normalised spec, or null when {@code spec} is not a valid port or range. */
    static String normalize(String spec) {
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) {
            return null;
        }
        int from = Integer.parseInt(m.group(1));
        int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
        String proto = m.group(3) == null ? "tcp" : m.group(3).toLowerCase(Locale.ROOT);
        if (from < 1 || to > 65535 || to < from || !(proto.equals("tcp") || proto.equals("udp") || proto.equals("sctp"))) {
            return null;
        }
        return (from == to ? Integer.toString(from) : from + "-" + to) + "/" + proto;
    }

    /**
     * A normalised spec as the ports it stands for: {@code 8000-8002/tcp} is {@code 8000/tcp}, {@code 8001/tcp},
     * {@code 8002/tcp}, as Docker writes a range into the image's {@code ExposedPorts}.
     */
    static List<String> each(String normalized) {
        int slash = normalized.indexOf('/');
        String range = normalized.substring(0, slash);
        String proto = normalized.substring(slash);
        int dash = range.indexOf('-');
        if (dash < 0) {
            return List.of(normalized);
        }
        int from = Integer.parseInt(range.substring(0, dash));
        int to = Integer.parseInt(range.substring(dash + 1));
        List<String> out = new ArrayList<>(to - from + 1);
        for (int p = from; p <= to; p++) {
            out.add(p + proto);
        }
        return out;
    }

    static String problem(String spec) {
        return "invalid port " + spec + " in EXPOSE: expected PORT[-PORT][/tcp|udp|sctp] with ports 1 to 65535";
    }
}
