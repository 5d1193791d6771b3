package dev.berth.engine.api.http;

/**
 * Serves one route. Runs on its own virtual thread, so it may block (read a multi-gigabyte
 * body, wait for events, copy a hijacked stream). It parses parameters from the
 * {@link Exchange}, calls its backend, and writes exactly one response; anything it throws
 * before responding becomes an error response through {@link ErrorMapping}.
 */
@FunctionalInterface
public interface Handler {
    void handle(Exchange exchange) throws Exception;
}
