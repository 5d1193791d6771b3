package dev.berth.engine.registry;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One registry API call, immutable: its method, URL, headers, body, the token scopes it needs,
 * which statuses mean success and how to read the reply. {@link RegistryCaller} runs every
 * endpoint the same way (authentication, retries, redirects, error decoding).
 *
 * @param <T> what the call returns
 */
interface Endpoint<T> {

    String method();

    URI uri(RegistryHost host);

    /** Token scopes, e.g. {@code repository:team/app:pull}. */
    List<String> scopes();

    /** What the call is about, for messages: {@code manifest for 127.0.0.1:5000/a:b}. */
    String what();

    boolean isSuccess(int status);

    /** Reads a successful reply. Unless the result owns {@code response.body()}, the handler reads it whole. */
    T handle(Response response) throws IOException;

    default List<String> accept() {
        return List.of();
    }

    default Map<String, String> headers() {
        return Map.of();
    }

    /** The request body, or null. */
    default RequestBody body() {
        return null;
    }

    /** True when the result keeps reading {@code response.body()}; otherwise the caller closes it after {@link #handle}. */
    default boolean ownsBody() {
        return false;
    }

    /** When true a 404 is an answer ({@link #notFound()}), not an error. */
    default boolean notFoundIsAnswer() {
        return false;
    }

    default T notFound() {
        throw new UnsupportedOperationException();
    }

    /**
     * A fixed {@code Authorization} value (or "" for none) that replaces challenge handling, for
     * calls that authenticate themselves (token fetch, login check); null for the usual flow.
     */
    default String fixedAuthorization() {
        return null;
    }

    /** A request body: re-openable so retries and auth round trips can send it again. */
    record RequestBody(String contentType, long length, BlobContent content) {
    }
}
