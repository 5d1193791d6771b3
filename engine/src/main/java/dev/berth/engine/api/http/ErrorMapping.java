package dev.berth.engine.api.http;

import dev.berth.engine.errors.EngineException;

/**
 * The one place where failures become HTTP status codes (moby's {@code httpstatus}). Engine
 * errors map by category; anything else is a 500, logged with its stack trace. Docker uses
 * 409 for "container is not running" and the like, hence FailedPrecondition → 409; it uses 304
 * only for "already started/stopped", which the container router will answer itself.
 */
public final class ErrorMapping {

    private static final System.Logger LOG = System.getLogger(ErrorMapping.class.getName());

    private ErrorMapping() {}

    /** The status code for a failure thrown by a handler. */
    public static int status(Throwable failure) {
        if (failure instanceof EngineException e) {
            return switch (e) {
                case EngineException.NotFound n -> 404;
                case EngineException.AlreadyExists a -> 409;
                case EngineException.Conflict c -> 409;
                case EngineException.InvalidArgument i -> 400;
                case EngineException.FailedPrecondition f -> 409;
                case EngineException.Unauthorized u -> 401;
                case EngineException.Unavailable u -> 503;
            };
        }
        return 500;
    }

    /** The {@code message} of the error body: the engine's own words, or a short description. */
    public static String message(Throwable failure) {
        String m = failure.getMessage();
        if (failure instanceof EngineException) {
            return m;
        }
        return m == null || m.isBlank() ? "internal error: " + failure.getClass().getSimpleName() : m;
    }

    /**
     * Logs a failure that became a 500, with its stack trace. {@code request} is method and
     * path only: query strings and headers may carry credentials or build secrets.
     */
    static void logIfInternal(String request, Throwable failure, int status) {
        if (status >= 500 && !(failure instanceof EngineException)) {
            LOG.log(System.Logger.Level.ERROR, request + " failed", failure);
        } else if (status >= 500) {
            LOG.log(System.Logger.Level.WARNING, request + " failed: " + failure.getMessage());
        }
    }
}
