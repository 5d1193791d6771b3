package dev.berth.engine.registry;

import dev.berth.engine.errors.EngineException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs any {@link Endpoint}: adds credentials (answering one 401 challenge per call), follows
 * redirects of GET and HEAD (dropping credentials when the origin changes, as blob downloads go
 * to storage), retries connection failures, 5xx and 429 with exponential backoff (never other
 * 4xx), and decodes registry errors into {@link EngineException}s. Thread-safe.
 */
final class RegistryCaller {

    private static final System.Logger LOG = System.getLogger(RegistryCaller.class.getName());
    private static final int MAX_REDIRECTS = 5;
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    private final HttpClient http;
    private final Authenticator auth;
    private final int maxAttempts;
    private final Duration backoff;

    RegistryCaller(HttpClient http, Authenticator auth, int maxAttempts, Duration backoff) {
        this.http = http;
        this.auth = auth;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        auth.attach(this);
    }

    /** The authenticator this caller uses (and that fetches its tokens through this caller). */
    Authenticator authenticator() {
        return auth;
    }

    /** A failure worth another try, carrying what to throw if none is left. */
    private static final class Retryable extends Exception {
        final EngineException failure;

        Retryable(EngineException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    <T> T call(RegistryHost host, Endpoint<T> endpoint) {
        for (int attempt = 1; ; attempt++) {
            try {
                return callOnce(host, endpoint);
            } catch (Retryable r) {
                if (attempt >= maxAttempts) {
                    throw r.failure;
                }
                Duration wait = backoff.multipliedBy(1L << Math.min(attempt - 1, 10));
                LOG.log(System.Logger.Level.DEBUG, "{0} {1}: {2}; try {3} of {4} in {5} ms", endpoint.method(),
                        endpoint.what(), r.failure.getMessage(), attempt + 1, maxAttempts, wait.toMillis());
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EngineException.Unavailable("interrupted while waiting to retry " + endpoint.what(), e);
                }
            }
        }
    }

    private <T> T callOnce(RegistryHost host, Endpoint<T> endpoint) throws Retryable {
        URI uri = endpoint.uri(host);
        String fixed = endpoint.fixedAuthorization();
        String authorization = fixed != null ? emptyToNull(fixed) : auth.preemptive(host, endpoint.scopes());
        Response r = exchange(host, endpoint, uri, authorization);
        if (r.status() == 401 && fixed == null) {
            List<String> www = r.headers().allValues("WWW-Authenticate");
            byte[] body = readQuietly(r);
            AuthChallenge challenge = AuthChallenge.pick(www).orElseThrow(() ->
                    RegistryErrors.decode(host, endpoint.what(), 401, body));
            authorization = auth.answer(host, challenge, endpoint.scopes(), endpoint.what());
            r = exchange(host, endpoint, uri, authorization);
        }
        return finish(host, endpoint, r);
    }

    private <T> T finish(RegistryHost host, Endpoint<T> endpoint, Response r) {
        int s = r.status();
        if (endpoint.isSuccess(s)) {
            boolean keep = false;
            try {
                T result = endpoint.handle(r);
                keep = endpoint.ownsBody();
                return result;
            } catch (IOException e) {
                throw new EngineException.Unavailable("cannot read the reply of " + host.authority() + " for "
                        + endpoint.what() + ": " + RegistryErrors.describe(e), e);
            } finally {
                if (!keep) {
                    r.close();
                }
            }
        }
        if (s == 404 && endpoint.notFoundIsAnswer()) {
            r.close();
            return endpoint.notFound();
        }
        throw RegistryErrors.decode(host, endpoint.what(), s, readQuietly(r));
    }

    /** Sends, following redirects for GET and HEAD; 5xx, 429 and I/O failures become {@link Retryable}. */
    private Response exchange(RegistryHost host, Endpoint<?> endpoint, URI uri, String authorization) throws Retryable {
        boolean followable = endpoint.method().equals("GET") || endpoint.method().equals("HEAD");
        URI current = uri;
        String authz = authorization;
        for (int hop = 0; ; hop++) {
            HttpResponse<InputStream> resp;
            try {
                resp = http.send(request(endpoint, current, authz), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new Retryable(RegistryErrors.unreachable(host, e));
            } catch (UncheckedIOException e) {
                throw new EngineException.Unavailable("cannot read the content to send for " + endpoint.what()
                        + ": " + RegistryErrors.describe(e.getCause()), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException.Unavailable("interrupted while calling " + host.authority(), e);
            }
            Response r = new Response(resp.statusCode(), resp.headers(), resp.body(), current);
            int s = r.status();
            if (followable && (s == 301 || s == 302 || s == 303 || s == 307 || s == 308)
                    && r.header("Location").isPresent()) {
                URI next = current.resolve(r.header("Location").get());
                r.close();
                if (hop >= MAX_REDIRECTS) {
                    throw new EngineException.Unavailable(host.authority() + " redirected " + endpoint.what()
                            + " more than " + MAX_REDIRECTS + " times");
                }
                if (!sameOrigin(current, next)) {
                    authz = null; // storage behind a redirect has its own (signed-URL) authentication
                }
                current = next;
                continue;
            }
            if (s >= 500 || s == 429) {
                throw new Retryable(RegistryErrors.decode(host, endpoint.what(), s, readQuietly(r)));
            }
            return r;
        }
    }

    private static HttpRequest request(Endpoint<?> endpoint, URI uri, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT);
        if ("http".equals(uri.getScheme())) {
            b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with plain-http registries
        }
        if (!endpoint.accept().isEmpty()) {
            b.header("Accept", String.join(", ", endpoint.accept()));
        }
        for (Map.Entry<String, String> h : endpoint.headers().entrySet()) {
            b.header(h.getKey(), h.getValue());
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        Endpoint.RequestBody body = endpoint.body();
        if (body == null) {
            b.method(endpoint.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            if (body.contentType() != null) {
                b.header("Content-Type", body.contentType());
            }
            HttpRequest.BodyPublisher publisher = body.length() == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                        try {
                            return body.content().open();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }), body.length());
            b.method(endpoint.method(), publisher);
        }
        return b.build();
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getRawAuthority(), b.getRawAuthority());
    }

    private static byte[] readQuietly(Response r) {
        try (InputStream in = r.body()) {
            return in.readNBytes(64 * 1024);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
