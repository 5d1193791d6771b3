package dev.berth.engine.errors;

/**
 * Every failure the engine reports to its callers. The categories are few on purpose:
 * the API maps each to one HTTP status code (in {@code api}), the app maps each to one
 * plain-language sentence. The message says what went wrong in words a user can act on.
 */
public abstract sealed class EngineException extends RuntimeException
        permits EngineException.NotFound, EngineException.AlreadyExists, EngineException.Conflict,
                EngineException.InvalidArgument, EngineException.FailedPrecondition,
                EngineException.Unauthorized, EngineException.Unavailable {

    private EngineException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The named object (image, container, volume, network, ...) does not exist. */
    public static final class NotFound extends EngineException {
        public NotFound(String message) { super(message, null); }
    }

    /** An object with that name or id exists already. */
    public static final class AlreadyExists extends EngineException {
        public AlreadyExists(String message) { super(message, null); }
    }

    /** The request is valid but clashes with the current state (e.g. removing an image in use). */
    public static final class Conflict extends EngineException {
        public Conflict(String message) { super(message, null); }
    }

    /** The caller sent something malformed: a bad reference, a bad option, a broken file. */
    public static final class InvalidArgument extends EngineException {
        public InvalidArgument(String message) { super(message, null); }
        public InvalidArgument(String message, Throwable cause) { super(message, cause); }
    }

    /** The system is not in the state the operation needs (e.g. the container is not running). */
    public static final class FailedPrecondition extends EngineException {
        public FailedPrecondition(String message) { super(message, null); }
        public FailedPrecondition(String message, Throwable cause) { super(message, cause); }
    }

    /** A registry or other party refused our credentials, or asked for some. */
    public static final class Unauthorized extends EngineException {
        public Unauthorized(String message) { super(message, null); }
    }

    /** Something we depend on (a registry, a runtime binary, the disk) cannot be reached or used. */
    public static final class Unavailable extends EngineException {
        public Unavailable(String message) { super(message, null); }
        public Unavailable(String message, Throwable cause) { super(message, cause); }
    }
}
