package dev.berth.engine.api.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of a route table: a method, a path pattern and its handler.
 *
 * <p>Patterns are paths without the {@code /v1.NN} prefix (the server strips and checks it).
 * A segment {@code {name}} captures one path segment; {@code {name*}} captures the rest of
 * the path up to the next literal part, slashes included (image names such as
 * {@code registry:5000/team/app:1} in {@code /images/{name*}/json}). Captured values are
 * percent-decoded.
 *
 * <p>A {@link #hijackable() hijackable} route may take over its connection with
 * {@link Exchange#hijack()} (attach, exec start). The server stops parsing HTTP on such a
 * connection once the request is complete, so bytes the client sends right after the request
 * reach the handler's raw stream instead of being read as the next request; the connection is
 * closed when the handler returns.
 *
 * @param method     upper-case HTTP method
 * @param pattern    path pattern as described above
 * @param handler    serves the route
 * @param hijackable whether the handler may call {@link Exchange#hijack()}
 */
public record Route(String method, String pattern, Handler handler, boolean hijackable) {

    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)(\\*?)}");

    public Route {
        method = method.toUpperCase(Locale.ROOT);
        Objects.requireNonNull(handler, "handler");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("route pattern must start with '/': " + pattern);
        }
    }

    public static Route get(String pattern, Handler handler) {
        return new Route("GET", pattern, handler, false);
    }

    public static Route head(String pattern, Handler handler) {
        return new Route("HEAD", pattern, handler, false);
    }

    public static Route post(String pattern, Handler handler) {
        return new Route("POST", pattern, handler, false);
    }

    public static Route put(String pattern, Handler handler) {
        return new Route("PUT", pattern, handler, false);
    }

    public static Route delete(String pattern, Handler handler) {
        return new Route("DELETE", pattern, handler, false);
    }

    /** A route whose handler may hijack the connection (see the class comment). */
    public static Route hijacking(String method, String pattern, Handler handler) {
        return new Route(method, pattern, handler, true);
    }

    /** The compiled form of a pattern: a regex and the names of its groups, in order. */
    record Compiled(Route route, Pattern regex, List<String> names) {

        static Compiled of(Route route) {
            StringBuilder re = new StringBuilder("^");
            List<String> names = new ArrayList<>();
            Matcher m = PARAM.matcher(route.pattern());
            int last = 0;
            while (m.find()) {
                re.append(Pattern.quote(route.pattern().substring(last, m.start())));
                re.append(m.group(2).isEmpty() ? "([^/]+)" : "(.+)");
                names.add(m.group(1));
                last = m.end();
            }
            re.append(Pattern.quote(route.pattern().substring(last))).append('$');
            return new Compiled(route, Pattern.compile(re.toString()), List.copyOf(names));
        }

        /** The raw (still percent-encoded) captures when {@code rawPath} matches, else null. */
        Map<String, String> match(String rawPath) {
            Matcher m = regex.matcher(rawPath);
            if (!m.matches()) {
                return null;
            }
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                params.put(names.get(i), m.group(i + 1));
            }
            return params;
        }
    }
}
