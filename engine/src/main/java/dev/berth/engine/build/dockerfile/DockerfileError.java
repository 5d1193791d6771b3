package dev.berth.engine.build.dockerfile;

import dev.berth.engine.errors.EngineException;

import java.util.Optional;

/**
 * A problem in a Dockerfile: where it is and what is wrong, in plain words. Thrown to callers as an
 * {@link EngineException.InvalidArgument} whose message is {@code file:line:column: problem}; the record
 * itself rides along as the cause so that a GUI can highlight the line ({@link #of(Throwable)}).
 */
public record DockerfileError(Position position, String problem) {

    /** The message callers see. */
    public String message() {
        return position + ": " + problem;
    }

    /**
     * The wording Docker's daemon uses for a Dockerfile problem ({@code dockerfile parse error on line N:
     * problem}), for the API's {@code POST /build} error stream, where the docker CLI prints it as is.
     */
    public String dockerMessage() {
        return "dockerfile parse error on line " + position.line() + ": " + problem;
    }

    /** The exception to throw for this error. */
    public EngineException.InvalidArgument toException() {
        return new EngineException.InvalidArgument(message(), new Carrier(this));
    }

    /** The Dockerfile error behind {@code t}, if it (or one of its causes) is one. */
    public static Optional<DockerfileError> of(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof Carrier carrier) {
                return Optional.of(carrier.error);
            }
        }
        return Optional.empty();
    }

    /** Carries the record inside the engine's exception; never thrown on its own. */
    static final class Carrier extends RuntimeException {
        private final transient DockerfileError error;

        Carrier(DockerfileError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }
}
