package dev.berth.engine.api.http;

import dev.berth.engine.errors.EngineException;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routing for every connection: strips and checks the {@code /v1.NN} prefix, finds the route
 * (a GET route also answers HEAD), and runs its handler on a virtual thread. Unknown paths
 * get Docker's 404 {@code page not found}, known paths with another method a 405.
 */
final class Dispatcher {

    private static final Pattern VERSIONED = Pattern.compile("^/v([0-9][0-9.]*)(/.*)$");

    private final List<Route.Compiled> routes;
    private final HttpHeaders commonHeaders;
    private final ThreadFactory threads = Thread.ofVirtual().name("berth-api-", 1).factory();
    private final Set<Thread> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Dispatcher(List<Router> routers, HttpHeaders commonHeaders) {
        List<Route.Compiled> all = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Router router : routers) {
            for (Route route : router.routes()) {
                if (!seen.add(route.method() + " " + route.pattern())) {
                    throw new IllegalArgumentException("route registered twice: " + route.method() + " " + route.pattern());
                }
                all.add(Route.Compiled.of(route));
            }
        }
        this.routes = List.copyOf(all);
        this.commonHeaders = commonHeaders;
    }

    HttpHeaders commonHeaders() {
        return commonHeaders;
    }

    /** What one request resolved to; exactly one of route, notFound, allowed-methods applies. */
    private record Resolution(Route route, Map<String, String> params, Set<String> allowed) {}

    /** Builds the exchange for a request head (event loop). */
    Exchange exchange(Connection connection, HttpRequest req, InputStream body) {
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        String rawPath = qs.rawPath();
        ApiVersion version = ApiVersion.CURRENT;
        String versionError = null;
        Matcher m = VERSIONED.matcher(rawPath);
        if (m.matches()) {
            rawPath = m.group(2);
            try {
                version = ApiVersion.negotiate(m.group(1));
            } catch (EngineException.InvalidArgument e) {
                versionError = e.getMessage();
            }
        }
        Resolution r = resolve(req.method().name(), rawPath);
        Map<String, String> params = new HashMap<>();
        r.params().forEach((k, v) -> params.put(k, decodePath(v)));
        boolean keepAlive = HttpUtil.isKeepAlive(req) && (r.route() == null || !r.route().hijackable());
        Map<String, List<String>> query = new LinkedHashMap<>();
        qs.parameters().forEach((k, v) -> query.put(k, List.copyOf(v)));
        Exchange ex = new Exchange(connection, req, rawPath, version, r.route(), params,
                java.util.Collections.unmodifiableMap(query), body, commonHeaders, keepAlive);
        ex.routing(versionError, r.allowed());
        return ex;
    }

    /** Runs the exchange's handler on a new virtual thread; tells the connection when it is done. */
    void serve(Exchange ex) {
        Thread t = threads.newThread(() -> {
            try {
                run(ex);
            } finally {
                running.remove(Thread.currentThread());
                try {
                    ex.connection().finishedOnLoop(ex);
                } catch (RejectedExecutionException e) {
                    // the server is shutting down and the connection with it
                }
            }
        });
        running.add(t);
        t.start();
    }

    /**
     * Waits up to {@code timeout} for running handlers to return (their connections are
     * closed by then, so streaming handlers notice and end).
     */
    void awaitHandlers(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : List.copyOf(running)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                t.join(java.time.Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void run(Exchange ex) {
        try {
            if (ex.versionError() != null) {
                throw new EngineException.InvalidArgument(ex.versionError());
            }
            if (ex.route() == null) {
                if (!ex.allowedMethods().isEmpty()) {
                    ex.setHeader("Allow", String.join(", ", ex.allowedMethods()));
                    ex.respondJson(405, new Exchange.ErrorMessage("method " + ex.method() + " not allowed for " + ex.path()));
                } else {
                    ex.respondJson(404, new Exchange.ErrorMessage("page not found"));
                }
                return;
            }
            ex.route().handler().handle(ex);
            ex.complete();
        } catch (Throwable t) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            ex.fail(t);
        }
    }

    private Resolution resolve(String method, String rawPath) {
        Resolution get = null;
        Set<String> allowed = new LinkedHashSet<>();
        for (Route.Compiled c : routes) {
            Map<String, String> params = c.match(rawPath);
            if (params == null) {
                continue;
            }
            if (c.route().method().equals(method)) {
                return new Resolution(c.route(), params, Set.of());
            }
            if (method.equals("HEAD") && c.route().method().equals("GET") && get == null) {
                get = new Resolution(c.route(), params, Set.of());
            }
            allowed.add(c.route().method());
        }
        if (get != null) {
            return get;
        }
        return new Resolution(null, Map.of(), allowed);
    }

    /** Percent-decodes one path capture ('+' stays '+', unlike in a query string). */
    static String decodePath(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (cp == '%' && i + 2 < s.length()) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi << 4 | lo);
                    i += 3;
                    continue;
                }
            }
            out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            i += Character.charCount(cp);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
