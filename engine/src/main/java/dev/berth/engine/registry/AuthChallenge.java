package dev.berth.engine.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code WWW-Authenticate} challenge (RFC 7235): {@code Bearer realm="...",service="...",scope="..."}
 * or {@code Basic realm="..."}.
 *
 * @param scheme lower-case: {@code bearer} or {@code basic}
 * @param params lower-case parameter names to their unquoted values
 */
record AuthChallenge(String scheme, Map<String, String> params) {

    boolean isBearer() {
        return scheme.equals("bearer");
    }

    boolean isBasic() {
        return scheme.equals("basic");
    }

    String param(String name) {
        return params.get(name);
    }

    /** The first Bearer challenge among the headers, else the first Basic one. */
    static Optional<AuthChallenge> pick(List<String> headerValues) {
        AuthChallenge basic = null;
        for (String h : headerValues) {
            Optional<AuthChallenge> c = parse(h);
            if (c.isPresent() && c.get().isBearer()) {
                return c;
            }
            if (c.isPresent() && c.get().isBasic() && basic == null) {
                basic = c.get();
            }
        }
        return Optional.ofNullable(basic);
    }

    static Optional<AuthChallenge> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.strip();
        int sp = h.indexOf(' ');
        String scheme = (sp < 0 ? h : h.substring(0, sp)).toLowerCase(Locale.ROOT);
        if (scheme.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        int i = sp < 0 ? h.length() : sp + 1;
        while (i < h.length()) {
            while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) {
                i++;
            }
            int eq = h.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = h.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < h.length() && h.charAt(i) == '"') {
                i++;
                while (i < h.length() && h.charAt(i) != '"') {
                    if (h.charAt(i) == '\\' && i + 1 < h.length()) {
                        i++;
                    }
                    value.append(h.charAt(i++));
                }
                i++; // closing quote
            } else {
                while (i < h.length() && h.charAt(i) != ',') {
                    value.append(h.charAt(i++));
                }
            }
            params.put(name, value.toString().strip());
        }
        return Optional.of(new AuthChallenge(scheme, Map.copyOf(params)));
    }
}
