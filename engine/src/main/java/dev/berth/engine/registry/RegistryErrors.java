package dev.berth.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/**
 * Turns registry replies and transport failures into the engine's error categories with plain
 * messages. Registry error bodies look like {@code {"errors":[{"code":"...","message":"..."}]}}.
 */
final class RegistryErrors {

    private RegistryErrors() {}

    /** The first error of a registry error body; empty code and message when there is none. */
    record RegistryError(String code, String message) {
    }

    static RegistryError parse(byte[] body) {
        if (body == null || body.length == 0) {
            return new RegistryError("", "");
        }
        try {
            JsonNode first = Json.mapper().readTree(body).path("errors").path(0);
            return new RegistryError(first.path("code").asText(""), first.path("message").asText(""));
        } catch (IOException e) {
            return new RegistryError("", "");
        }
    }

    /**
     * The exception for a failed call.
     *
     * @param host   who answered
     * @param what   what the call was about ({@code manifest for 127.0.0.1:5000/a:b})
     */
    static EngineException decode(RegistryHost host, String what, int status, byte[] body) {
        RegistryError e = parse(body);
        String detail = e.message().isEmpty() ? "HTTP " + status : e.message();
        String registry = host.mirror() ? "mirror " + host.authority() : host.registry();
        return switch (e.code()) {
            case "MANIFEST_UNKNOWN", "NAME_UNKNOWN", "BLOB_UNKNOWN", "BLOB_UPLOAD_UNKNOWN" ->
                    new EngineException.NotFound(what + " not found");
            case "UNAUTHORIZED", "DENIED" -> unauthorized(registry, what, detail);
            case "TOOMANYREQUESTS" -> new EngineException.Unavailable(registry
                    + " is refusing requests for now (too many requests): " + detail);
            case "UNSUPPORTED" -> new EngineException.FailedPrecondition(registry + " does not support " + what
                    + ": " + detail);
            default -> switch (status) {
                case 404 -> new EngineException.NotFound(what + " not found");
                case 401, 403 -> unauthorized(registry, what, detail);
                case 429 -> new EngineException.Unavailable(registry
                        + " is refusing requests for now (too many requests): " + detail);
                default -> status >= 500
                        ? new EngineException.Unavailable(registry + " failed on " + what + ": HTTP " + status
                                + (e.message().isEmpty() ? "" : " " + e.message()))
                        : new EngineException.InvalidArgument(registry + " rejected " + what + ": "
                                + (e.code().isEmpty() ? "" : e.code() + " ") + detail);
            };
        };
    }

    static EngineException.Unauthorized unauthorized(String registry, String what, String detail) {
        return new EngineException.Unauthorized("access to " + what + " was denied by " + registry + " (" + detail
                + "); log in to " + registry + " if it requires credentials");
    }

    /** The transport failure as an Unavailable naming the registry. */
    static EngineException.Unavailable unreachable(RegistryHost host, IOException e) {
        String hint = e instanceof SSLException || e.getCause() instanceof SSLException
                ? " (if it serves plain http, list it among the insecure registries)" : "";
        return new EngineException.Unavailable("registry " + (host.mirror() ? "mirror " : "") + host.authority()
                + " is unreachable: " + describe(e) + hint, e);
    }

    /** A short description of an I/O failure in words, never null (the JDK's messages often are). */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "connection timed out";
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            if (t instanceof HttpTimeoutException) {
                return "request timed out";
            }
            if (t instanceof SSLException) {
                return "TLS failed: " + t.getMessage();
            }
        }
        Throwable deepest = e;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        String msg = e.getMessage() != null ? e.getMessage() : deepest.getMessage();
        return msg != null ? msg : e.getClass().getSimpleName();
    }
}
